"""人员 pages: scope by department (an official of one department cannot read another's
people through the pages), masked data, and the audited reveal with a purpose."""

from __future__ import annotations

import pytest

from yiwang.core.audit.models import AuditRecord
from yiwang.core.tests.factories import create_citizen, create_department, create_official

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_departments(city):
    a = create_department("市公安局", division=city)
    a_child = create_department("市公安局户政处", parent=a)
    b = create_department("市民政局", division=city)
    return {
        "a": a,
        "admin_a": create_official(department=a, role="dept_admin", display_name="甲管理员"),
        "clerk_a": create_official(department=a_child, role="window_clerk", display_name="甲窗口"),
        "admin_b": create_official(department=b, role="dept_admin", display_name="乙管理员"),
        "clerk_b": create_official(department=b, role="window_clerk", display_name="乙窗口"),
    }


def test_list_shows_own_department_and_children_only(client, two_departments, django_assert_max_num_queries):
    client.force_login(two_departments["admin_a"])

    with django_assert_max_num_queries(12):
        html = client.get("/workbench/users/").content.decode()

    assert ">甲管理员</a>" in html and ">甲窗口</a>" in html
    assert "乙管理员" not in html and "乙窗口" not in html


def test_list_query_count_does_not_grow_with_rows(client, two_departments, django_assert_max_num_queries):
    for n in range(25):
        create_official(department=two_departments["a"], role="approver", display_name=f"人员{n}")
    client.force_login(two_departments["admin_a"])

    with django_assert_max_num_queries(12):
        response = client.get("/workbench/users/?page=2")

    assert response.status_code == 200
    assert "第 2 / 2 页" in response.content.decode()


def test_list_filters_by_name(client, two_departments):
    client.force_login(two_departments["admin_a"])

    html = client.get("/workbench/users/", {"q": "窗口"}).content.decode()

    assert ">甲窗口</a>" in html and ">甲管理员</a>" not in html


def test_list_does_not_exist_without_the_view_permission(client, two_departments):
    client.force_login(two_departments["clerk_a"])

    assert client.get("/workbench/users/").status_code == 404


def test_detail_of_another_departments_official_is_404(client, two_departments):
    client.force_login(two_departments["admin_b"])

    response = client.get(f"/workbench/users/{two_departments['clerk_a'].pk}/")

    assert response.status_code == 404
    assert "甲窗口" not in response.content.decode()


def test_reveal_of_another_departments_official_is_404_and_not_logged(client, two_departments):
    client.force_login(two_departments["admin_b"])

    response = client.post(
        f"/workbench/users/{two_departments['clerk_a'].pk}/reveal/", {"field": "phone", "purpose": "核实身份"}
    )

    assert response.status_code == 404
    assert two_departments["clerk_a"].phone not in response.content.decode()
    assert not AuditRecord.objects.filter(action="core.personal_data.revealed").exists()


def test_citizens_are_outside_a_department_admins_scope(client, two_departments):
    citizen = create_citizen(display_name="群众甲")
    client.force_login(two_departments["admin_a"])

    assert "群众甲" not in client.get("/workbench/users/").content.decode()
    assert client.get(f"/workbench/users/{citizen.pk}/").status_code == 404


def test_detail_shows_phone_masked(client, two_departments):
    clerk = two_departments["clerk_a"]
    client.force_login(two_departments["admin_a"])

    html = client.get(f"/workbench/users/{clerk.pk}/").content.decode()

    assert clerk.phone_masked in html and clerk.phone not in html
    assert "市公安局户政处" in html
    assert 'for="purpose"' in html


def test_reveal_needs_a_purpose(client, two_departments):
    clerk = two_departments["clerk_a"]
    client.force_login(two_departments["admin_a"])

    response = client.post(f"/workbench/users/{clerk.pk}/reveal/", {"field": "phone", "purpose": ""})

    assert response.status_code == 422
    html = response.content.decode()
    assert '<p class="field-error" id="purpose-error">请填写查看事由（1–200字）</p>' in html
    assert clerk.phone not in html
    assert not AuditRecord.objects.filter(action="core.personal_data.revealed").exists()


def test_reveal_with_purpose_shows_the_full_value_and_logs_who_why(client, two_departments):
    clerk = two_departments["clerk_a"]
    admin = two_departments["admin_a"]
    client.force_login(admin)

    response = client.post(
        f"/workbench/users/{clerk.pk}/reveal/", {"field": "phone", "purpose": "核实联系方式"}
    )

    assert response.status_code == 200
    assert clerk.phone in response.content.decode()
    record = AuditRecord.objects.get(action="core.personal_data.revealed")
    assert record.actor_id == admin.pk and record.target_id == str(clerk.pk)
    assert record.changes == {"field": "phone", "purpose": "核实联系方式"}
    assert record.channel.startswith("page:/workbench/users/")


def test_reveal_without_the_permission_is_refused(client, two_departments):
    """A supervisor may view people but not their full personal data."""
    supervisor = create_official(department=two_departments["a"], role="supervisor")
    clerk = two_departments["clerk_a"]
    client.force_login(supervisor)

    assert "查看完整个人信息" not in client.get(f"/workbench/users/{clerk.pk}/").content.decode()
    response = client.post(f"/workbench/users/{clerk.pk}/reveal/", {"field": "phone", "purpose": "好奇"})

    assert response.status_code == 403
    assert clerk.phone not in response.content.decode()
