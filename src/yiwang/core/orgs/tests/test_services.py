"""Organisation services validate and audit whether called by the API, a form or an import."""

from __future__ import annotations

import pytest

from yiwang.core.audit.models import AuditRecord
from yiwang.core.errors import Conflict, InvalidInput, PermissionDenied
from yiwang.core.orgs import services
from yiwang.core.tests import factories


def test_division_create_rejects_a_code_outside_the_parent(sys_admin, city):
    with pytest.raises(InvalidInput) as caught:
        services.division_create(actor=sys_admin, code="110101", name="错位区", parent=city)

    assert "code" in caught.value.fields


def test_division_update_renames_and_audits(sys_admin, city):
    services.division_update(actor=sys_admin, division=city, name="示范新市", expected_version=1)

    city.refresh_from_db()
    assert (city.name, city.version) == ("示范新市", 2)
    record = AuditRecord.objects.get(action="orgs.division.updated")
    assert record.changes == {"name": ["示范市", "示范新市"]}


def test_division_update_with_a_stale_version_conflicts(sys_admin, city):
    services.division_update(actor=sys_admin, division=city, name="甲", expected_version=1)
    stale = type(city).objects.get(pk=city.pk)
    stale.version = 1

    with pytest.raises(Conflict):
        services.division_update(actor=sys_admin, division=stale, name="乙", expected_version=1)


def test_writes_need_the_manage_permissions(department, city):
    clerk = factories.create_official(department=department, role="window_clerk")

    with pytest.raises(PermissionDenied):
        services.department_create(actor=clerk, name="新部门", division=city)
    with pytest.raises(PermissionDenied):
        services.division_update(actor=clerk, division=city, name="改名")


def test_department_sort_order_is_checked(sys_admin, city):
    with pytest.raises(InvalidInput) as caught:
        services.department_create(actor=sys_admin, name="新部门", division=city, sort_order=-1)

    assert caught.value.fields == {"sort_order": "排序应为0–32767的整数"}
