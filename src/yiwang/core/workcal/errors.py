"""The calendar's one domain error: a year whose holidays nobody has entered (STANDARDS.md §2)."""

from yiwang.core.errors import DomainError


class CalendarYearMissing(DomainError):
    """A computation reached a year without a CalendarYear row. 409: the request is well formed,
    but the platform's data cannot answer it until an administrator enters that year."""

    status = 409
    code = "calendar_year_missing"

    def __init__(self, year: int):
        self.year = year
        super().__init__(f"{year}年的节假日数据尚未录入，无法计算期限")
