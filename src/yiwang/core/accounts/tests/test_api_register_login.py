"""Registration and sign-in through the API: field messages, duplicates, lockout, passwords."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from yiwang.core.accounts.models import User
from yiwang.core.audit.models import AuditRecord
from yiwang.core.tests import factories

REGISTER = "/api/v1/auth/register"
LOGIN = "/api/v1/auth/login"

# GB 11643 example: 11010519491231002X is valid; the same body with check digit 1 is not.
VALID_ID = "11010519491231002X"
WRONG_CHECK_ID = "110105194912310021"


def post_json(client, url, data, **extra):
    return client.post(url, data, content_type="application/json", **extra)


def registration(**overrides):
    data = {
        "username": "zhangsan",
        "password": factories.PASSWORD,
        "display_name": "张三",
        "id_number": VALID_ID,
        "phone": "13812345678",
    }
    data.update(overrides)
    return data


def test_citizen_registers_and_sees_only_masked_personal_data(client, db):
    response = post_json(client, REGISTER, registration())

    assert response.status_code == 201
    body = response.json()
    assert body["id_number_masked"] == "110105********002X"
    assert body["phone_masked"] == "138****5678"
    assert body["kind"] == "citizen" and body["kind_label"] == "个人"
    assert VALID_ID not in response.content.decode()
    assert "13812345678" not in response.content.decode()
    assert not any("encrypted" in key or "index" in key for key in body)
    user = User.objects.get(username="zhangsan")
    assert user.id_number == VALID_ID
    assert AuditRecord.objects.filter(action="core.user.registered", target_id=str(user.pk)).exists()


def test_wrong_id_check_digit_is_a_field_message(client, db):
    response = post_json(client, REGISTER, registration(id_number=WRONG_CHECK_ID))

    assert response.status_code == 422
    assert response.json()["error"]["fields"] == {"id_number": "身份证号校验位错误"}
    assert not User.objects.filter(username="zhangsan").exists()


def test_every_bad_field_is_named_at_once(client, db):
    response = post_json(
        client, REGISTER, registration(username="1x", display_name="", phone="12345", password="abc")
    )

    assert response.status_code == 422
    fields = response.json()["error"]["fields"]
    assert fields["phone"] == "手机号码应为11位，以1开头"
    # The schema stops at the malformed phone; fix it and the service names the rest.
    response = post_json(client, REGISTER, registration(username="1x", display_name="", password="abc"))
    fields = response.json()["error"]["fields"]
    assert set(fields) == {"username", "display_name", "password"}
    assert fields["display_name"] == "姓名不能为空"


def test_duplicate_id_number_and_phone_are_refused(client, db):
    factories.create_citizen(id_number=VALID_ID, phone="13812345678")

    response = post_json(client, REGISTER, registration())

    assert response.status_code == 422
    fields = response.json()["error"]["fields"]
    assert fields["id_number"] == "该身份证号已注册，请直接登录或找回密码"
    assert fields["phone"] == "该手机号码已被其他账号使用"


def test_too_simple_password_gets_a_chinese_reason(client, db):
    response = post_json(client, REGISTER, registration(password="abcdefgh"))

    assert response.status_code == 422
    assert (
        "密码须包含大写字母、小写字母、数字、符号中的至少三类"
        in response.json()["error"]["fields"]["password"]
    )


@pytest.mark.parametrize("body", ["not json", "[]", '{"username": 5}', '{"id_number": null}'])
def test_malformed_registration_is_422_not_500(client, db, body):
    response = client.post(REGISTER, body, content_type="application/json")

    assert response.status_code in (400, 422)
    assert "error" in response.json()


def test_login_by_username_then_me_shows_profile(client, db):
    citizen = factories.create_citizen(username="lisi", phone="13912345678")

    response = post_json(client, LOGIN, {"username": "lisi", "password": factories.PASSWORD})

    assert response.status_code == 200
    assert response.json()["id"] == citizen.pk
    me = client.get("/api/v1/me")
    assert me.status_code == 200
    assert me.json()["phone_masked"] == "139****5678"


def test_login_by_phone(client, db):
    citizen = factories.create_citizen(username="wangwu", phone="13700001111")

    response = post_json(client, LOGIN, {"username": "137 0000 1111", "password": factories.PASSWORD})

    assert response.status_code == 200
    assert response.json()["username"] == citizen.username


def test_bad_credentials_are_401_in_the_envelope(client, db):
    factories.create_citizen(username="lisi")

    response = post_json(client, LOGIN, {"username": "lisi", "password": "Wrong@2026"})
    unknown = post_json(client, LOGIN, {"username": "nobody", "password": "Wrong@2026"})

    assert response.status_code == 401
    assert response.json()["error"]["code"] == "bad_credentials"
    assert unknown.json() == response.json()  # no user enumeration
    assert client.get("/api/v1/me").status_code == 401


def test_login_refuses_a_cross_site_form_post(client, db):
    factories.create_citizen(username="lisi")
    # An HTML form can send text/plain whose body happens to be JSON; it is refused all the same.
    body = json.dumps({"username": "lisi", "password": factories.PASSWORD})
    as_form = client.post(LOGIN, body, content_type="text/plain")
    other_origin = post_json(
        client,
        LOGIN,
        {"username": "lisi", "password": factories.PASSWORD},
        HTTP_ORIGIN="https://evil.example",
    )

    assert as_form.status_code == 403
    assert other_origin.status_code == 403
    assert other_origin.json()["error"]["code"] == "cross_site_request"
    assert client.get("/api/v1/me").status_code == 401


def fail(client, username, times):
    for _ in range(times):
        post_json(client, LOGIN, {"username": username, "password": "Wrong@2026"})


def test_lockout_after_repeated_failures_with_doubling_back_off(client, db, settings):
    settings.LOGIN_MAX_FAILURES = 3
    settings.LOGIN_LOCK_MINUTES = 15
    factories.create_citizen(username="lisi")
    good = {"username": "lisi", "password": factories.PASSWORD}
    start = timezone.now()

    with time_machine.travel(start, tick=False) as clock:
        fail(client, "lisi", 3)
        locked = post_json(client, LOGIN, good)
        assert locked.status_code == 403
        assert locked.json()["error"]["code"] == "account_locked"

        clock.move_to(start + timedelta(minutes=16))  # first lock: 15 minutes
        fail(client, "lisi", 3)  # second lock: 30 minutes
        clock.move_to(start + timedelta(minutes=16 + 20))
        assert post_json(client, LOGIN, good).status_code == 403
        clock.move_to(start + timedelta(minutes=16 + 31))
        assert post_json(client, LOGIN, good).status_code == 200

    assert AuditRecord.objects.filter(action="core.user.locked").count() == 2


def test_department_admin_unlocks_a_colleague(client, db, department, settings):
    settings.LOGIN_MAX_FAILURES = 3
    admin = factories.create_official(department=department, role="dept_admin")
    clerk = factories.create_official(department=department, role="window_clerk", username="clerk1")
    fail(client, "clerk1", 3)
    assert post_json(client, LOGIN, {"username": "clerk1", "password": factories.PASSWORD}).status_code == 403

    client.force_login(admin)
    response = client.post(f"/api/v1/users/{clerk.pk}/unlock")
    client.logout()

    assert response.status_code == 200
    assert response.json()["locked_until"] is None
    assert post_json(client, LOGIN, {"username": "clerk1", "password": factories.PASSWORD}).status_code == 200
    assert AuditRecord.objects.filter(action="core.user.unlocked", actor_id=admin.pk).exists()


def test_password_change_checks_the_old_password_and_the_rules(client, citizen):
    client.force_login(citizen)
    url = "/api/v1/me/password"

    wrong_old = post_json(client, url, {"old_password": "nope", "new_password": "Better#2027"})
    too_simple = post_json(client, url, {"old_password": factories.PASSWORD, "new_password": "aaaaaaaa1"})
    ok = post_json(client, url, {"old_password": factories.PASSWORD, "new_password": "Better#2027"})

    assert wrong_old.json()["error"]["fields"] == {"old_password": "原密码不正确"}
    assert "至少三类" in too_simple.json()["error"]["fields"]["new_password"]
    assert ok.status_code == 204
    assert client.get("/api/v1/me").status_code == 200  # this session survives the change
    citizen.refresh_from_db()
    assert citizen.check_password("Better#2027")


def test_logout_ends_the_session(client, citizen):
    client.force_login(citizen)

    assert client.post("/api/v1/auth/logout").status_code == 204
    assert client.get("/api/v1/me").status_code == 401
