"""Browser tests (Playwright driving Debian's Chromium): what a person does with the shell.

Issue 2 asks for: register a citizen with a valid and then an invalid ID number, and log in
as an official reaching the workbench."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from yiwang.core.tests.factories import (
    PASSWORD,
    create_department,
    create_official,
    make_id_number,
    make_mobile,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 812}


@pytest.fixture
def site(audit_flushable, live_server):
    return live_server.url


def _fill_registration(page: Page, *, username: str, id_number: str) -> None:
    page.get_by_label("用户名").fill(username)
    page.get_by_label("姓名").fill("李明")
    page.get_by_label("身份证号").fill(id_number)
    page.get_by_label("手机号").fill(make_mobile())
    page.get_by_label(re.compile(r"^密码")).fill(PASSWORD)
    page.get_by_label("确认密码").fill(PASSWORD)
    page.get_by_role("button", name="注册").click()


def test_citizen_registers_with_valid_then_invalid_id_number(site, page: Page):
    page.goto(f"{site}/register/")
    _fill_registration(page, username="liming", id_number=make_id_number())

    expect(page).to_have_url(f"{site}/me/")
    expect(page.get_by_role("status")).to_contain_text("欢迎，李明！")
    expect(page.get_by_role("heading", name="我的信息")).to_be_visible()

    # A fresh registration, signed out, with one wrong check digit.
    page.get_by_role("button", name="退出").click()
    page.goto(f"{site}/register/")
    valid = make_id_number()
    _fill_registration(page, username="wangfang", id_number=valid[:-1] + ("0" if valid[-1] != "0" else "1"))

    field = page.locator(".field", has=page.locator("#id_number"))
    expect(field.locator(".field-error")).to_have_text("身份证号校验位错误")
    expect(page.locator("#id_number")).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_role("alert")).to_be_visible()
    expect(page).to_have_url(f"{site}/register/")


def test_official_logs_in_and_reaches_the_workbench(site, page: Page):
    official = create_official(
        department=create_department("市政务服务管理局"),
        role="window_clerk",
        username="clerk01",
        display_name="窗口王",
    )

    page.goto(f"{site}/")
    page.get_by_role("link", name="登录").first.click()
    page.get_by_label("用户名或手机号").fill(official.username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_label("密码").press("Enter")

    expect(page.locator(".who")).to_have_text("窗口王")
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="工作台").click()
    expect(page.get_by_role("heading", name="工作台", level=1)).to_be_visible()
    expect(page.get_by_role("heading", name="待办")).to_be_visible()
    expect(page.get_by_text("市政务服务管理局")).to_be_visible()


def test_demo_window_clerk_logs_in_and_sees_their_post_on_the_workbench(site, page: Page):
    """The README's demo login works in a browser: 示范市's window clerk reaches the workbench."""
    from yiwang.core.demo import city
    from yiwang.core.demo.loader import load_demo

    load_demo()
    page.goto(f"{site}/login/?next=/workbench/")
    page.get_by_label("用户名或手机号").fill("clerk")
    page.get_by_label("密码").fill(city.DEMO_PASSWORD)
    page.get_by_role("button", name="登录").click()

    expect(page).to_have_url(f"{site}/workbench/")
    expect(page.get_by_role("heading", name="工作台", level=1)).to_be_visible()
    # Her post at the 政务服务中心 counter (the workflow demo gives her a second one, see
    # workflow/demo_supervision.py).
    counter = page.get_by_role("row").filter(has_text="市政务服务中心")
    expect(counter.get_by_role("cell", name="窗口人员")).to_be_visible()


def test_reveal_own_id_number_with_htmx(site, page: Page):
    id_number = make_id_number()
    page.goto(f"{site}/register/")
    _fill_registration(page, username="zhaoliu", id_number=id_number)
    expect(page.locator("#me-id_number")).not_to_have_text(id_number)

    page.get_by_role("button", name="显示完整 身份证号").click()

    expect(page.locator("#me-id_number")).to_have_text(id_number)
    expect(page.get_by_role("button", name="显示完整 身份证号")).to_have_count(0)


def test_skip_link_is_the_first_stop_for_the_keyboard(site, page: Page):
    page.goto(f"{site}/")
    page.keyboard.press("Tab")

    skip = page.get_by_role("link", name="跳到正文")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()


def test_language_switch_to_english_and_back(site, page: Page):
    page.goto(f"{site}/register/")
    page.get_by_role("button", name="English").click()

    expect(page.get_by_role("heading", name="Register", level=1)).to_be_visible()
    expect(page.get_by_label("ID number")).to_be_visible()

    page.get_by_role("button", name="中文").click()
    expect(page.get_by_role("heading", name="个人注册")).to_be_visible()


def test_pages_fit_a_phone_screen(site, browser, tmp_path):
    context = browser.new_context(
        viewport=PHONE, device_scale_factor=1, is_mobile=True, has_touch=True, locale="zh-CN"
    )
    page = context.new_page()
    page.goto(f"{site}/")
    page.screenshot(path=tmp_path / "home-phone.png", full_page=True)
    overflow = "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    assert page.evaluate(overflow) == 0

    page.goto(f"{site}/register/")
    _fill_registration(page, username="phoneuser", id_number="11010519900101001X")
    expect(page.locator(".field-error").first).to_be_visible()
    page.screenshot(path=tmp_path / "register-error-phone.png", full_page=True)
    assert page.evaluate(overflow) == 0
    context.close()
