"""The one pagination of the API: limit/offset, limit at most 200, offset bounded.

Ninja's LimitOffsetPagination leaves `offset` unbounded; an offset of 2⁶³ overflows the
database's OFFSET (a 500 on SQLite) — found by the API fuzz test. Configured once as
NINJA_PAGINATION_CLASS, so every `@paginate` uses it.
"""

from ninja import Field, Schema
from ninja.conf import settings as ninja_settings
from ninja.pagination import LimitOffsetPagination

# Far beyond any list a person pages through, and inside every database's integer range.
MAX_OFFSET = 10_000_000


class BoundedLimitOffset(LimitOffsetPagination):
    class Input(Schema):
        limit: int = Field(ninja_settings.PAGINATION_PER_PAGE, ge=1, le=ninja_settings.PAGINATION_MAX_LIMIT)
        offset: int = Field(0, ge=0, le=MAX_OFFSET)
