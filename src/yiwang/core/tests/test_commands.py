"""`yiwang config`, `yiwang serve` and `yiwang check --deploy`."""

from __future__ import annotations

import io

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
    def __init__(self):
        self.argv = None
        self.collected = False

    def execv(self, path, argv):
        self.argv = argv

    def call_command(self, name, **options):
        assert name == "collectstatic" and options["interactive"] is False
        self.collected = True


@pytest.fixture
def exec_(monkeypatch):
    fake = _Exec()
    monkeypatch.setattr(serve.os, "execv", fake.execv)
    monkeypatch.setattr(serve, "call_command", fake.call_command)
    return fake


def test_serve_collects_static_files_then_runs_gunicorn(exec_, settings):
    settings.DEBUG = False
    out = io.StringIO()
    call_command("serve", "--port", "8123", "--workers", "3", stdout=out)
    assert exec_.collected
    argv = exec_.argv
    assert argv[1:4] == ["-m", "gunicorn", "yiwang.config.wsgi:application"]
    assert argv[argv.index("--bind") + 1] == "127.0.0.1:8123"
    assert argv[argv.index("--workers") + 1] == "3"
    assert "http://127.0.0.1:8123/" in out.getvalue()


def test_serve_binds_ipv6_in_brackets(exec_):
    call_command("serve", "--host", "::1", stdout=io.StringIO())
    assert exec_.argv[exec_.argv.index("--bind") + 1] == "[::1]:8000"


@pytest.mark.parametrize("args", [["--port", "0"], ["--port", "70000"], ["--workers", "0"], ["--host", " "]])
def test_serve_refuses_bad_options(exec_, args):
    with pytest.raises(CommandError):
        call_command("serve", *args, stdout=io.StringIO())
    assert exec_.argv is None


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
