from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from yiwang.core.tests import factories

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    """An aware moment in the platform's zone (settings.TIME_ZONE = Asia/Shanghai)."""
    return datetime(year, month, day, hour, minute, tzinfo=SHANGHAI)


def end_of(year: int, month: int, day: int) -> datetime:
    return datetime(year, month, day, 23, 59, 59, tzinfo=SHANGHAI)


@pytest.fixture
def late_2026():
    """Today is 2026-11-22: 2026 is known, 2027 is not (chinese-calendar 1.11.0 ends at 2026)."""
    with time_machine.travel(at(2026, 11, 22, 10), tick=False):
        yield


@pytest.fixture
def official(db, department):
    return factories.create_official(department=department, role="window_clerk", display_name="钱窗口")
