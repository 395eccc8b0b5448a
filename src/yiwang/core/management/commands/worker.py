"""`yiwang worker`: run background tasks (SMS, e-mail, …) and enqueue the periodic jobs.

The tasks are run by django-tasks-db's `db_worker`, which this command calls. It is safe to
run on several machines at once: a worker claims a task inside a transaction with
`SELECT … FOR UPDATE SKIP LOCKED` on PostgreSQL, so two workers never take the same task and
never wait for each other; on SQLite (one machine only) the claim runs in a `BEGIN EXCLUSIVE`
transaction, so workers take turns. Beside it, a thread enqueues each due periodic job
(`yiwang.core.periodic`), at most once per interval across all workers.

`yiwang serve` starts one of these beside gunicorn unless told `--no-worker`.
"""

from __future__ import annotations

import logging
import os
import socket
import threading

from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import close_old_connections, connections
from django.utils.crypto import get_random_string
from django_tasks_db.management.commands.db_worker import valid_interval, valid_max_tasks, validate_worker_id

from yiwang.core import periodic

logger = logging.getLogger("yiwang.worker")


def default_worker_id() -> str:
    """host:pid:random — unique in the pool, and says where a task ran (≤ 64 characters)."""
    return f"{socket.gethostname()[:40]}:{os.getpid()}:{get_random_string(6)}"


class PeriodicThread(threading.Thread):
    """Every `TICK_SECONDS`, enqueue the due periodic jobs; stops when `stop()` is called."""

    def __init__(self, *, worker_id: str, jobs: tuple[periodic.PeriodicJob, ...]):
        super().__init__(name="yiwang-periodic", daemon=True)  # never keeps a stopping worker alive
        self.worker_id = worker_id
        self.jobs = jobs
        self.settled: dict[str, int] = {}  # this worker's memory of decided slots, per job
        self.stopping = threading.Event()

    def run(self) -> None:
        try:
            while not self.stopping.is_set():
                try:
                    close_old_connections()  # a database restart must not end the schedule
                    periodic.enqueue_due(jobs=self.jobs, settled=self.settled, worker=self.worker_id)
                except Exception:
                    logger.exception("periodic jobs: tick failed; trying again")
                self.stopping.wait(periodic.TICK_SECONDS)
        finally:
            connections.close_all()  # this thread's own connections

    def stop(self) -> None:
        self.stopping.set()
        self.join(timeout=periodic.TICK_SECONDS)


class Command(BaseCommand):
    help = (
        "运行后台任务（短信、邮件等）并按时加入周期任务；可在多台机器上同时运行。"
        " Run background tasks and enqueue periodic jobs; safe on several machines at once."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--queue-name",
            default="*",
            help="要处理的队列，逗号分隔；* 为全部 Queues to run, comma-separated; * for all (default: *).",
        )
        parser.add_argument(
            "--interval",
            type=valid_interval,
            default=1.0,
            help="队列为空时等待的秒数 Seconds to wait when the queue is empty (default: 1).",
        )
        parser.add_argument(
            "--batch",
            action="store_true",
            help="加入到期的周期任务、运行完所有排队任务后退出 Enqueue due periodic jobs, run every queued task, then exit.",
        )
        parser.add_argument(
            "--max-tasks",
            type=valid_max_tasks,
            default=None,
            help="运行这么多任务后退出 Exit after running this many tasks.",
        )
        parser.add_argument(
            "--worker-id",
            type=validate_worker_id,
            default=None,
            help="本进程在任务记录中的标识，须唯一 This worker's id in task records, unique in the pool"
            " (default: host:pid:random).",
        )
        parser.add_argument(
            "--no-periodic",
            action="store_true",
            help="只运行任务，不加入周期任务 Run tasks only; do not enqueue periodic jobs.",
        )
        parser.add_argument(
            "--no-startup-delay",
            action="store_false",
            dest="startup_delay",
            help="启动时不随机等待（最多1秒） Skip the random start-up delay (up to 1 s) that spreads many workers.",
        )

    def handle(
        self, *args, queue_name, interval, batch, max_tasks, worker_id, no_periodic, startup_delay, **options
    ):
        worker_id = worker_id or default_worker_id()
        jobs = () if no_periodic else periodic.registered_jobs()
        if jobs:
            try:
                periodic.check_shared_cache()
            except ImproperlyConfigured as error:
                raise CommandError(str(error)) from error
        db_worker = {
            "queue_name": queue_name,
            "interval": interval,
            "batch": batch,
            "max_tasks": max_tasks,
            "worker_id": worker_id,
            "startup_delay": startup_delay,
            "reload": False,  # the periodic thread and the autoreloader's two processes do not mix
            "verbosity": options["verbosity"],
        }
        names = ", ".join(job.name for job in jobs) or "无 none"
        logger.info("worker %s: queues %s; periodic jobs: %s", worker_id, queue_name, names)
        if batch:
            periodic.enqueue_due(jobs=jobs, worker=worker_id)
            call_command("db_worker", **db_worker)
            return
        thread = PeriodicThread(worker_id=worker_id, jobs=jobs)
        if jobs:
            thread.start()
        try:
            # Runs until SIGTERM / SIGINT (db_worker finishes the task in hand, then exits).
            call_command("db_worker", **db_worker)
        finally:
            if thread.is_alive():
                thread.stop()
