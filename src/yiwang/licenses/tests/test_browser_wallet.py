"""Browser test of issue 4 (Playwright driving Debian's Chromium): the citizen opens 我的证照
and downloads the licence PDF; a visitor on a phone, not signed in, verifies it by its
identifier and sees 有效 with the issuer; the issuer revokes it and the visitor's reload says
已吊销."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect
from pypdf import PdfReader

from yiwang.core.tests import factories
from yiwang.core.tests.factories import PASSWORD

# The browser fixtures live beside the web pages' browser tests (Debian Chromium, zh-CN
# locale, the ORM beside Playwright); importing them makes them apply here too.
from yiwang.core.web.tests.conftest import (  # noqa: F401
    _allow_sync_orm_beside_playwright,
    _audit_triggers_lifted,
    browser_context_args,
    browser_type_launch_args,
    playwright,
)
from yiwang.licenses.services.issuing import license_issue
from yiwang.licenses.services.keys import signing_key_generate
from yiwang.licenses.services.types import license_type_create
from yiwang.licenses.tests.library_fixtures import department_with_uscc

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 375, "height": 812}
OVERFLOW = "document.documentElement.scrollWidth - document.documentElement.clientWidth"


@pytest.fixture(scope="module")
def audit_flushable_here():
    """As web's `audit_flushable`, unless that session fixture is already active in this
    process (lifting the SQLite audit triggers twice around one flush would fail)."""
    from django.test import TransactionTestCase

    original = TransactionTestCase._fixture_teardown
    if original.__qualname__ != "TransactionTestCase._fixture_teardown":
        yield
        return

    def teardown(self):
        with _audit_triggers_lifted():
            original(self)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(TransactionTestCase, "_fixture_teardown", teardown)
        yield


@pytest.fixture
def site(audit_flushable_here, live_server):
    return live_server.url


def log_in(browser: Browser, site: str, user) -> Page:
    """A fresh browser (own cookies) signed in through the login page."""
    page = browser.new_context(locale="zh-CN").new_page()
    page.goto(f"{site}/login/")
    page.get_by_label("用户名或手机号").fill(user.username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page.locator(".who")).to_have_text(user.display_name)
    return page


def a_birth_certificate(city):
    """A health bureau that issues 出生医学证明, and the demo-like citizen holding one."""
    bureau = department_with_uscc("示范市卫生健康委员会", city)
    signing_key_generate(
        actor=factories.create_official(department=bureau, role="dept_admin", display_name="卫健管理员"),
        department=bureau,
    )
    birth = license_type_create(
        actor=factories.create_sys_admin(),
        code=f"{bureau.uscc}003",
        name="出生医学证明",
        holder_kind="citizen",
        defining_department=bureau,
        issuers=[bureau],
        fields=[
            {"name": "newborn", "label": "新生儿姓名", "type": "text", "required": True},
            {"name": "born_on", "label": "出生日期", "type": "date", "required": True},
        ],
        validity={"long_term": True},
    )
    approver = factories.create_official(department=bureau, role="approver", display_name="卫健审批员")
    citizen = factories.create_citizen(username="zhangsan", display_name="张三")
    licence = license_issue(
        actor=approver,
        license_type=birth,
        holder=citizen,
        number="Q330100123",
        data={"newborn": "张小明", "born_on": "2026-01-15"},
    )
    return approver, citizen, licence


def test_citizen_downloads_the_pdf_a_visitor_verifies_it_then_sees_the_revocation(
    site, browser: Browser, city, tmp_path: Path
):
    approver, citizen, licence = a_birth_certificate(city)

    page = log_in(browser, site, citizen)
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="我的证照").click()
    expect(page.get_by_role("heading", name="我的证照", level=1)).to_be_visible()
    page.get_by_role("link", name="出生医学证明").click()
    expect(page.locator("dl.licence-data")).to_contain_text("张小明")
    with page.expect_download() as downloading:
        page.get_by_role("link", name="下载 PDF").click()
    saved = tmp_path / "licence.pdf"
    downloading.value.save_as(saved)
    assert saved.read_bytes().startswith(b"%PDF-")
    text = re.sub(r"\s+", "", "".join(p.extract_text() for p in PdfReader(saved).pages))
    assert licence.identifier in text and "出生医学证明" in text
    page.context.close()

    visitor = browser.new_context(locale="zh-CN", viewport=PHONE).new_page()
    visitor.goto(f"{site}/licenses/verify/")
    visitor.get_by_role("textbox", name="证照标识").fill(licence.identifier)
    visitor.get_by_role("button", name="核验", exact=True).click()
    expect(visitor).to_have_url(f"{site}/licenses/verify/{licence.identifier}/")
    verdict = visitor.get_by_role("status")
    expect(verdict.get_by_role("heading")).to_have_text("有效")
    expect(visitor.locator("dl.licence-facts")).to_contain_text("示范市卫生健康委员会")
    expect(visitor.locator("dl.licence-facts")).to_contain_text("张*")  # 张三, masked
    expect(visitor.locator("body")).not_to_contain_text("张小明")
    assert visitor.evaluate(OVERFLOW) <= 0  # readable on a phone without sideways scrolling

    issuer = log_in(browser, site, approver)
    issuer.get_by_role("navigation", name="主导航").get_by_role("link", name="电子证照").click()
    issuer.get_by_role("link", name="出生医学证明").click()
    issuer.get_by_label("吊销原因").fill("信息登记错误，已重新签发")
    issuer.get_by_role("button", name="吊销证照").click()
    expect(issuer.get_by_role("status")).to_contain_text("证照已吊销")
    issuer.context.close()

    visitor.reload()
    expect(visitor.get_by_role("status").get_by_role("heading")).to_have_text("已吊销")
    visitor.context.close()
