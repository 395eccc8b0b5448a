"""Index, remove and search documents: the search module's whole interface.

Ranking (best first): score = (coverage + relevance) × boost, where
- coverage = 10 × (share of the query's terms in the title) + 4 × (share in the keywords)
  + 1 × (share in the body), the same SQL on both databases (backends._coverage): a name
  match outranks a keyword match outranks a body match, however common the words;
- relevance is the database's own, with the same column weights 10 : 4 : 1 — BM25 on SQLite
  (FTS5; rarer terms and shorter documents score higher) or 10 × ts_rank on PostgreSQL;
- boost = 1 + ln(1 + popularity) / 10 (0 → 1.00, 100 → 1.46, 10 000 → 1.92): logarithmic, so
  popularity decides between documents of similar relevance and cannot lift a body match over
  a name match.
The two databases' scores are not comparable with each other, only within one result list.

Matching: the query is segmented like the documents (segment.py); first every term must match;
if nothing does, any term may (我要开一家饭店 → 饭店); if still nothing, every CJK character
of the query (办证 → 办, 证). An empty or punctuation-only query matches nothing.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from yiwang.core.pagination import MAX_OFFSET
from yiwang.core.search import backends, segment
from yiwang.core.search.models import SearchDocument

MAX_LIMIT = 200
# A tag is "name:value" in lower-case ASCII: department ids, subject and life-event codes.
_TAG = re.compile(r"^[a-z_]{1,32}:[a-z0-9_\-]{1,64}$")


@dataclass(frozen=True)
class Hit:
    kind: str
    object_id: int
    score: float
    text: str  # the document's display text, for segment.highlight


@dataclass(frozen=True)
class Results:
    hits: list[Hit]
    total: int
    terms: tuple[str, ...]  # the terms that matched, for highlighting


def boost_for(popularity: int) -> float:
    return 1.0 + math.log1p(max(0, popularity)) / 10.0


def _tags(tags: Iterable[str]) -> tuple[str, ...]:
    checked = tuple(dict.fromkeys(tags))
    for tag in checked:
        if not _TAG.match(tag):
            raise ValueError(f"invalid search tag {tag!r}")
    return checked


@transaction.atomic
def index(
    *,
    kind: str,
    object_id: int,
    title: str,
    keywords: str = "",
    body: str = "",
    popularity: int = 0,
    tags: Iterable[str] = (),
    display_text: str = "",
) -> SearchDocument:
    """Add or replace the object's document. Call it whenever what is indexed changes."""
    tag_list = _tags(tags)
    document, _ = SearchDocument.objects.update_or_create(
        kind=kind,
        object_id=object_id,
        defaults={
            "title_tokens": segment.index_terms(title),
            "keyword_tokens": segment.index_terms(keywords),
            "body_tokens": segment.index_terms(body),
            "tags": "," + "".join(f"{tag}," for tag in tag_list),
            "display_text": display_text or " ".join(t for t in (keywords, body) if t),
            "popularity": max(0, popularity),
            "boost": boost_for(popularity),
            "updated_at": timezone.now(),
        },
    )
    return document


def remove(*, kind: str, object_id: int) -> None:
    SearchDocument.objects.filter(kind=kind, object_id=object_id).delete()


def remove_all(*, kind: str, keep_ids: Iterable[int] = ()) -> int:
    """Drop every document of `kind` except those of `keep_ids` (a full reindex's sweep)."""
    deleted, _ = SearchDocument.objects.filter(kind=kind).exclude(object_id__in=list(keep_ids)).delete()
    return deleted


def popularity_set(*, kind: str, object_id: int, popularity: int) -> None:
    """Update only the ranking boost (热度 changes with every application; the text does not):
    no token column changes, so the full-text index is not touched."""
    SearchDocument.objects.filter(kind=kind, object_id=object_id).update(
        popularity=max(0, popularity), boost=boost_for(popularity)
    )


def rebuild() -> None:
    """Rebuild the database's full-text index from the stored tokens (SQLite FTS5 'rebuild';
    nothing on PostgreSQL, whose generated column is always current)."""
    backends.rebuild()


def search(
    *,
    kinds: Iterable[str],
    query: str,
    tags: Iterable[str] = (),
    limit: int = 20,
    offset: int = 0,
) -> Results:
    """Documents of `kinds` carrying every tag in `tags` that match `query`, ranked (see the
    module docstring), `limit` from `offset`, with the total."""
    kinds = tuple(dict.fromkeys(kinds))
    if not kinds:
        raise ValueError("search needs at least one kind")
    limit = min(max(1, int(limit)), MAX_LIMIT)
    offset = min(max(0, int(offset)), MAX_OFFSET)
    tag_list = _tags(tags)
    terms = segment.query_terms(query)
    for match in _strategies(terms, kinds, tag_list):
        total = backends.count(match)
        if total:
            rows = backends.page(match, limit=limit, offset=offset) if offset < total else []
            hits = [Hit(kind=k, object_id=i, score=float(s), text=t) for k, i, s, t in rows]
            return Results(hits=hits, total=total, terms=match.terms)
    return Results(hits=[], total=0, terms=terms)


def _strategies(terms: tuple[str, ...], kinds: tuple[str, ...], tags: tuple[str, ...]):
    if not terms:
        return
    yield backends.Match(terms=terms, every=True, kinds=kinds, tags=tags)
    if len(terms) > 1:
        yield backends.Match(terms=terms, every=False, kinds=kinds, tags=tags)
    characters = segment.query_characters(terms)
    if characters and set(characters) != set(terms):
        yield backends.Match(terms=characters, every=True, kinds=kinds, tags=tags)
