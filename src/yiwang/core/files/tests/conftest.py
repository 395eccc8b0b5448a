import pytest


@pytest.fixture(autouse=True)
def _memory_storage(settings):
    # Blobs go to Django's in-memory storage: nothing is written under var/ by the tests.
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    }
