"""The past of the 一网通办 demo: moves run in chronological order with the clock at their moment.

The approach of the 电子监察 demo (workflow/demo_supervision.py), so both demos' figures agree:
each move goes through the services with `django.utils.timezone.now` patched to its moment,
and the clock sweep runs at 00:05 after each working day, as the worker would have. So 办件
times, due times, 预警/超期 stamps, used working days and timelines all come from the services
and the engine. Moments count working days back from today over the real calendar (`(3,
"10:00")`; `(0, 25)`: 25 minutes ago), so the demo is true whenever it is loaded.

Beyond that demo's patch, the rows that take their time from a field default (`default=
timezone.now`, captured when the model was defined, so the patch does not reach it) are given
the moment too — files, 我的材料, 一次性告知, ratings, 用证记录, messages — or a 补正 notice would
be dated after the reply to it. The audit log keeps the real time (a chain never runs backwards,
and it truthfully says the demo loader wrote these rows).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from types import SimpleNamespace
from unittest import mock

from django.apps import apps
from django.utils import timezone

from yiwang.core.audit import services as audit_services
from yiwang.core.workcal.clock import is_working_day
from yiwang.workflow.sweep import clock_sweep

SWEEP_AT = time(0, 5)
# Apps whose rows are part of what the demo lived through (see the module docstring).
STAMPED_APPS = ("services", "files", "licenses", "notify")
_REAL_NOW = timezone.now


@functools.cache
def _stamped_fields() -> tuple:
    return tuple(
        field
        for label in STAMPED_APPS
        for model in apps.get_app_config(label).get_models()
        for field in model._meta.concrete_fields
        if getattr(field, "default", None) is _REAL_NOW
    )


@contextmanager
def clock_at(moment: datetime):
    """The services' clock at `moment`; the audit log keeps the real time."""
    with ExitStack() as stack:
        stack.enter_context(mock.patch("django.utils.timezone.now", return_value=moment))
        stack.enter_context(mock.patch.object(audit_services, "timezone", SimpleNamespace(now=_REAL_NOW)))
        for field in _stamped_fields():
            stack.enter_context(mock.patch.object(field, "_get_default", lambda: moment))
        yield


def working_days_back(today: date, count: int) -> list[date]:
    """[today, the 1st working day before it, …, the count-th]; raises CalendarYearMissing."""
    days, day = [today], today
    while len(days) <= count:
        day -= timedelta(days=1)
        if is_working_day(day):
            days.append(day)
    return days


When = tuple[int, "str | int"]  # (working days back, "HH:MM"), or (0, minutes ago)


@dataclass(frozen=True)
class Step:
    when: When
    what: str  # said when a service refuses it
    do: Callable[[], object]


class Timeline:
    """Steps of many stories, run in the order they happened, with the nightly sweeps."""

    def __init__(self) -> None:
        self.steps: list[Step] = []

    def add(self, when: When, what: str, do: Callable[[], object]) -> None:
        self.steps.append(Step(when, what, do))

    def run(self, *, now: datetime, days: list[date], guard) -> None:
        """`days` from working_days_back(today, …) reaching the earliest step; `guard(what)` is a
        context manager turning a service's refusal into a DemoConflict naming the step."""
        zone = timezone.get_default_timezone()

        def moment_of(when: When) -> datetime:
            back, at = when
            if isinstance(at, int):
                return now - timedelta(minutes=at)
            return datetime.combine(days[back], time.fromisoformat(at), tzinfo=zone)

        schedule = [(moment_of(step.when), index, step) for index, step in enumerate(self.steps)]
        for day in days[: max(step.when[0] for step in self.steps) + 1]:  # from the first move on
            if (sweep := datetime.combine(day + timedelta(days=1), SWEEP_AT, tzinfo=zone)) < now:
                schedule.append((sweep, -1, None))  # before any move of the same moment
        for moment, _, step in sorted(schedule, key=lambda entry: entry[:2]):
            with clock_at(moment):
                if step is None:
                    clock_sweep(now=moment)
                    continue
                with guard(step.what):
                    step.do()
        clock_sweep()  # and once at the real now, as the worker does every five minutes
