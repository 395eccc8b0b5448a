"""Portal search over the catalogue (STUB: helper B implements)."""

from __future__ import annotations


def index_item(item) -> None:
    """(Re)index a published item; remove it from the index if it is not published."""
    return None


def index_bundle(bundle) -> None:
    return None
