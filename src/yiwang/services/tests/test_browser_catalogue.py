"""Browser test of the catalogue (issue 5 §1–§2; STANDARDS.md §4): the market's 部门管理员
drafts an item on the workbench (a few elements and one material) and submits it; the
政务服务管理员 reviews and publishes it; the public 办事指南 shows it on a phone and the portal
search finds it by a keyword."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from yiwang.services.tests import browser_fixtures
from yiwang.services.tests.browser_fixtures import (  # noqa: F401 (fixtures, used by name)
    PHONE_CONTEXT,
    _allow_sync_orm_beside_playwright,
    audit_flushable_here,
    browser_context_args,
    browser_type_launch_args,
    fits_the_phone,
    log_in,
    playwright,
    said,
)
from yiwang.services.tests.factories import create_service_city

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
site = browser_fixtures.site  # the fixture, used by name
NAME = "小餐饮店登记"


def draft_and_submit(page: Page) -> None:
    """新建事项, then the first version's elements, one material and one field; 提交审核."""
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="事项管理").click()
    page.get_by_role("link", name="新建事项").click()
    expect(page.get_by_role("heading", name="新建事项", level=1)).to_be_visible()
    page.get_by_label("实施部门").select_option(label="市市场监督管理局")
    page.get_by_label("基本编码").fill("330100ABCD0077")
    page.get_by_label("事项名称").fill(NAME)
    page.get_by_label("事项类型").select_option(label="行政确认")
    page.get_by_role("button", name="新建").click()
    expect(said(page)).to_contain_text(f"已新建事项“{NAME}”")

    page.locator("#subjects").get_by_label("自然人").check()
    page.get_by_label("设定依据").fill("《浙江省食品小作坊小餐饮店小食杂店和食品摊贩管理规定》第十九条")
    page.get_by_label("受理条件").fill("有固定经营场所，从业人员持有健康证明")
    page.get_by_label("法定办结时限").fill("15")
    page.get_by_label("承诺办结时限").fill("5")
    page.locator("#handling_forms").get_by_label("网上办理").check()
    page.locator("#delivery_methods").get_by_label("电子送达").check()
    page.locator("#life_events").get_by_label("经营许可").check()
    page.get_by_label("检索关键词").fill("小吃店 夫妻店")
    material = page.get_by_role("group", name="新增材料").first
    material.get_by_label("材料代码").fill("application_form")
    material.get_by_label("材料名称").fill("小餐饮店登记申请表")
    field = page.get_by_role("group", name="新增字段").first
    field.get_by_label("字段代码").fill("shop_name")
    field.get_by_label("字段名称").fill("店铺名称")
    page.get_by_role("button", name="保存", exact=True).click()
    expect(said(page)).to_contain_text("已保存第1版")

    page.get_by_role("button", name="提交审核").click()
    expect(said(page)).to_contain_text("已提交审核")


def test_a_department_drafts_an_item_the_bureau_publishes_it_and_the_public_finds_it(site, browser: Browser):
    city = create_service_city()

    admin = log_in(browser, site, city.market_admin)
    draft_and_submit(admin)
    admin.context.close()

    manager = log_in(browser, site, city.service_manager)
    manager.get_by_role("navigation", name="主导航").get_by_role("link", name="事项管理").click()
    manager.get_by_role("link", name="待审核").click()
    expect(manager.get_by_role("link", name="待审核")).to_have_attribute("aria-current", "page")
    manager.get_by_role("link", name=NAME).click()
    review = manager.locator("section", has=manager.get_by_role("heading", name="审核第1版"))
    review.get_by_label(re.compile("意见")).first.fill("要素齐全，同意发布")
    review.get_by_role("button", name="审核通过并发布").click()
    expect(said(manager)).to_contain_text("第1版已发布")
    manager.context.close()

    visitor = browser.new_context(locale="zh-CN", base_url=site, **PHONE_CONTEXT).new_page()
    visitor.goto("/services/")
    visitor.get_by_label("搜索事项").fill("小吃店")
    visitor.get_by_role("button", name="搜索").click()
    expect(visitor.get_by_role("status")).to_contain_text("找到与“小吃店”相关的 1 项")
    fits_the_phone(visitor)
    visitor.get_by_role("link", name=NAME).click()
    expect(visitor.get_by_role("heading", name=NAME, level=1)).to_be_visible()
    guide = visitor.locator("main")
    for text in ("市市场监督管理局", "行政确认", "小餐饮店登记申请表", "承诺办结时限5工作日", "第十九条"):
        expect(guide).to_contain_text(text)
    fits_the_phone(visitor)
    visitor.context.close()
