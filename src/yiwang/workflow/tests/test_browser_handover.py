"""Browser tests of issue 3 §2, §3, §6 (Playwright driving Debian's Chromium): officials 转办 a
task to another department, 抄送 an instance and read it in 抄阅 with its timeline, and ask for
补正 then supply it with a file — all through the pages."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from yiwang.core.files.tests.samples import PDF
from yiwang.core.tests import factories

# The browser fixtures live beside the web pages' browser tests (Debian Chromium, zh-CN
# locale, the ORM beside Playwright); importing them makes them apply here too.
from yiwang.core.web.tests.conftest import (  # noqa: F401
    _allow_sync_orm_beside_playwright,
    browser_context_args,
    browser_type_launch_args,
    playwright,
)
from yiwang.workflow.tests import runtime_fixtures, timeline_flow
from yiwang.workflow.tests.runtime_fixtures import open_task, start
from yiwang.workflow.tests.test_browser_supervision import (  # noqa: F401
    OVERFLOW,
    PHONE,
    audit_flushable_here,
    log_in,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("audit_flushable_here", "memory_storage"),
]
staff = runtime_fixtures.staff  # the fixtures, used by name
memory_storage = timeline_flow.memory_storage
PHONE_ARGS = {"viewport": PHONE, "device_scale_factor": 1, "is_mobile": True, "has_touch": True}


@pytest.fixture
def site(live_server):
    return live_server.url


def pdf(name: str) -> dict:
    return {"name": name, "mimeType": "application/pdf", "buffer": PDF}


def open_from_department_box(page: Page, site: str, state: str) -> None:
    page.goto(f"{site}/workbench/tasks/")
    page.get_by_role("link", name=re.compile(r"^部门待签收（1）")).click()
    page.get_by_role("link", name=state).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(state)


def action_form(page: Page, action: str):
    return page.locator("section.card", has=page.get_by_role("heading", name=action, exact=True))


def claim(page: Page) -> None:
    page.get_by_role("button", name="签收").click()
    expect(page.get_by_role("status")).to_contain_text("已签收")


def step(page: Page, state: str, text: str):
    """The timeline's step of `state` that mentions `text`."""
    heading = page.get_by_role("heading", name=state, exact=True, level=3)
    return page.locator("li.timeline-step", has=heading).filter(has_text=text)


def test_transfer_sends_the_task_to_the_other_departments_box(site, browser: Browser, staff, city):
    instance = start(staff)
    task = open_task(instance, "market_review")
    housing = factories.create_department("市住建局", division=city)
    housing_approver = factories.create_official(
        department=housing, role="approver", display_name="住建审查员"
    )

    page = log_in(browser, site, staff.market_approver)
    open_from_department_box(page, site, "市场监管局审查")
    transfer = page.locator("section.card", has=page.get_by_role("heading", name="转办", exact=True))
    transfer.get_by_label(re.compile(r"^转办至部门")).select_option(label="市住建局")
    transfer.get_by_label(re.compile(r"^理由")).fill("属住建局职责")
    transfer.get_by_role("button", name="转办").click()

    expect(page).to_have_url(f"{site}/workbench/tasks/")
    expect(page.get_by_role("status")).to_contain_text("已转办")
    page.get_by_role("link", name=re.compile(r"^部门待签收")).click()
    expect(page.get_by_role("link", name=re.compile(r"^部门待签收（0）"))).to_be_visible()
    expect(page.get_by_text("暂无待办。")).to_be_visible()
    assert page.goto(f"{site}/workbench/tasks/{task.pk}/").status == 404
    page.context.close()

    page = log_in(browser, site, housing_approver)
    open_from_department_box(page, site, "市场监管局审查")
    expect(page.locator("dt:text-is('候选部门') + dd")).to_have_text("市住建局")
    moved = page.locator(".timeline-events li", has_text="转办")
    expect(moved).to_contain_text("市场审查员")
    expect(moved).to_contain_text("属住建局职责")
    claim(page)
    page.context.close()


def test_copy_after_acting_with_a_file_is_read_in_the_copied_box(site, browser: Browser, staff, city):
    instance = start(staff)
    education = factories.create_department("市教育局", division=city)
    reader = factories.create_official(department=education, role="approver", display_name="教育局干部")

    page = log_in(browser, site, staff.fire_approver)
    open_from_department_box(page, site, "消防审查")
    claim(page)
    agree = action_form(page, "同意")
    agree.get_by_label(re.compile(r"^意见")).fill("消防设施符合要求")
    agree.get_by_label(re.compile(r"^附件")).set_input_files(pdf("消防验收意见书.pdf"))
    agree.get_by_role("button", name="同意", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("已办理")

    copy = action_form(page, "抄送")
    copy.get_by_label("其他人员的用户名").fill(reader.username)
    copy.get_by_label("附言").fill("请知悉消防审查结论")
    copy.get_by_role("button", name="抄送").click()
    expect(page.get_by_role("status")).to_contain_text("已抄送")
    page.context.close()

    phone = log_in(browser, site, reader, **PHONE_ARGS)
    phone.goto(f"{site}/workbench/")
    copied = phone.get_by_role("link", name=re.compile(r"^抄阅(\s|$)"))
    expect(copied.locator(".badge")).to_have_text("1 件未读")
    assert phone.evaluate(OVERFLOW) == 0
    copied.click()
    expect(phone.get_by_role("link", name="抄阅（1）")).to_have_attribute("aria-current", "page")
    row = phone.get_by_role("row", name=re.compile("消防审查员"))
    expect(row).to_contain_text("请知悉消防审查结论")
    expect(row).to_contain_text("未读")
    assert phone.evaluate(OVERFLOW) == 0
    row.get_by_role("link", name=f"workflow.parallel_approval #{instance.pk}").click()

    expect(phone.get_by_role("heading", level=1)).to_contain_text("并联审批（示例）")
    fire = step(phone, "消防审查", "消防审查员")
    expect(fire).to_contain_text("消防设施符合要求")
    attachment = fire.get_by_role("link", name="消防验收意见书.pdf")
    expect(attachment).to_be_visible()
    assert phone.request.get(site + attachment.get_attribute("href")).body() == PDF
    expect(phone.locator(".timeline-events li", has_text="抄送")).to_contain_text("请知悉消防审查结论")
    assert phone.evaluate(OVERFLOW) == 0

    phone.goto(f"{site}/workbench/")
    expect(phone.get_by_role("link", name=re.compile(r"^抄阅(\s|$)")).locator(".badge")).to_have_count(0)
    phone.goto(f"{site}/workbench/tasks/?box=copied")
    expect(phone.get_by_role("link", name="抄阅（0）")).to_be_visible()
    expect(phone.get_by_role("row", name=re.compile("消防审查员"))).to_contain_text("已读")
    phone.context.close()


def test_supplement_asked_then_supplied_with_a_file_returns_to_the_reviewer(site, browser: Browser, staff):
    start(staff)
    page = log_in(browser, site, staff.market_approver)
    open_from_department_box(page, site, "市场监管局审查")
    claim(page)
    ask = action_form(page, "补正")
    ask.get_by_label(re.compile(r"^理由")).fill("缺少营业执照副本")
    ask.get_by_role("button", name="补正", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("已办理")
    page.context.close()

    phone = log_in(browser, site, staff.clerk, **PHONE_ARGS)
    open_from_department_box(phone, site, "补正中（市场监管局）")
    expect(step(phone, "市场监管局审查", "补正")).to_contain_text("缺少营业执照副本")
    claim(phone)
    assert phone.evaluate(OVERFLOW) == 0
    supplied = action_form(phone, "补正完成")
    supplied.get_by_label(re.compile(r"^附件")).set_input_files(pdf("营业执照副本.pdf"))
    supplied.get_by_role("button", name="补正完成", exact=True).click()
    expect(phone.get_by_role("status")).to_contain_text("已办理")
    phone.context.close()

    page = log_in(browser, site, staff.market_approver)
    open_from_department_box(page, site, "市场监管局审查")
    expect(action_form(page, "同意")).to_be_visible()
    asked = step(page, "市场监管局审查", "缺少营业执照副本")
    expect(asked).to_contain_text("市场审查员")
    expect(asked.locator("dd", has_text=re.compile(r"^补正$"))).to_be_visible()
    supplement = step(page, "补正中（市场监管局）", "窗口人员")
    expect(supplement).to_contain_text("补正完成")
    expect(supplement.get_by_role("link", name="营业执照副本.pdf")).to_be_visible()
    page.context.close()
