"""Browser test of issue 3 (Playwright driving Debian's Chromium): a parallel approval worked
through the pages by two departments and the decider, then read in 电子监察 with its charts."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from yiwang.core.tests.factories import PASSWORD, create_official

# The browser fixtures live beside the web pages' browser tests (Debian Chromium, zh-CN
# locale, the ORM beside Playwright); importing them makes them apply here too.
from yiwang.core.web.tests.conftest import (  # noqa: F401
    _allow_sync_orm_beside_playwright,
    _audit_triggers_lifted,
    browser_context_args,
    browser_type_launch_args,
    playwright,
)
from yiwang.workflow.tests import runtime_fixtures
from yiwang.workflow.tests.runtime_fixtures import start

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
staff = runtime_fixtures.staff  # the fixture, used by name
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


def log_in(browser: Browser, site: str, user, **context_args) -> Page:
    """A fresh browser (own cookies) signed in through the login page."""
    context = browser.new_context(locale="zh-CN", **context_args)
    page = context.new_page()
    page.goto(f"{site}/login/")
    page.get_by_label("用户名或手机号").fill(user.username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page.locator(".who")).to_have_text(user.display_name)
    return page


def work_the_task(
    page: Page, site: str, *, state: str, action: str, opinion: str, claim: bool = True
) -> None:
    """From the inbox's 部门待签收 tab: open the task, 签收, write the opinion, act."""
    page.goto(f"{site}/workbench/tasks/")
    page.get_by_role("link", name=re.compile(r"^部门待签收（1）")).click()
    page.get_by_role("link", name=state).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(state)
    if claim:
        page.get_by_role("button", name="签收").click()
        expect(page.get_by_role("status")).to_contain_text("已签收")
    section = page.locator("section.card", has=page.get_by_role("heading", name=action, exact=True))
    section.get_by_label(re.compile(r"^意见")).fill(opinion)
    section.get_by_role("button", name=action, exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("已办理")
    page.context.close()


def test_parallel_approval_through_the_pages_then_supervision_shows_it(site, browser: Browser, staff):
    start(staff)
    work_the_task(
        log_in(browser, site, staff.market_approver),
        site,
        state="市场监管局审查",
        action="同意",
        opinion="营业执照齐全",
    )
    work_the_task(
        log_in(browser, site, staff.fire_approver),
        site,
        state="消防审查",
        action="同意",
        opinion="消防验收合格",
    )
    work_the_task(
        log_in(browser, site, staff.decider), site, state="审批决定", action="准予许可", opinion="准予许可"
    )

    supervisor = create_official(
        department=staff.subject_dept, role="supervisor", city_wide=True, display_name="市监察员"
    )
    page = log_in(browser, site, supervisor)
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="电子监察").click()
    expect(page.get_by_role("heading", name="电子监察", level=1)).to_be_visible()
    completed = page.locator(".figure", has=page.locator("dt", has_text=re.compile(r"^办结$")))
    expect(completed.locator("dd")).to_have_text("1")
    process_row = page.locator(
        "section[aria-labelledby='by-process-h'] tbody tr", has_text="并联审批（示例）"
    )
    expect(process_row.locator("td").nth(7)).to_have_text("100.0%")  # 按时办结率
    expect(page.locator("#chart-processes").locator("svg, canvas").first).to_be_visible()
    expect(page.locator("#chart-departments").locator("svg, canvas").first).to_be_visible()
    page.context.close()

    phone = log_in(
        browser, site, supervisor, viewport=PHONE, device_scale_factor=1, is_mobile=True, has_touch=True
    )
    phone.goto(f"{site}/workbench/supervision/")
    expect(phone.locator("#chart-processes").locator("svg, canvas").first).to_be_visible()
    assert phone.evaluate(OVERFLOW) == 0
    phone.context.close()
