"""Department administrators manage officials in their scope: create, posts, edit, deactivate."""

from __future__ import annotations

import pytest

from yiwang.core.accounts.models import Post, Role, User
from yiwang.core.accounts.services import users
from yiwang.core.audit.models import AuditRecord
from yiwang.core.errors import PermissionDenied
from yiwang.core.tests import factories


def new_official(department, **overrides):
    data = {
        "username": "clerk_new",
        "password": factories.PASSWORD,
        "display_name": "新窗口",
        "phone": "13600001111",
        "department_id": department.pk,
        "role": "window_clerk",
    }
    data.update(overrides)
    return data


def post_json(client, url, data):
    return client.post(url, data, content_type="application/json")


def test_department_admin_adds_an_official_with_a_post(client, department):
    admin = factories.create_official(department=department, role="dept_admin")
    client.force_login(admin)

    response = post_json(client, "/api/v1/officials", new_official(department))

    assert response.status_code == 201
    body = response.json()
    assert body["kind"] == "official" and body["phone_masked"] == "136****1111"
    assert [(p["department_id"], p["role"]) for p in body["posts"]] == [(department.pk, "window_clerk")]
    actions = set(AuditRecord.objects.filter(actor_id=admin.pk).values_list("action", flat=True))
    assert {"core.user.created", "core.post.granted"} <= actions


def test_official_in_another_department_is_refused(client, department, other_department):
    admin = factories.create_official(department=department, role="dept_admin")
    client.force_login(admin)

    response = post_json(client, "/api/v1/officials", new_official(other_department))

    assert response.status_code == 403
    assert not User.objects.filter(username="clerk_new").exists()


def test_unknown_role_or_department_is_a_field_error(client, department):
    admin = factories.create_official(department=department, role="dept_admin")
    client.force_login(admin)

    bad_role = post_json(client, "/api/v1/officials", new_official(department, role="emperor"))
    bad_department = post_json(client, "/api/v1/officials", new_official(department, department_id=999999))

    assert bad_role.json()["error"]["fields"] == {"role": "角色不存在"}
    assert bad_department.json()["error"]["fields"] == {"department_id": "部门不存在"}


def test_a_role_the_admin_does_not_hold_rolls_back_the_whole_creation(client, department):
    """The post is granted after the user row is written; its refusal must undo the user too."""
    admin = factories.create_official(department=department, role="dept_admin")
    client.force_login(admin)
    before = AuditRecord.objects.count()

    response = post_json(client, "/api/v1/officials", new_official(department, role="sys_admin"))

    assert response.status_code == 403
    assert "系统管理员" in response.json()["error"]["message"]
    assert not User.objects.filter(username="clerk_new").exists()
    assert not Post.objects.filter(role__code="sys_admin", department=department).exists()
    assert AuditRecord.objects.count() == before


def test_city_wide_grant_by_a_department_admin_rolls_back_in_the_service(department):
    admin = factories.create_official(department=department, role="dept_admin")

    with pytest.raises(PermissionDenied):
        users.official_create(
            actor=admin,
            username="wide_one",
            password=factories.PASSWORD,
            display_name="越权",
            department=department,
            role=Role.objects.get(code="window_clerk"),
            city_wide=True,
        )

    assert not User.objects.filter(username="wide_one").exists()


def test_posts_are_granted_and_revoked_within_scope(client, department, other_department):
    admin = factories.create_official(department=department, role="dept_admin")
    clerk = factories.create_official(department=department, role="window_clerk")
    foreign_post = factories.grant(factories.create_official(), other_department, "handler")
    client.force_login(admin)

    granted = post_json(
        client, f"/api/v1/users/{clerk.pk}/posts", {"department_id": department.pk, "role": "approver"}
    )
    assert granted.status_code == 201
    post_id = granted.json()["id"]

    assert client.delete(f"/api/v1/posts/{post_id}").status_code == 204
    assert not Post.objects.filter(pk=post_id).exists()
    assert client.delete(f"/api/v1/posts/{foreign_post.pk}").status_code == 404
    assert Post.objects.filter(pk=foreign_post.pk).exists()
    assert AuditRecord.objects.filter(action="core.post.revoked", actor_id=admin.pk).count() == 1


def test_posts_cannot_be_granted_to_a_citizen(client, sys_admin, citizen, department):
    client.force_login(sys_admin)

    response = post_json(
        client, f"/api/v1/users/{citizen.pk}/posts", {"department_id": department.pk, "role": "handler"}
    )

    assert response.status_code == 422


def test_official_update_with_a_stale_version_is_a_409(client, department):
    admin = factories.create_official(department=department, role="dept_admin")
    clerk = factories.create_official(department=department, role="window_clerk", display_name="旧名")
    client.force_login(admin)
    url = f"/api/v1/users/{clerk.pk}"

    first = client.patch(url, {"version": 1, "display_name": "新名"}, content_type="application/json")
    second = client.patch(url, {"version": 1, "display_name": "另一个名"}, content_type="application/json")

    assert first.status_code == 200 and first.json()["version"] == 2
    assert second.status_code == 409
    assert second.json()["error"]["code"] == "conflict"
    clerk.refresh_from_db()
    assert clerk.display_name == "新名"


def test_official_update_phone_is_audited_masked(client, department):
    admin = factories.create_official(department=department, role="dept_admin")
    clerk = factories.create_official(department=department, role="window_clerk", phone="13811112222")
    client.force_login(admin)

    response = client.patch(
        f"/api/v1/users/{clerk.pk}", {"phone": "13933334444"}, content_type="application/json"
    )

    assert response.json()["phone_masked"] == "139****4444"
    record = AuditRecord.objects.get(action="core.user.updated")
    assert record.changes == {"phone": ["138****2222", "139****4444"]}
    assert "13933334444" not in str(record.changes)


def test_deactivated_official_cannot_sign_in_and_tokens_stop(client, department):
    from yiwang.core.accounts.services.tokens import api_token_create

    admin = factories.create_official(department=department, role="dept_admin")
    clerk = factories.create_official(department=department, role="window_clerk", username="leaving")
    _, secret = api_token_create(actor=clerk, name="脚本")
    client.force_login(admin)

    missing_reason = post_json(client, f"/api/v1/users/{clerk.pk}/deactivate", {"reason": ""})
    response = post_json(client, f"/api/v1/users/{clerk.pk}/deactivate", {"reason": "调离本单位"})
    client.logout()

    assert missing_reason.status_code == 422
    assert response.status_code == 200 and response.json()["is_active"] is False
    assert client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {secret}").status_code == 401
    login = post_json(client, "/api/v1/auth/login", {"username": "leaving", "password": factories.PASSWORD})
    assert login.status_code == 403
    assert AuditRecord.objects.filter(action="core.user.deactivated", target_id=str(clerk.pk)).exists()


def test_an_admin_cannot_deactivate_themself_or_a_foreign_official(client, department, other_department):
    admin = factories.create_official(department=department, role="dept_admin")
    foreign = factories.create_official(department=other_department, role="handler")
    client.force_login(admin)

    assert post_json(client, f"/api/v1/users/{admin.pk}/deactivate", {"reason": "试试"}).status_code == 403
    assert post_json(client, f"/api/v1/users/{foreign.pk}/deactivate", {"reason": "试试"}).status_code == 404
    foreign.refresh_from_db()
    assert foreign.is_active
