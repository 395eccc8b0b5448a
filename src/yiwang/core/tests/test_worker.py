"""`yiwang worker`: running tasks, and enqueueing each periodic job once per interval across workers."""

from __future__ import annotations

import socket
import subprocess
import threading
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.core.management import CommandError, call_command
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext
from django_tasks import task
from django_tasks.backends.dummy import DummyBackend
from django_tasks_db.models import DBTaskResult

from yiwang.core import periodic
from yiwang.core.management.commands import serve


@task()
def periodic_probe() -> str:
    """The test-only periodic job (no production job exists yet)."""
    return "ran"


@task()
def needs_an_argument(number: int) -> int:
    return number


class RefusingBackend(DummyBackend):
    """A task queue that cannot be reached."""

    def enqueue(self, task, args, kwargs):
        raise ConnectionError("task queue unreachable")


PROBE = periodic.PeriodicJob(name="tests.probe", every=timedelta(minutes=5), task=periodic_probe)
# 10:00:10 UTC: 10 s into a five-minute slot (slots are aligned to the Unix epoch).
SLOT_START = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)


def probe_runs() -> int:
    return DBTaskResult.objects.filter(task_path=periodic_probe.module_path).count()


@pytest.fixture
def clean_cache():
    # Transactional tests flush the models' tables, not the cache table: leave it as found.
    cache.clear()
    yield
    cache.clear()


# --- the periodic claim ---------------------------------------------------------------------


@pytest.mark.django_db
def test_two_workers_claiming_the_same_slot_enqueue_the_job_once():
    now = SLOT_START + timedelta(seconds=10)
    first = periodic.claim(PROBE, now=now, worker="machine-a")
    second = periodic.claim(PROBE, now=now + timedelta(seconds=3), worker="machine-b")
    assert (first, second) == (True, False)
    assert probe_runs() == 1


@pytest.mark.django_db
def test_a_job_not_yet_due_is_not_enqueued_until_its_next_interval():
    worker_a, worker_b = {}, {}  # each worker's own memory of decided slots
    with time_machine.travel(SLOT_START + timedelta(seconds=10), tick=False):
        assert periodic.enqueue_due(jobs=(PROBE,), settled=worker_a) == ["tests.probe"]
    with time_machine.travel(SLOT_START + timedelta(minutes=4, seconds=50), tick=False):
        assert periodic.enqueue_due(jobs=(PROBE,), settled=worker_a) == []
        assert periodic.enqueue_due(jobs=(PROBE,), settled=worker_b) == []  # a fresh worker asks the cache
    assert probe_runs() == 1
    with time_machine.travel(SLOT_START + timedelta(minutes=5, seconds=1), tick=False):
        assert periodic.enqueue_due(jobs=(PROBE,), settled=worker_b) == ["tests.probe"]
        assert periodic.enqueue_due(jobs=(PROBE,), settled=worker_a) == []
    assert probe_runs() == 2


@pytest.mark.django_db
def test_a_slot_whose_enqueue_failed_is_taken_by_the_next_worker(settings):
    # Database cache: the slot key and the task row commit together or not at all.
    now = SLOT_START + timedelta(seconds=10)
    settings.TASKS = {"default": {"BACKEND": "yiwang.core.tests.test_worker.RefusingBackend"}}
    assert periodic.enqueue_due(now=now, jobs=(PROBE,)) == []  # logged, not raised
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    assert periodic.enqueue_due(now=now, jobs=(PROBE,)) == ["tests.probe"]
    assert probe_runs() == 1


def _race(rounds: int, workers: int, wins: list, failures: list, barrier: threading.Barrier, number: int):
    try:
        for slot in range(rounds):
            barrier.wait()
            now = SLOT_START + slot * PROBE.every + timedelta(seconds=1)
            if periodic.claim(PROBE, now=now, worker=f"thread-{number}"):
                wins.append(slot)
    except Exception as error:  # reported to the main thread, which fails the test
        failures.append(repr(error))
        barrier.abort()
    finally:
        connections.close_all()


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite serialises writers on one database lock (and is one machine): no race to test",
)
@pytest.mark.django_db(transaction=True)
def test_workers_racing_on_their_own_connections_enqueue_each_slot_once(clean_cache):
    rounds, workers = 8, 4
    wins: list[int] = []
    failures: list[str] = []
    barrier = threading.Barrier(workers)
    threads = [
        threading.Thread(target=_race, args=(rounds, workers, wins, failures, barrier, number))
        for number in range(workers)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    assert sorted(wins) == list(range(rounds))  # every slot won, and by one worker only
    assert probe_runs() == rounds


# --- registering jobs -------------------------------------------------------------------------


def test_registering_a_job_after_start_up_is_refused():
    with pytest.raises(ImproperlyConfigured, match="AppConfig.ready"):
        periodic.register(name="tests.late", every=timedelta(minutes=5), task=periodic_probe)
    assert "tests.late" not in [job.name for job in periodic.registered_jobs()]


@pytest.mark.parametrize(
    ("fields", "complaint"),
    [
        ({"name": "NoPackage"}, "name"),
        ({"every": timedelta(seconds=30)}, "at least"),
        ({"every": timedelta(minutes=1, microseconds=5)}, "whole seconds"),
        ({"task": needs_an_argument}, "no arguments"),
        ({"task": lambda: None}, "@task"),
    ],
)
def test_a_malformed_periodic_job_is_refused_at_start_up(fields, complaint):
    with pytest.raises(ImproperlyConfigured, match=complaint):
        periodic.PeriodicJob(
            **{"name": "tests.probe", "every": timedelta(minutes=5), "task": periodic_probe, **fields}
        )


# --- yiwang worker ----------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)  # the worker commits and checks its connection like a real one
def test_worker_batch_enqueues_the_due_periodic_jobs_and_runs_them(monkeypatch, clean_cache):
    monkeypatch.setattr(periodic, "_registered", {PROBE.name: PROBE})
    with time_machine.travel(SLOT_START + timedelta(seconds=10), tick=False):
        with CaptureQueriesContext(connection) as queries:
            call_command("worker", "--batch", "--no-startup-delay", verbosity=0)
        result = DBTaskResult.objects.get(task_path=periodic_probe.module_path)
        assert result.status == "SUCCESSFUL" and result.return_value == "ran"
        assert result.worker_ids[0].startswith(f"{socket.gethostname()[:40]}:")
        if connection.vendor == "postgresql":
            # Several workers on several machines never take the same task nor wait for each other.
            assert any("FOR UPDATE SKIP LOCKED" in query["sql"] for query in queries.captured_queries)

        call_command("worker", "--batch", "--no-startup-delay", verbosity=0)  # same slot: not again
    assert probe_runs() == 1


@pytest.mark.django_db
def test_worker_refuses_periodic_jobs_on_a_cache_other_workers_cannot_see(monkeypatch, settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    monkeypatch.setattr(periodic, "_registered", {PROBE.name: PROBE})
    with pytest.raises(CommandError, match="shared by all workers"):
        call_command("worker", "--batch", verbosity=0)
    assert probe_runs() == 0


def test_worker_help_runs_as_serve_starts_it():
    result = subprocess.run(
        [*serve.worker_argv(), "--help"],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    for option in ("--queue-name", "--batch", "--no-periodic", "--worker-id", "--max-tasks"):
        assert option in result.stdout
