"""Office hours (办公时间) from `settings.OFFICE_HOURS`, e.g. "09:00-12:00,13:30-17:30"."""

from __future__ import annotations

import re
from datetime import time

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

_PERIOD = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)-([01]\d|2[0-3]):([0-5]\d)$")
Period = tuple[time, time]


def parse_office_hours(text: str) -> tuple[Period, ...]:
    """Parse "HH:MM-HH:MM,HH:MM-HH:MM": periods in order, each non-empty, none overlapping.

    Raises ValueError with a Chinese reason naming the bad part.
    """
    periods: list[Period] = []
    for part in (text or "").split(","):
        part = part.strip()
        match = _PERIOD.match(part)
        if not match:
            raise ValueError(f"办公时间格式错误：“{part}”应为 HH:MM-HH:MM，多个时段用逗号分隔")
        start = time(int(match[1]), int(match[2]))
        end = time(int(match[3]), int(match[4]))
        if end <= start:
            raise ValueError(f"办公时间格式错误：时段“{part}”的结束时间应晚于开始时间")
        if periods and start < periods[-1][1]:
            raise ValueError(f"办公时间格式错误：时段“{part}”应晚于前一时段且不重叠")
        periods.append((start, end))
    return tuple(periods)


def configured_office_hours() -> tuple[Period, ...]:
    """The configured periods. Parsed on each call: cheap, and no module-level state."""
    try:
        return parse_office_hours(settings.OFFICE_HOURS)
    except ValueError as error:
        raise ImproperlyConfigured(f"YIWANG_OFFICE_HOURS={settings.OFFICE_HOURS!r}: {error}") from None
