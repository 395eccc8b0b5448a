"""An object id from a URL, a form or a JSON body: a positive integer that fits a bigint, or
None. Selectors use it before a lookup, so a malformed id is "not found", never a 500."""

from __future__ import annotations


def as_id(value) -> int | None:
    try:
        number = int(value)
    except (TypeError, ValueError, OverflowError):
        return None
    return number if 0 < number < 2**63 else None
