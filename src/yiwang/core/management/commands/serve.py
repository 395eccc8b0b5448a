"""`yiwang serve`: run the platform under gunicorn on one machine, with one task worker beside it.

With debug off, whitenoise serves static files from STATIC_ROOT through the manifest that
`collectstatic` writes, so it is run first (quietly; it copies only what changed).

By default serve then starts two children and watches them: gunicorn, and one `yiwang worker`
(SMS and e-mail leave only through it; it also enqueues periodic jobs). A worker that dies is
logged and started again after a back-off (1 s, 2 s, 4 s … up to 60 s); if gunicorn exits,
serve stops the worker and exits with gunicorn's status. SIGTERM, SIGINT (Ctrl-C) or SIGHUP
stop both gracefully: each child gets exactly one SIGTERM — gunicorn finishes its requests,
the worker the task in hand — and is killed if it is still running after STOP_GRACE_SECONDS.

With `--no-worker` (a city running its workers on other machines) serve replaces itself with
gunicorn (exec) as before, so signals and the exit status are gunicorn's own.
"""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

import yiwang

SOURCE_DIR = Path(yiwang.__file__).resolve().parent.parent
POLL_SECONDS = 0.5
STOP_GRACE_SECONDS = 30  # gunicorn's own graceful timeout
BACKOFF_FIRST_SECONDS, BACKOFF_MAX_SECONDS = 1.0, 60.0
STABLE_SECONDS = 60.0  # a worker that ran this long before dying starts the back-off afresh
STOP_SIGNALS = tuple(
    getattr(signal, name) for name in ("SIGTERM", "SIGINT", "SIGHUP") if hasattr(signal, name)
)

logger = logging.getLogger("yiwang.serve")


def gunicorn_argv(*, host: str, port: int, workers: int) -> list[str]:
    bind = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
    return [
        sys.executable,
        "-m",
        "gunicorn",
        "yiwang.config.wsgi:application",
        "--pythonpath",
        str(SOURCE_DIR),
        "--bind",
        bind,
        "--workers",
        str(workers),
        "--access-logfile",
        "-",
        "--error-logfile",
        "-",
    ]


def worker_argv() -> list[str]:
    return [sys.executable, "-m", "yiwang.config.cli", "worker"]


def command_lines(*, host: str, port: int, workers: int, with_worker: bool) -> list[list[str]]:
    """The processes serve runs: gunicorn, then (unless --no-worker) one task worker."""
    lines = [gunicorn_argv(host=host, port=port, workers=workers)]
    if with_worker:
        lines.append(worker_argv())
    return lines


def spawn(argv: list[str]) -> subprocess.Popen:
    # Each child in its own process group: a Ctrl-C in the terminal then reaches serve alone,
    # which sends each child one SIGTERM. Had the child got the terminal's SIGINT as well, that
    # second signal would make db_worker abandon the task in hand.
    group = {"process_group": 0} if os.name == "posix" else {}
    return subprocess.Popen(argv, **group)  # noqa: S603 — a fixed argument list, no shell


class Supervisor:
    """Runs gunicorn and one worker; restarts the worker with back-off; stops both on request."""

    def __init__(
        self,
        *,
        web_argv: list[str],
        worker_argv: list[str],
        spawn: Callable[[list[str]], subprocess.Popen] = spawn,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ):
        self.web_argv, self.worker_argv = web_argv, worker_argv
        self.spawn, self.clock, self.sleep = spawn, clock, sleep
        self.stop_requested = False

    def request_stop(self, signum=None, frame=None) -> None:
        """The signal handler: only sets a flag (further signals change nothing)."""
        if not self.stop_requested:
            logger.info("serve: stopping gunicorn and the worker (signal %s)", signum)
        self.stop_requested = True

    def run(self) -> int:
        """Supervise until asked to stop (returns 0) or until gunicorn exits (returns its code)."""
        web = self.spawn(self.web_argv)
        worker, started, failures, restart_at = None, 0.0, 0, self.clock()
        try:
            while not self.stop_requested:
                code = web.poll()
                if code is not None:
                    logger.error("serve: gunicorn exited with status %s; stopping the worker", code)
                    return code
                if worker is None:
                    if self.clock() >= restart_at:
                        worker, started = self.spawn(self.worker_argv), self.clock()
                elif (code := worker.poll()) is not None:
                    ran = self.clock() - started
                    failures = 1 if ran >= STABLE_SECONDS else failures + 1
                    delay = min(BACKOFF_MAX_SECONDS, BACKOFF_FIRST_SECONDS * 2 ** (failures - 1))
                    logger.error(
                        "serve: 后台任务进程退出 the task worker exited with status %s after %.0f s;"
                        " restarting it in %.0f s",
                        code,
                        ran,
                        delay,
                    )
                    worker, restart_at = None, self.clock() + delay
                self.sleep(POLL_SECONDS)
            return 0
        finally:
            self._stop([process for process in (web, worker) if process is not None])

    def _stop(self, processes: list[subprocess.Popen]) -> None:
        running = [process for process in processes if process.poll() is None]
        for process in running:
            process.terminate()
        deadline = self.clock() + STOP_GRACE_SECONDS
        for process in running:
            try:
                process.wait(timeout=max(0.0, deadline - self.clock()))
            except subprocess.TimeoutExpired:
                logger.error(
                    "serve: %s did not stop within %s s; killing it", process.args, STOP_GRACE_SECONDS
                )
                process.kill()
                process.wait()


def supervise(web_argv: list[str], worker_argv: list[str]) -> int:
    supervisor = Supervisor(web_argv=web_argv, worker_argv=worker_argv)
    previous = {number: signal.signal(number, supervisor.request_stop) for number in STOP_SIGNALS}
    try:
        return supervisor.run()
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)


class Command(BaseCommand):
    help = (
        "用 gunicorn 运行平台，并启动一个后台任务进程。Serve the platform with gunicorn and one task worker."
    )

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1", help="监听地址 Address to listen on.")
        parser.add_argument("--port", type=int, default=8000, help="端口 Port.")
        parser.add_argument("--workers", type=int, default=2, help="工作进程数 Worker processes.")
        parser.add_argument(
            "--no-worker",
            action="store_true",
            help="不启动后台任务进程（任务进程在其他机器上运行时）"
            " Start no task worker (when `yiwang worker` runs on other machines).",
        )

    def handle(self, *args, host, port, workers, no_worker, **options):
        if not host.strip():
            raise CommandError("--host 不能为空")
        if not 1 <= port <= 65535:
            raise CommandError("--port 应为1–65535")
        if not 1 <= workers <= 64:
            raise CommandError("--workers 应为1–64")
        if not settings.DEBUG:
            call_command("collectstatic", interactive=False, verbosity=0)
        shown = f"[{host}]" if ":" in host else host
        beside = "不含后台任务进程" if no_worker else "另有 1 个后台任务进程"
        self.stdout.write(
            f"一网 yiwang: http://{shown}:{port}/ （{workers} 个工作进程，{beside}；Ctrl-C 停止）"
        )
        self.stdout.flush()
        lines = command_lines(host=host, port=port, workers=workers, with_worker=not no_worker)
        if len(lines) == 1:
            os.execv(lines[0][0], lines[0])  # noqa: S606 — a fixed argument list, no shell
            return  # not reached: exec replaced this process
        code = supervise(*lines)
        if code:  # a negative status is a signal: report it as a shell would (128 + N)
            raise CommandError(f"gunicorn 退出，状态 {code}", returncode=code if code > 0 else 128 - code)
