"""`yiwang serve`: run the platform under gunicorn on one machine.

With debug off, whitenoise serves static files from STATIC_ROOT through the manifest that
`collectstatic` writes, so it is run first (quietly; it copies only what changed). The
command then replaces itself with gunicorn (exec), so signals and the exit status are
gunicorn's own: Ctrl-C stops it, a process manager can supervise it.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

import yiwang

SOURCE_DIR = Path(yiwang.__file__).resolve().parent.parent


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


class Command(BaseCommand):
    help = "用 gunicorn 运行平台。Serve the platform with gunicorn."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1", help="监听地址 Address to listen on.")
        parser.add_argument("--port", type=int, default=8000, help="端口 Port.")
        parser.add_argument("--workers", type=int, default=2, help="工作进程数 Worker processes.")

    def handle(self, *args, host, port, workers, **options):
        if not host.strip():
            raise CommandError("--host 不能为空")
        if not 1 <= port <= 65535:
            raise CommandError("--port 应为1–65535")
        if not 1 <= workers <= 64:
            raise CommandError("--workers 应为1–64")
        if not settings.DEBUG:
            call_command("collectstatic", interactive=False, verbosity=0)
        shown = f"[{host}]" if ":" in host else host
        self.stdout.write(f"一网 yiwang: http://{shown}:{port}/ （{workers} 个工作进程，Ctrl-C 停止）")
        self.stdout.flush()
        argv = gunicorn_argv(host=host, port=port, workers=workers)
        os.execv(argv[0], argv)  # noqa: S606 — a fixed argument list, no shell
