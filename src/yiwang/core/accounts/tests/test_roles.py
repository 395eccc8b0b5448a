"""Roles and permissions are data: managed through the API and the admin, always audited."""

from __future__ import annotations

import pytest
from django.test import Client

from yiwang.core.accounts.models import Permission, Post, Role
from yiwang.core.accounts.services import roles
from yiwang.core.audit.models import AuditRecord
from yiwang.core.errors import Conflict, InvalidInput, PermissionDenied
from yiwang.core.tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager(client, sys_admin):
    client.force_login(sys_admin)
    return client


def send(client, method: str, url: str, data=None):
    return getattr(client, method)(url, data, content_type="application/json")


def codes_of(role: Role) -> set[str]:
    return set(role.permissions.values_list("code", flat=True))


def new_role(**overrides) -> dict:
    data = {
        "code": "archivist",
        "name": "档案员",
        "description": "管理电子档案",
        "permissions": ["accounts.user.view", "audit.record.view"],
    }
    data.update(overrides)
    return data


# --- create ----------------------------------------------------------------------------------
def test_a_role_created_through_the_api_is_listed_and_audited(manager, sys_admin):
    response = send(manager, "post", "/api/v1/roles", new_role())

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["code"] == "archivist" and body["builtin"] is False
    assert body["permissions"] == ["accounts.user.view", "audit.record.view"]
    listed = manager.get("/api/v1/roles?limit=200").json()["items"]
    assert "archivist" in [role["code"] for role in listed]
    record = AuditRecord.objects.get(action="core.role.created")
    assert record.actor_id == sys_admin.pk
    assert record.changes["code"] == "archivist"
    assert record.changes["permissions"] == ["accounts.user.view", "audit.record.view"]


def test_unknown_permission_codes_are_named_and_nothing_is_created(manager):
    response = send(
        manager, "post", "/api/v1/roles", new_role(permissions=["audit.record.view", "x.fly", "a.b"])
    )

    assert response.status_code == 422
    message = response.json()["error"]["fields"]["permissions"]
    assert "a.b" in message and "x.fly" in message and "audit.record.view" not in message
    assert not Role.objects.filter(code="archivist").exists()
    assert not AuditRecord.objects.filter(action="core.role.created").exists()


def test_duplicate_code_or_name_is_a_field_error(manager):
    by_code = send(manager, "post", "/api/v1/roles", new_role(code="window_clerk"))
    by_name = send(manager, "post", "/api/v1/roles", new_role(name="窗口人员"))

    assert by_code.status_code == 422 and by_code.json()["error"]["fields"]["code"] == "该角色代码已存在"
    assert by_name.status_code == 422 and by_name.json()["error"]["fields"]["name"] == "已有同名角色"


@pytest.mark.parametrize("code", ["Archivist", "a", "9lives", "has-dash", "x" * 33, ""])
def test_malformed_codes_are_refused(manager, code):
    response = send(manager, "post", "/api/v1/roles", new_role(code=code))

    assert response.status_code == 422
    assert "code" in response.json()["error"]["fields"]


def test_every_bad_field_is_named_at_once(manager):
    response = send(manager, "post", "/api/v1/roles", new_role(code="Bad", name="   ", permissions=["nope"]))

    assert response.status_code == 422
    assert set(response.json()["error"]["fields"]) == {"code", "name", "permissions"}


def test_overlong_name_is_refused_by_the_service(sys_admin):
    with pytest.raises(InvalidInput) as error:
        roles.role_create(actor=sys_admin, code="ok_code", name="名" * 65)
    assert error.value.fields == {"name": "角色名称不能超过64个字"}
    assert not Role.objects.filter(code="ok_code").exists()


# --- update ----------------------------------------------------------------------------------
def test_updating_permissions_audits_what_was_added_and_removed(manager):
    role = Role.objects.get(code="leader")
    before = codes_of(role)
    dropped = sorted(before)[0]
    wanted = sorted((before - {dropped}) | {"audit.record.view"})

    response = send(manager, "patch", "/api/v1/roles/leader", {"name": "分管领导", "permissions": wanted})

    assert response.status_code == 200, response.content
    assert response.json()["permissions"] == wanted and response.json()["name"] == "分管领导"
    record = AuditRecord.objects.get(action="core.role.updated")
    assert record.changes["permissions_added"] == ["audit.record.view"]
    assert record.changes["permissions_removed"] == [dropped]
    assert record.changes["name"] == ["领导", "分管领导"]


def test_an_update_that_changes_nothing_writes_no_audit_record(manager):
    role = Role.objects.get(code="handler")
    response = send(manager, "patch", "/api/v1/roles/handler", {"permissions": sorted(codes_of(role))})

    assert response.status_code == 200
    assert not AuditRecord.objects.filter(action="core.role.updated").exists()


def test_renaming_to_another_roles_name_is_refused(manager):
    response = send(manager, "patch", "/api/v1/roles/handler", {"name": "审批人员"})

    assert response.status_code == 422
    assert response.json()["error"]["fields"]["name"] == "已有同名角色"
    assert Role.objects.get(code="handler").name == "承办人员"


def test_an_unknown_role_is_not_found(manager):
    assert send(manager, "patch", "/api/v1/roles/nobody", {"name": "谁"}).status_code == 404
    assert send(manager, "delete", "/api/v1/roles/nobody").status_code == 404


# --- built-in roles --------------------------------------------------------------------------
def test_a_builtin_role_may_get_more_permissions(manager):
    role = Role.objects.get(code="window_clerk")
    wanted = sorted(codes_of(role) | {"audit.record.view"})

    response = send(manager, "patch", "/api/v1/roles/window_clerk", {"permissions": wanted})

    assert response.status_code == 200
    assert "audit.record.view" in codes_of(role)


@pytest.mark.parametrize("kept", ["accounts.role.manage", "core.admin.access"])
def test_sys_admin_keeps_the_rights_needed_to_repair_roles(manager, kept):
    role = Role.objects.get(code="sys_admin")
    before = codes_of(role)

    response = send(manager, "patch", "/api/v1/roles/sys_admin", {"permissions": sorted(before - {kept})})

    assert response.status_code == 422
    message = response.json()["error"]["fields"]["permissions"]
    assert kept in message and "系统管理员角色必须保留" in message
    assert codes_of(role) == before
    # Removing something else from sys_admin is allowed.
    other = sorted(before - {"accounts.role.manage", "core.admin.access"})[0]
    allowed = send(manager, "patch", "/api/v1/roles/sys_admin", {"permissions": sorted(before - {other})})
    assert allowed.status_code == 200


def test_a_builtin_role_cannot_be_deleted(manager):
    response = send(manager, "delete", "/api/v1/roles/leader")

    assert response.status_code == 409
    assert "内置角色" in response.json()["error"]["message"]
    assert Role.objects.filter(code="leader").exists()


# --- delete ----------------------------------------------------------------------------------
def test_an_unused_role_is_deleted_and_audited(manager):
    assert send(manager, "post", "/api/v1/roles", new_role()).status_code == 201

    response = send(manager, "delete", "/api/v1/roles/archivist")

    assert response.status_code == 204
    assert not Role.objects.filter(code="archivist").exists()
    record = AuditRecord.objects.get(action="core.role.deleted")
    assert record.changes["code"] == "archivist" and record.target_repr == "档案员"


def test_a_role_still_held_by_a_post_cannot_be_deleted(manager, department):
    assert send(manager, "post", "/api/v1/roles", new_role()).status_code == 201
    factories.create_official(department=department, role="archivist")

    response = send(manager, "delete", "/api/v1/roles/archivist")

    assert response.status_code == 409
    assert "仍有1个岗位使用" in response.json()["error"]["message"]
    assert Role.objects.filter(code="archivist").exists()
    assert not AuditRecord.objects.filter(action="core.role.deleted").exists()


# --- who may --------------------------------------------------------------------------------
def test_a_department_admin_may_not_write_roles(client, department):
    client.force_login(factories.create_official(department=department, role="dept_admin"))
    leader_before = codes_of(Role.objects.get(code="leader"))

    responses = [
        send(client, "post", "/api/v1/roles", new_role()),
        send(client, "patch", "/api/v1/roles/leader", {"permissions": ["audit.record.view"]}),
        send(client, "patch", "/api/v1/roles/nobody", {"name": "谁"}),
        send(client, "delete", "/api/v1/roles/window_clerk"),
    ]

    assert [r.status_code for r in responses] == [403, 403, 403, 403]
    assert not Role.objects.filter(code="archivist").exists()
    assert codes_of(Role.objects.get(code="leader")) == leader_before
    assert not AuditRecord.objects.filter(action__startswith="core.role.").exists()


def test_services_refuse_an_actor_without_role_manage(department):
    clerk = factories.create_official(department=department, role="window_clerk")
    role = Role.objects.get(code="handler")
    with pytest.raises(PermissionDenied):
        roles.role_create(actor=clerk, code="archivist", name="档案员")
    with pytest.raises(PermissionDenied):
        roles.role_update(actor=clerk, role=role, name="改名")
    with pytest.raises(PermissionDenied):
        roles.role_delete(actor=clerk, role=role)


def test_a_newly_granted_permission_takes_effect_on_the_holders_next_request(manager, department):
    clerk = Client()
    clerk.force_login(factories.create_official(department=department, role="window_clerk"))
    assert clerk.get("/api/v1/audit/records").status_code == 403
    wanted = sorted(codes_of(Role.objects.get(code="window_clerk")) | {"audit.record.view"})

    granted = send(manager, "patch", "/api/v1/roles/window_clerk", {"permissions": wanted})

    assert granted.status_code == 200
    assert clerk.get("/api/v1/audit/records").status_code == 200
    # ...and taking it away again shuts the door on the next request too.
    wanted.remove("audit.record.view")
    assert send(manager, "patch", "/api/v1/roles/window_clerk", {"permissions": wanted}).status_code == 200
    assert clerk.get("/api/v1/audit/records").status_code == 403


# --- permissions list ------------------------------------------------------------------------
def test_officials_see_every_permission_with_its_chinese_name(
    client, department, django_assert_max_num_queries
):
    client.force_login(factories.create_official(department=department, role="handler"))
    client.get("/api/v1/permissions")  # warm-up: the throttle's cache row

    Permission.objects.bulk_create([Permission(code=f"demo.thing{i}", name=f"示例{i}") for i in range(30)])

    # session + user + the throttle's bookkeeping (6) + one for the list, however long
    with django_assert_max_num_queries(9):
        response = client.get("/api/v1/permissions")

    assert response.status_code == 200
    listed = {item["code"]: item["name"] for item in response.json()}
    assert listed == dict(Permission.objects.values_list("code", "name"))
    assert listed["accounts.role.manage"] == "管理角色与权限"


def test_citizens_may_not_list_permissions(client, citizen):
    client.force_login(citizen)
    assert client.get("/api/v1/permissions").status_code == 403


# --- admin -----------------------------------------------------------------------------------
def test_admin_change_of_a_roles_permissions_is_audited_through_the_service(manager):
    role = Role.objects.get(code="leader")
    before = set(role.permissions.values_list("pk", flat=True))
    added = Permission.objects.get(code="audit.record.view")
    data = {
        "name": role.name,
        "description": role.description,
        "permissions": [str(pk) for pk in before | {added.pk}],
    }

    response = manager.post(f"/admin/accounts/role/{role.pk}/change/", data)

    assert response.status_code == 302, response.content.decode()[:2000]
    record = AuditRecord.objects.get(action="core.role.updated")
    assert record.changes["permissions_added"] == ["audit.record.view"]
    assert record.changes["permissions_removed"] == []
    assert "audit.record.view" in codes_of(role)


def test_admin_create_is_audited_and_a_duplicate_name_shows_beside_the_field(manager):
    permission = Permission.objects.get(code="accounts.user.view")
    data = {"code": "archivist", "name": "档案员", "description": "", "permissions": [str(permission.pk)]}

    created = manager.post("/admin/accounts/role/add/", data)
    again = manager.post("/admin/accounts/role/add/", {**data, "code": "archivist2"})

    assert created.status_code == 302, created.content.decode()[:2000]
    assert AuditRecord.objects.get(action="core.role.created").changes["permissions"] == [
        "accounts.user.view"
    ]
    assert again.status_code == 200 and "已有同名角色" in again.content.decode()
    assert not Role.objects.filter(code="archivist2").exists()


def test_admin_refuses_to_strip_sys_admin_and_writes_nothing(manager):
    role = Role.objects.get(code="sys_admin")
    before = codes_of(role)
    keep = role.permissions.exclude(code="accounts.role.manage")
    data = {"name": "超级管理员", "description": role.description, "permissions": [str(p.pk) for p in keep]}

    response = manager.post(f"/admin/accounts/role/{role.pk}/change/", data)

    assert response.status_code == 200
    assert "系统管理员角色必须保留" in response.content.decode()
    role.refresh_from_db()
    assert role.name == "系统管理员" and codes_of(role) == before
    assert not AuditRecord.objects.filter(action="core.role.updated").exists()


def test_posts_keep_working_after_a_role_is_renamed(manager, department):
    official = factories.create_official(department=department, role="handler")
    assert send(manager, "patch", "/api/v1/roles/handler", {"name": "办理人员"}).status_code == 200
    assert Post.objects.get(user=official).role.name == "办理人员"


def test_deleting_a_builtin_role_through_the_service_raises_conflict(sys_admin):
    with pytest.raises(Conflict):
        roles.role_delete(actor=sys_admin, role=Role.objects.get(code="handler"))
