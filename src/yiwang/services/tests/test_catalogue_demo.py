"""`yiwang demo`: the demo catalogue published through the catalogue services, once."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from yiwang.core.accounts.models import User
from yiwang.core.audit.models import AuditRecord
from yiwang.core.demo.loader import load_demo
from yiwang.services.models import ItemStatus, ServiceItem, ServiceItemVersion, ServiceWindow, VersionStatus

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _quick_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def test_the_demo_publishes_the_catalogue_and_the_windows_once():
    load_demo()
    items = ServiceItem.objects.filter(status=ItemStatus.PUBLISHED).select_related("published_version")
    assert items.count() >= 20
    for item in items:
        assert item.published_version.status == VersionStatus.PUBLISHED and item.published_version.number == 1
    assert ServiceItemVersion.objects.filter(process_code="services.joint").exists()  # 并联审批
    assert ServiceItemVersion.objects.filter(result_kind="license").exclude(result_license_type="").exists()
    assert ServiceWindow.objects.filter(is_active=True).count() >= 5
    # the market's items were drafted by its 部门管理员 and published by the 政务服务管理员
    published = AuditRecord.objects.filter(action="services.item.published")
    assert published.count() == items.count()
    manager, deptadmin = (User.objects.get(username=name) for name in ("servicemgr", "deptadmin"))
    assert set(published.values_list("actor_id", flat=True)) == {manager.pk}
    assert AuditRecord.objects.filter(action="services.item.created", actor_id=deptadmin.pk).exists()

    client = Client()
    for item in items:
        page = client.get(reverse("services:guide", args=[item.pk]))
        assert page.status_code == 200 and item.name in page.content.decode(), item.name

    counts = (ServiceItem.objects.count(), ServiceItemVersion.objects.count(), ServiceWindow.objects.count())
    load_demo()
    assert (
        ServiceItem.objects.count(),
        ServiceItemVersion.objects.count(),
        ServiceWindow.objects.count(),
    ) == counts
