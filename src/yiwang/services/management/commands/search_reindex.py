"""`yiwang search-reindex`: rebuild the portal's search index from the catalogue.

Needed after loading a catalogue by other means than its services (an import, a restored
backup), after changing the synonyms (services/search_terms.py) or jieba's dictionary, or if
the index and the catalogue ever disagree. Published items and 一件事 are indexed again, every
other document of theirs is removed, then the database's full-text index is rebuilt from the
stored terms. Safe to run while the portal serves: each document is replaced in place.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand
from django.db import transaction

from yiwang.services.search import reindex_all


class Command(BaseCommand):
    help = "重建一网通办门户检索索引（已发布事项和一件事）"

    def handle(self, *args, **options):
        with transaction.atomic():
            items, bundles = reindex_all()
        self.stdout.write(f"已重建检索索引：事项 {items} 项，一件事 {bundles} 项。")
