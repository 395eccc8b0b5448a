"""Periodic jobs (SLA sweeps, stale-data checks): registered by packages, enqueued by `yiwang worker`.

A package registers its jobs in its `AppConfig.ready()`::

    def ready(self):
        from yiwang.core import periodic
        from yiwang.workflow.tasks import sweep_overdue

        periodic.register(name="workflow.sweep_overdue", every=timedelta(minutes=5), task=sweep_overdue)

Registration is closed once the app registry is ready: the set of jobs is fixed at start-up and
the same in every process (DESIGN.md: no module-level state that changes at run time).

Every running `yiwang worker` looks at every job every few seconds, yet a job is enqueued at
most once per interval across all workers on all machines. Time is cut into slots aligned to
the Unix epoch (slot = ⌊now / every⌋, so every machine computes the same slot without talking
to the others), and the worker that first adds the key `<name>:<every>:<slot>` to the shared
Django cache enqueues the job; `cache.add()` is atomic on both caches the settings allow:

- the database cache (default): add() INSERTs a row keyed by the primary key, so a second
  add() of the same key fails. The add and the enqueue (a row of django-tasks-db) run in one
  transaction, so a worker that dies between the two leaves neither, and another worker
  takes the slot: exactly once.
- Redis (`YIWANG_CACHE_URL`): add() is `SET NX`. The enqueue is not in the same transaction,
  so a worker that wins the key and then fails to enqueue (database down) loses that slot;
  the job runs in the next one.

Failure modes, written down so jobs are built for them (every job must be idempotent):
- a slot key that disappears before its slot ends lets a second worker enqueue the job again
  in the same slot: a Redis restart without persistence, Redis eviction under memory
  pressure, or the database cache culling entries when it holds more than MAX_ENTRIES
  (300 unless the settings raise it);
- clocks of different machines that disagree move slot boundaries by the difference (run NTP);
- a job is late by up to one worker tick (`TICK_SECONDS`); if no worker runs during a whole
  slot, that slot's run is skipped, not made up later.
Keys are made per slot, not "the job's key with a timeout of one interval", because the
database cache's add() over an *expired* key is a plain UPDATE that two workers can both win.
"""

from __future__ import annotations

import inspect
import logging
import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.apps import apps
from django.core.cache import cache, caches
from django.core.cache.backends.db import DatabaseCache
from django.core.cache.backends.redis import RedisCache
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.utils import timezone
from django_tasks.base import Task  # on Django 6: django.tasks.Task

logger = logging.getLogger("yiwang.periodic")

TICK_SECONDS = 10  # how often a worker looks for due jobs
MIN_EVERY = timedelta(minutes=1)  # several ticks per slot, so no slot is missed between ticks
_NAME = re.compile(r"[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+")
SHARED_CACHES = (DatabaseCache, RedisCache)  # caches whose add() is atomic across machines


@dataclass(frozen=True, kw_only=True)
class PeriodicJob:
    """`task` (a django-tasks Task that needs no arguments) is enqueued once per `every`."""

    name: str  # "<package>.<job>", e.g. "workflow.sweep_overdue"; part of the cache key
    every: timedelta
    task: Task

    def __post_init__(self) -> None:
        if not _NAME.fullmatch(self.name) or len(self.name) > 100:
            raise ImproperlyConfigured(f"periodic job name {self.name!r}: use '<package>.<job>', lower case")
        if self.every < MIN_EVERY or self.every.total_seconds() % 1:
            raise ImproperlyConfigured(
                f"periodic job {self.name}: every must be whole seconds, at least {MIN_EVERY}"
            )
        if not isinstance(self.task, Task):
            raise ImproperlyConfigured(f"periodic job {self.name}: task must be a @task() function")
        try:  # it is enqueued without arguments
            inspect.signature(self.task.func).bind(*(["context"] if self.task.takes_context else []))
        except TypeError as error:
            raise ImproperlyConfigured(
                f"periodic job {self.name}: the task must take no arguments"
            ) from error

    @property
    def seconds(self) -> int:
        return int(self.every.total_seconds())

    def slot(self, now: datetime) -> int:
        """The number of the interval `now` falls in; the same on every machine."""
        return int(now.timestamp()) // self.seconds

    def slot_key(self, slot: int) -> str:
        # The interval is part of the key, so changing it in a release starts a fresh series.
        return f"yiwang.periodic:{self.name}:{self.seconds}:{slot}"


_registered: dict[str, PeriodicJob] = {}  # filled while the apps load, read-only afterwards


def register(*, name: str, every: timedelta, task: Task) -> PeriodicJob:
    """Declare a periodic job; call from `AppConfig.ready()` only."""
    if apps.ready:
        raise ImproperlyConfigured(f"periodic job {name}: register it in AppConfig.ready(), not at run time")
    if name in _registered:
        raise ImproperlyConfigured(f"periodic job {name} is registered twice")
    job = PeriodicJob(name=name, every=every, task=task)
    _registered[name] = job
    return job


def registered_jobs() -> tuple[PeriodicJob, ...]:
    return tuple(_registered.values())


def check_shared_cache() -> None:
    """Refuse a per-process cache (local memory, dummy, files): every worker would enqueue."""
    backend = caches["default"]
    if not isinstance(backend, SHARED_CACHES):
        raise ImproperlyConfigured(
            f"periodic jobs need a cache shared by all workers (database or Redis), not {type(backend).__name__}"
        )


def claim(job: PeriodicJob, *, now: datetime, worker: str = "") -> bool:
    """Enqueue `job` for the slot of `now` unless some worker already did; True if this call did."""
    slot = job.slot(now)
    key = job.slot_key(slot)
    if cache.has_key(key):  # the usual case once a slot is taken; spares PostgreSQL's log a
        return False  # duplicate-key error per worker per slot
    # Keep the key two intervals: it must outlive its slot, or an add() in the same slot would
    # meet an expired row (see the module docstring).
    with transaction.atomic():
        if not cache.add(key, {"by": worker, "at": now.isoformat()}, timeout=2 * job.seconds):
            return False
        job.task.enqueue()
    logger.info("periodic job %s enqueued for slot %s by %s", job.name, slot, worker or "this process")
    return True


def enqueue_due(
    *,
    now: datetime | None = None,
    jobs: tuple[PeriodicJob, ...] | None = None,
    settled: dict[str, int] | None = None,
    worker: str = "",
) -> list[str]:
    """Enqueue each job whose current slot nobody has claimed; returns the names enqueued.

    `settled` is the calling worker's memory of the slot it last saw decided for each job (won
    or lost), so it asks the cache once per slot instead of every tick. A job whose claim fails
    (database down) is logged and tried again at the next tick.
    """
    now = now or timezone.now()
    jobs = registered_jobs() if jobs is None else jobs
    settled = {} if settled is None else settled
    enqueued = []
    for job in jobs:
        slot = job.slot(now)
        if settled.get(job.name) == slot:
            continue
        try:
            won = claim(job, now=now, worker=worker)
        except Exception:
            logger.exception("periodic job %s: could not claim slot %s", job.name, slot)
            continue
        settled[job.name] = slot
        if won:
            enqueued.append(job.name)
    return enqueued
