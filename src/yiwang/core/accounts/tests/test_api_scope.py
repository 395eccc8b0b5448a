"""The scope test: an official sees, and reveals, only people within their departments."""

from __future__ import annotations

from yiwang.core.accounts.models import Role
from yiwang.core.accounts.tests.helpers import queries_for
from yiwang.core.audit.models import AuditRecord
from yiwang.core.tests import factories

ID_NUMBER = "11010519491231002X"


def reveal(client, user, field="phone", purpose="核实办件联系人"):
    return client.post(
        f"/api/v1/users/{user.pk}/reveal",
        {"field": field, "purpose": purpose},
        content_type="application/json",
    )


def test_department_admin_cannot_see_another_departments_official(client, department, other_department):
    admin_a = factories.create_official(department=department, role="dept_admin", display_name="甲管理员")
    colleague_a = factories.create_official(department=department, role="window_clerk", display_name="甲窗口")
    official_b = factories.create_official(department=other_department, role="handler", display_name="乙承办")
    client.force_login(admin_a)

    listed = client.get("/api/v1/users").json()
    ids = {item["id"] for item in listed["items"]}

    assert ids == {admin_a.pk, colleague_a.pk}
    assert listed["count"] == 2
    assert client.get(f"/api/v1/users/{colleague_a.pk}").status_code == 200
    hidden = client.get(f"/api/v1/users/{official_b.pk}")
    assert hidden.status_code == 404
    assert hidden.json()["error"]["code"] == "not_found"
    assert reveal(client, official_b).status_code == 404
    assert client.post(f"/api/v1/users/{official_b.pk}/unlock").status_code == 404
    assert not AuditRecord.objects.filter(action="core.personal_data.revealed").exists()


def test_child_departments_are_in_scope(client, department):
    child = factories.create_department("政务服务中心", parent=department)
    admin = factories.create_official(department=department, role="dept_admin")
    clerk = factories.create_official(department=child, role="window_clerk")
    client.force_login(admin)

    assert client.get(f"/api/v1/users/{clerk.pk}").status_code == 200
    filtered = client.get(f"/api/v1/users?department={child.pk}").json()
    assert [item["id"] for item in filtered["items"]] == [clerk.pk]


def test_reveal_in_scope_gives_full_value_and_is_audited(client, department):
    admin = factories.create_official(department=department, role="dept_admin")
    clerk = factories.create_official(department=department, role="window_clerk", phone="13812345678")
    client.force_login(admin)

    detail = client.get(f"/api/v1/users/{clerk.pk}").json()
    response = reveal(client, clerk, purpose="核实联系方式")

    assert detail["phone_masked"] == "138****5678"
    assert response.status_code == 200
    assert response.json() == {"field": "phone", "value": "13812345678"}
    record = AuditRecord.objects.get(action="core.personal_data.revealed")
    assert record.actor_id == admin.pk
    assert record.target_type == "accounts.user" and record.target_id == str(clerk.pk)
    assert record.changes == {"field": "phone", "purpose": "核实联系方式"}
    assert record.channel.startswith("api:")


def test_city_wide_reveal_of_a_citizens_id_number(client, citizen):
    city_admin = factories.create_official(role="dept_admin", city_wide=True)
    subject = factories.create_citizen(id_number=ID_NUMBER)
    client.force_login(city_admin)

    masked = client.get(f"/api/v1/users/{subject.pk}").json()["id_number_masked"]
    full = reveal(client, subject, field="id_number").json()["value"]

    assert masked == "110105********002X"
    assert full == ID_NUMBER


def test_reveal_without_permission_is_403_and_needs_a_purpose(client, department):
    supervisor = factories.create_official(department=department, role="supervisor")
    admin = factories.create_official(department=department, role="dept_admin")
    clerk = factories.create_official(department=department, role="window_clerk")

    client.force_login(supervisor)
    assert client.get(f"/api/v1/users/{clerk.pk}").status_code == 200  # may see, masked
    assert reveal(client, clerk).status_code == 403

    client.force_login(admin)
    no_purpose = reveal(client, clerk, purpose=" ")
    bad_field = reveal(client, clerk, field="password")
    assert no_purpose.json()["error"]["fields"] == {"purpose": "请填写查看事由（1–200字）"}
    assert bad_field.status_code == 422 and "field" in bad_field.json()["error"]["fields"]
    assert not AuditRecord.objects.filter(action="core.personal_data.revealed").exists()


def test_window_clerk_without_user_view_sees_only_themself(client, department):
    clerk = factories.create_official(department=department, role="window_clerk")
    colleague = factories.create_official(department=department, role="window_clerk")
    client.force_login(clerk)

    listed = client.get("/api/v1/users").json()

    assert [item["id"] for item in listed["items"]] == [clerk.pk]
    assert client.get(f"/api/v1/users/{colleague.pk}").status_code == 404
    assert client.get(f"/api/v1/users/{clerk.pk}").status_code == 200


def test_user_list_query_count_does_not_grow_with_rows(client, department, django_assert_max_num_queries):
    admin = factories.create_official(department=department, role="dept_admin")
    client.force_login(admin)
    baseline = queries_for(client, "/api/v1/users?limit=50")
    for _ in range(12):
        factories.create_official(department=department, role="handler")

    # Session, user, throttle bookkeeping, grants, count, page: the same for 1 row or 13.
    with django_assert_max_num_queries(min(baseline, 12)):
        response = client.get("/api/v1/users?limit=50")

    assert response.json()["count"] == 13


def test_user_list_filters_and_pagination(client, sys_admin, department):
    factories.create_citizen(display_name="赵六")
    factories.create_official(department=department, role="handler", display_name="钱七")
    client.force_login(sys_admin)

    citizens = client.get("/api/v1/users?kind=citizen").json()
    by_name = client.get("/api/v1/users?q=钱七").json()
    page = client.get("/api/v1/users?limit=1&offset=1").json()
    too_many = client.get("/api/v1/users?limit=1000")
    bad_kind = client.get("/api/v1/users?kind=alien")

    assert {item["kind"] for item in citizens["items"]} == {"citizen"}
    assert [item["display_name"] for item in by_name["items"]] == ["钱七"]
    assert len(page["items"]) == 1 and page["count"] == 3
    assert too_many.status_code in (200, 422)
    assert bad_kind.status_code == 422 and "kind" in bad_kind.json()["error"]["fields"]


def test_roles_list_shows_permission_codes(client, department):
    clerk = factories.create_official(department=department, role="window_clerk")
    client.force_login(clerk)

    roles = {role["code"]: role for role in client.get("/api/v1/roles?limit=50").json()["items"]}

    assert "accounts.user.manage" in roles["dept_admin"]["permissions"]
    assert roles["dept_admin"]["name"] == "部门管理员"


def test_citizens_cannot_list_roles(client, citizen):
    client.force_login(citizen)

    assert client.get("/api/v1/roles").status_code == 403
    assert [item["id"] for item in client.get("/api/v1/users").json()["items"]] == [citizen.pk]


def test_role_list_query_count(client, department, django_assert_max_num_queries):
    clerk = factories.create_official(department=department, role="window_clerk")
    client.force_login(clerk)

    baseline = queries_for(client, "/api/v1/me")

    # One query for the roles and one prefetch for all their permissions, plus the count.
    with django_assert_max_num_queries(baseline + 3):
        assert client.get("/api/v1/roles?limit=50").status_code == 200
    assert Role.objects.count() >= 9


def test_openapi_describes_masked_users_only(client, db):
    schema = client.get("/api/v1/openapi.json").json()

    user_fields = set(schema["components"]["schemas"]["UserOut"]["properties"])
    assert {"id_number_masked", "phone_masked"} <= user_fields
    assert not {
        f for f in user_fields if "encrypted" in f or "index" in f or f in ("id_number", "phone", "password")
    }
    assert "/api/v1/users/{user_id}/reveal" in schema["paths"]
