"""Fixtures for the page and browser tests.

Browser tests drive Debian's Chromium (DESIGN.md: no browser download at install time)."""

from __future__ import annotations

import importlib
import os
from contextlib import contextmanager
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not CHROMIUM.exists():
        if os.environ.get("CI"):
            pytest.fail(
                "Debian chromium is required in CI but /usr/bin/chromium is missing (apt-get install chromium)"
            )
        pytest.skip("Debian chromium not installed (apt-get install chromium)")
    return {
        **browser_type_launch_args,
        "executable_path": str(CHROMIUM),
        "headless": True,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    # A browser set to Chinese, as most of the platform's users have: Django honours
    # Accept-Language until the person uses the language switch.
    return {**browser_context_args, "locale": "zh-CN"}


@pytest.fixture(scope="session")
def _allow_sync_orm_beside_playwright():
    """Playwright's sync API keeps an event loop running in the test thread from the moment
    it starts until the session ends; Django then refuses every ORM call from that thread
    ("async context"), test-database setup included. The live server answers from its own
    thread with its own connection, so lifting the guard is safe. It is lifted only once a
    browser test starts Playwright, and put back when the session ends."""
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    yield
    if previous is None:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(scope="session")
def playwright(_allow_sync_orm_beside_playwright, playwright):
    return playwright


@contextmanager
def _audit_triggers_lifted():
    """SQLite: the audit table refuses DELETE (audit 0002_append_only), so the flush that
    ends a transactional test fails; lift the triggers for the flush only. (PostgreSQL test
    databases are emptied with TRUNCATE, which audit 0003 allows there.)"""
    from django.db import connection

    if connection.vendor != "sqlite":
        yield
        return
    migration = importlib.import_module("yiwang.core.audit.migrations.0002_append_only")
    with connection.cursor() as cursor:
        for statement in migration.SQLITE_DROP:
            cursor.execute(statement)
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            for statement in migration.SQLITE:
                cursor.execute(statement)


@pytest.fixture(scope="session")
def audit_flushable():
    """Browser tests need committed data (the live server reads it from its own thread), so
    they are transactional; let their closing flush empty the append-only audit table."""
    from django.test import TransactionTestCase

    original = TransactionTestCase._fixture_teardown

    def teardown(self):
        with _audit_triggers_lifted():
            original(self)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(TransactionTestCase, "_fixture_teardown", teardown)
        yield
