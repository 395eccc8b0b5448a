"""`yiwang config`, `yiwang serve` (gunicorn plus a supervised task worker) and `yiwang check --deploy`."""

from __future__ import annotations

import io
import os
import subprocess
import sys

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings

from yiwang.config import env
from yiwang.core.management.commands import serve


def test_config_prints_every_variable_with_its_default_and_meaning():
    out = io.StringIO()
    call_command("config", stdout=out)
    lines = out.getvalue().strip().splitlines()
    assert lines[0].startswith("| 变量 Variable |")
    rows = lines[2:]
    assert len(rows) == len(env.VARIABLES)
    for variable, row in zip(env.VARIABLES, rows, strict=True):
        assert row.startswith(f"| `{variable.name}` |")
        assert variable.meaning.replace("|", "\\|") in row
        if variable.default:
            assert f"`{variable.default}`" in row
        assert row.count(" | ") == 2  # three cells: nothing broke the table


class _Exec:
    """Stands in for exec (--no-worker) and for the supervisor (default): records, starts nothing."""

    def __init__(self):
        self.argv = None
        self.supervised = None
        self.collected = False

    def execv(self, path, argv):
        self.argv = argv

    def supervise(self, *lines):
        self.supervised = list(lines)
        self.argv = lines[0]
        return 0

    def call_command(self, name, **options):
        assert name == "collectstatic" and options["interactive"] is False
        self.collected = True


@pytest.fixture
def exec_(monkeypatch):
    fake = _Exec()
    monkeypatch.setattr(serve.os, "execv", fake.execv)
    monkeypatch.setattr(serve, "supervise", fake.supervise)
    monkeypatch.setattr(serve, "call_command", fake.call_command)
    return fake


def test_serve_collects_static_files_then_runs_gunicorn_and_one_task_worker(exec_, settings):
    settings.DEBUG = False
    out = io.StringIO()
    call_command("serve", "--port", "8123", "--workers", "3", stdout=out)
    assert exec_.collected
    web, worker = exec_.supervised
    assert web[1:4] == ["-m", "gunicorn", "yiwang.config.wsgi:application"]
    assert web[web.index("--bind") + 1] == "127.0.0.1:8123"
    assert web[web.index("--workers") + 1] == "3"
    assert worker[1:] == ["-m", "yiwang.config.cli", "worker"]
    assert "http://127.0.0.1:8123/" in out.getvalue()
    assert "后台任务进程" in out.getvalue()


def test_serve_no_worker_execs_gunicorn_alone(exec_):
    out = io.StringIO()
    call_command("serve", "--no-worker", "--port", "8124", stdout=out)
    assert exec_.supervised is None
    assert exec_.argv[1:4] == ["-m", "gunicorn", "yiwang.config.wsgi:application"]
    assert exec_.argv[exec_.argv.index("--bind") + 1] == "127.0.0.1:8124"
    assert "worker" not in exec_.argv
    assert "不含后台任务进程" in out.getvalue()


def test_serve_command_lines_with_and_without_the_worker():
    with_worker = serve.command_lines(host="0.0.0.0", port=80, workers=4, with_worker=True)
    alone = serve.command_lines(host="0.0.0.0", port=80, workers=4, with_worker=False)
    assert alone == with_worker[:1]
    assert with_worker[1] == serve.worker_argv()
    assert len(with_worker) == 2


def test_serve_exits_with_gunicorns_status_when_gunicorn_fails(exec_, monkeypatch):
    monkeypatch.setattr(serve, "supervise", lambda *lines: 3)
    with pytest.raises(CommandError) as failure:
        call_command("serve", stdout=io.StringIO())
    assert failure.value.returncode == 3


def test_serve_binds_ipv6_in_brackets(exec_):
    call_command("serve", "--host", "::1", stdout=io.StringIO())
    assert exec_.argv[exec_.argv.index("--bind") + 1] == "[::1]:8000"


@pytest.mark.parametrize("args", [["--port", "0"], ["--port", "70000"], ["--workers", "0"], ["--host", " "]])
def test_serve_refuses_bad_options(exec_, args):
    with pytest.raises(CommandError):
        call_command("serve", *args, stdout=io.StringIO())
    assert exec_.argv is None


# --- serve supervising gunicorn and the worker (fake processes on a fake clock) ---------------


class FakeProcess:
    def __init__(self, argv, started_at, *, exits_at=None, code=0, stubborn=False):
        self.args, self.started_at = argv, started_at
        self.exits_at, self.code, self.stubborn = exits_at, code, stubborn
        self.now = started_at
        self.terminated = self.killed = False

    def poll(self):
        if self.killed or (self.terminated and not self.stubborn):
            return -15
        if self.exits_at is not None and self.now >= self.exits_at:
            return self.code
        return None

    def terminate(self):
        self.terminated = True

    def kill(self):
        self.killed = True

    def wait(self, timeout=None):
        if self.poll() is None:
            raise subprocess.TimeoutExpired(self.args, timeout)
        return self.poll()


class FakeMachine:
    """A clock that moves only when the supervisor sleeps, and the processes it started."""

    def __init__(self, *, web=None, worker=None, stop_at=None):
        self.now = 0.0
        self.web, self.worker = web or {}, worker or {}  # FakeProcess options, relative to start
        self.stop_at = stop_at
        self.started: list[FakeProcess] = []
        self.supervisor = serve.Supervisor(
            web_argv=["gunicorn"],
            worker_argv=["worker"],
            spawn=self.spawn,
            clock=lambda: self.now,
            sleep=self.sleep,
        )

    def spawn(self, argv):
        options = dict(self.web if argv == ["gunicorn"] else self.worker)
        if options.get("exits_at") is not None:
            options["exits_at"] += self.now
        process = FakeProcess(argv, self.now, **options)
        self.started.append(process)
        return process

    def sleep(self, seconds):
        self.now += seconds
        for process in self.started:
            process.now = self.now
        if self.stop_at is not None and self.now >= self.stop_at:
            self.supervisor.request_stop()

    def of(self, argv):
        return [process for process in self.started if process.args == [argv]]


def test_serve_restarts_a_dying_worker_with_growing_back_off_and_keeps_gunicorn():
    machine = FakeMachine(worker={"exits_at": 0.5, "code": 1}, stop_at=30)
    assert machine.supervisor.run() == 0
    workers = machine.of("worker")
    died = [process.exits_at for process in workers]
    pauses = [later.started_at - death for death, later in zip(died, workers[1:], strict=False)]
    assert pauses[:4] == [1.0, 2.0, 4.0, 8.0]
    assert len(machine.of("gunicorn")) == 1
    assert machine.of("gunicorn")[0].terminated  # stopped only when serve was asked to stop


def test_serve_back_off_starts_afresh_after_a_worker_ran_a_long_time():
    machine = FakeMachine(worker={"exits_at": serve.STABLE_SECONDS + 1, "code": 1}, stop_at=200)
    machine.supervisor.run()
    workers = machine.of("worker")
    assert [
        later.started_at - earlier.exits_at for earlier, later in zip(workers, workers[1:], strict=False)
    ] == [1.0] * (len(workers) - 1)


def test_serve_stops_the_worker_and_reports_gunicorns_status_when_gunicorn_exits():
    machine = FakeMachine(web={"exits_at": 3.0, "code": 4})
    assert machine.supervisor.run() == 4
    (worker,) = machine.of("worker")
    assert worker.terminated and not worker.killed


def test_serve_asked_to_stop_stops_both_and_kills_one_that_will_not():
    machine = FakeMachine(worker={"stubborn": True}, stop_at=2)
    assert machine.supervisor.run() == 0
    (web,), (worker,) = machine.of("gunicorn"), machine.of("worker")
    assert web.terminated and not web.killed
    assert worker.terminated and worker.killed


@pytest.mark.skipif(os.name != "posix", reason="process groups and gunicorn are POSIX-only")
def test_serve_runs_real_children_in_their_own_process_groups_and_stops_them():
    idle = [sys.executable, "-c", "import time; time.sleep(600)"]
    started = []

    def spawn(argv):
        process = serve.spawn(argv)
        started.append((process, os.getpgid(process.pid)))
        return process

    supervisor = serve.Supervisor(web_argv=idle, worker_argv=idle, spawn=spawn)
    supervisor.sleep = lambda seconds: supervisor.request_stop() if len(started) == 2 else None
    assert supervisor.run() == 0
    assert len(started) == 2
    for process, group in started:
        assert group == process.pid  # Ctrl-C in the terminal reaches serve, not the children
        assert process.returncode is not None  # stopped, not left behind


@pytest.mark.django_db
def test_check_deploy_passes_in_production_mode():
    # Production as a city runs it: debug off, a long secret, secure cookies (the default
    # when YIWANG_SECURE_COOKIES is unset; the test environment sets it to false for http).
    production = override_settings(
        DEBUG=False,
        SECRET_KEY="a-production-secret-of-more-than-fifty-characters-Q7x!9zR#m2",
        SESSION_COOKIE_SECURE=True,
        CSRF_COOKIE_SECURE=True,
    )
    out = io.StringIO()
    with production:
        call_command("check", deploy=True, fail_level="WARNING", stdout=out, stderr=out)
    assert "no issues" in out.getvalue()
