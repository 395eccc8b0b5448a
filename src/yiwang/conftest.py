"""Fixtures shared by every package's tests."""

from __future__ import annotations

import pytest

from yiwang.core.tests import factories


@pytest.fixture(autouse=True)
def _plain_static_storage(settings):
    # Production settings use whitenoise's manifest storage, which needs `collectstatic`
    # to have run; tests render templates without it.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture
def city(db):
    return factories.create_city()


@pytest.fixture
def department(db, city):
    return factories.create_department("市政务服务管理局", division=city)


@pytest.fixture
def other_department(db, city):
    return factories.create_department("市公安局", division=city)


@pytest.fixture
def sys_admin(db):
    return factories.create_sys_admin()


@pytest.fixture
def citizen(db):
    return factories.create_citizen()


@pytest.fixture
def api_client(client):
    return client
