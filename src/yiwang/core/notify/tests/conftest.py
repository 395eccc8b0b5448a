import pytest

from yiwang.core.notify.backends import MemorySms


@pytest.fixture(autouse=True)
def _notify_settings(settings):
    # SMS into the in-memory outbox, background tasks run at once (so tests run the real task),
    # e-mail to Django's locmem outbox (pytest-django's test environment sets it).
    settings.SMS_BACKEND = "yiwang.core.notify.backends.MemorySms"
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    MemorySms.outbox.clear()
    yield
    MemorySms.outbox.clear()
