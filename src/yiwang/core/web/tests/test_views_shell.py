"""The shell: portal home, navigation by permission, login page, language switch."""

from __future__ import annotations

import pytest

from yiwang.core.audit.models import AuditRecord
from yiwang.core.notify.models import Message
from yiwang.core.tests.factories import PASSWORD, create_citizen, create_department, create_official

pytestmark = pytest.mark.django_db


def test_home_offers_login_and_registration_to_visitors(client):
    html = client.get("/").content.decode()

    assert "一网通办" in html and "一网统管" in html and "一网协同" in html
    assert 'href="/login/"' in html and 'href="/register/"' in html
    assert 'href="#main"' in html  # skip link


def test_home_shows_a_citizen_shortcuts_and_unread_count_but_no_workbench(client):
    citizen = create_citizen()
    Message.objects.create(recipient=citizen, title="办件已受理")
    Message.objects.create(recipient=citizen, title="请补正材料")
    client.force_login(citizen)

    html = client.get("/").content.decode()

    assert "我的信息" in html
    assert '<span class="badge"' in html and ">2</span>" in html
    assert "/workbench/" not in html


def test_nav_shows_official_links_only_with_their_permissions(client):
    clerk = create_official(department=create_department(), role="window_clerk")
    client.force_login(clerk)
    html = client.get("/").content.decode()
    assert 'href="/workbench/"' in html
    assert "/workbench/users/" not in html
    assert "/admin/" not in html

    admin = create_official(department=create_department(), role="dept_admin")
    client.force_login(admin)
    html = client.get("/").content.decode()
    assert 'href="/workbench/users/"' in html


def test_login_by_username_reaches_the_next_page(client):
    official = create_official(department=create_department(), role="window_clerk")

    response = client.post(
        "/login/", {"identifier": official.username, "password": PASSWORD, "next": "/workbench/"}
    )

    assert response.status_code == 302 and response["Location"] == "/workbench/"


def test_login_refuses_a_foreign_next_address(client):
    citizen = create_citizen()

    response = client.post(
        "/login/", {"identifier": citizen.username, "password": PASSWORD, "next": "https://evil.example/"}
    )

    assert response["Location"] == "/"


def test_wrong_password_is_explained_in_chinese(client):
    citizen = create_citizen()

    response = client.post("/login/", {"identifier": citizen.username, "password": "Wrong@2026"})

    assert response.status_code == 400
    assert "用户名/手机号或密码错误" in response.content.decode()


def test_logout_needs_post_and_is_recorded(client):
    citizen = create_citizen()
    client.force_login(citizen)

    assert client.get("/logout/").status_code == 405
    assert client.post("/logout/")["Location"] == "/"
    assert "/login/" in client.get("/").content.decode()
    assert AuditRecord.objects.filter(action="core.user.logged_out", actor_id=citizen.pk).exists()


def test_oidc_button_only_when_configured(client, settings):
    settings.OIDC_PROVIDER_NAME = "浙江政务服务网"
    settings.OIDC_ENABLED = False
    assert "使用浙江政务服务网登录" not in client.get("/login/").content.decode()

    settings.OIDC_ENABLED = True
    html = client.get("/login/").content.decode()

    assert "使用浙江政务服务网登录" in html
    assert 'href="/oidc/authenticate/' in html


def test_failed_oidc_sign_in_is_explained_on_the_login_page(client):
    response = client.get("/login/?oidc=failed")

    assert response.status_code == 200
    assert "统一身份认证登录未成功" in response.content.decode()


def test_language_switch_renders_english(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/register/"})
    assert response["Location"] == "/register/"

    html = client.get("/register/").content.decode()

    assert '<html lang="en">' in html
    assert "Register" in html and "ID number" in html and "Confirm password" in html
    assert "个人注册" not in html
    # …and back to Chinese.
    client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/"})
    assert "个人注册" in client.get("/register/").content.decode()


def test_error_pages_stay_in_the_shell_and_follow_the_language(client):
    response = client.get("/no-such-page/")

    assert response.status_code == 404
    assert "页面不存在" in response.content.decode()
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert "Page not found" in client.get("/no-such-page/").content.decode()


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("post", "/me/tokens/99999999999999999999999/revoke/"),
        ("get", "/workbench/users/99999999999999999999999/"),
        ("post", "/workbench/users/99999999999999999999999/reveal/"),
        ("get", "/workbench/users/?page=abc&kind=nonsense&q=" + "长" * 100),
        ("post", "/register/"),
        ("post", "/me/tokens/"),
        ("post", "/me/reveal/"),
    ],
)
def test_malformed_requests_never_give_a_server_error(client, method, path):
    client.force_login(create_official(department=create_department(), role="dept_admin"))
    if path == "/register/":
        client.logout()

    response = getattr(client, method)(path, {"token-days": "abc"} if method == "post" else None)

    assert response.status_code in (200, 302, 400, 404, 422)


def test_workbench_nav_follows_permissions(client, db):
    from yiwang.core.tests import factories

    admin = factories.create_sys_admin()
    clerk = factories.create_official(role="window_clerk")
    client.force_login(admin)
    html = client.get("/workbench/").content.decode()
    assert "主数据导入" in html and "审计日志" in html and "工作日历" in html
    client.force_login(clerk)
    html = client.get("/workbench/").content.decode()
    assert "主数据导入" not in html and "审计日志" not in html
    assert "工作日历" in html  # every official reads the calendar
