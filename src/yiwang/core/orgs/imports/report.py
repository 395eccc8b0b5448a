"""What an import did with each row of the file (house rule: imports keep every row — good
ones loaded, bad ones reported with their reasons)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import models


class RowStatus(models.TextChoices):
    CREATED = "created", "已导入"
    FLAGGED = "flagged", "已导入（已标记）"
    UNCHANGED = "unchanged", "已存在，未改动"
    FAILED = "failed", "失败"


@dataclass(frozen=True)
class RowResult:
    line: int  # line in the file where the record starts (the header is line 1)
    status: str
    key: str  # the row's code or name, so a long report can be read without the file
    reason: str = ""
    fields: dict[str, str] = field(default_factory=dict)  # column label → reason

    @property
    def status_label(self) -> str:
        return RowStatus(self.status).label


@dataclass
class ImportReport:
    kind: str  # "divisions" | "departments"
    rows: list[RowResult] = field(default_factory=list)

    def _count(self, *statuses: str) -> int:
        return sum(1 for row in self.rows if row.status in statuses)

    @property
    def total(self) -> int:
        return len(self.rows)

    @property
    def created(self) -> int:
        """Rows written, flagged ones included: total = created + unchanged + failed."""
        return self._count(RowStatus.CREATED, RowStatus.FLAGGED)

    @property
    def flagged(self) -> int:
        return self._count(RowStatus.FLAGGED)

    @property
    def unchanged(self) -> int:
        return self._count(RowStatus.UNCHANGED)

    @property
    def failed(self) -> int:
        return self._count(RowStatus.FAILED)

    def counts(self) -> dict[str, int]:
        return {
            "total": self.total,
            "created": self.created,
            "unchanged": self.unchanged,
            "failed": self.failed,
            "flagged": self.flagged,
        }

    def sorted_rows(self) -> list[RowResult]:
        return sorted(self.rows, key=lambda row: row.line)
