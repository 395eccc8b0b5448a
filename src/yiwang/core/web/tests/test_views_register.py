"""个人注册 through the page: errors beside the fields, and the success path."""

from __future__ import annotations

import re

import pytest

from yiwang.core.accounts.models import User, UserKind
from yiwang.core.tests.factories import PASSWORD, create_citizen, make_id_number, make_mobile

pytestmark = pytest.mark.django_db


def _form(**overrides) -> dict:
    data = {
        "username": "liming",
        "display_name": "李明",
        "id_number": make_id_number(),
        "phone": make_mobile(),
        "password": PASSWORD,
        "password_confirm": PASSWORD,
    }
    data.update(overrides)
    return data


def _field_error(html: str, field: str) -> str:
    match = re.search(rf'<p class="field-error" id="{field}-error">(.*?)</p>', html)
    return match.group(1) if match else ""


def test_register_page_labels_every_field(client):
    html = client.get("/register/").content.decode()
    for field in ("username", "display_name", "id_number", "phone", "password", "password_confirm"):
        assert f'<label for="{field}">' in html
        assert f'id="{field}"' in html


def test_wrong_check_digit_is_shown_beside_the_id_number_field(client):
    valid = make_id_number()
    wrong = valid[:-1] + ("0" if valid[-1] != "0" else "1")

    response = client.post("/register/", _form(id_number=wrong))

    assert response.status_code == 422
    html = response.content.decode()
    assert _field_error(html, "id_number") == "身份证号校验位错误"
    assert 'aria-describedby="id_number-error"' in html
    assert not User.objects.filter(username="liming").exists()


def test_every_wrong_field_gets_its_own_message_at_once(client):
    taken = create_citizen()
    response = client.post(
        "/register/",
        _form(username="1bad", display_name="", id_number="12345", phone=taken.phone, password="short"),
    )

    html = response.content.decode()
    assert response.status_code == 422
    assert _field_error(html, "display_name") == "请填写姓名"
    # The form only checks presence; the rest comes from the registration service, all at once.
    response = client.post(
        "/register/",
        _form(
            username="1bad", id_number="12345", phone=taken.phone, password="short", password_confirm="short"
        ),
    )
    html = response.content.decode()
    assert "用户名须以字母开头" in _field_error(html, "username")
    assert "身份证号应为18位" in _field_error(html, "id_number")
    assert _field_error(html, "phone") == "该手机号码已被其他账号使用"
    assert _field_error(html, "password")
    assert '<p class="error" role="alert">' in html


def test_mismatched_confirmation_is_shown_beside_the_confirmation(client):
    response = client.post("/register/", _form(password_confirm=PASSWORD + "x"))

    assert _field_error(response.content.decode(), "password_confirm") == "两次输入的密码不一致"
    assert not User.objects.filter(username="liming").exists()


def test_an_id_number_registered_before_is_refused(client):
    existing = create_citizen()

    response = client.post("/register/", _form(id_number=existing.id_number))

    assert "该身份证号已注册" in _field_error(response.content.decode(), "id_number")


def test_registration_signs_in_and_welcomes_on_my_page(client):
    data = _form()

    response = client.post("/register/", data, follow=True)

    assert response.redirect_chain == [("/me/", 302)]
    user = User.objects.get(username="liming")
    assert user.kind == UserKind.CITIZEN
    assert user.id_number == data["id_number"]
    html = response.content.decode()
    assert "欢迎，李明！" in html
    # 我的信息 shows the numbers masked, never in full.
    assert data["id_number"] not in html
    assert user.id_number_masked in html


def test_signed_in_person_is_sent_from_registration_to_my_page(client):
    client.force_login(create_citizen())

    assert client.get("/register/")["Location"] == "/me/"
