"""Time limits by unit (实施清单: 法定/承诺办结时限 with a unit; 12345 limits in hours).

One dispatch point so that the API, the workflow engine and the pages name units alike.
"""

from __future__ import annotations

from datetime import datetime

from django.db import models

from yiwang.core.workcal import clock


class TimeUnit(models.TextChoices):
    WORKING_DAYS = "working_days", "工作日"
    WORKING_HOURS = "working_hours", "工作小时"
    NATURAL_DAYS = "natural_days", "自然日"
    NATURAL_HOURS = "natural_hours", "自然小时"


DAY_UNITS = frozenset({TimeUnit.WORKING_DAYS, TimeUnit.NATURAL_DAYS})


def deadline(*, start: datetime, amount: float, unit: str) -> datetime:
    """When a limit of `amount` `unit`s that starts at `start` runs out."""
    if unit == TimeUnit.WORKING_DAYS:
        return clock.add_working_days(start, int(amount))
    if unit == TimeUnit.NATURAL_DAYS:
        return clock.add_natural_days(start, int(amount))
    if unit == TimeUnit.WORKING_HOURS:
        return clock.add_working_hours(start, amount)
    if unit == TimeUnit.NATURAL_HOURS:
        return clock.add_natural_hours(start, amount)
    raise ValueError(f"unknown unit {unit!r}")


def elapsed(*, start: datetime, end: datetime, unit: str) -> float:
    """How much of `unit` has passed from start to end (whole days for day units)."""
    if unit == TimeUnit.WORKING_DAYS:
        return clock.working_days_between(start, end)
    if unit == TimeUnit.NATURAL_DAYS:
        return clock.natural_days_between(start, end)
    if unit == TimeUnit.WORKING_HOURS:
        return clock.working_hours_between(start, end)
    if unit == TimeUnit.NATURAL_HOURS:
        return clock.natural_hours_between(start, end)
    raise ValueError(f"unknown unit {unit!r}")
