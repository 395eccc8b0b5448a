"""Browser test of 窗口代办 (issue 5 §3, 线上线下一体化): the 窗口人员 finds the citizen at the
counter by 身份证号 and 姓名, takes the 居民身份证 as a paper copy, scans in the other material,
submits (预审 passes at once); the citizen, signing in on a phone, finds the same application
in 我的办件 with the window it was made at."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, expect

from yiwang.core.tests import factories
from yiwang.services.tests import browser_fixtures
from yiwang.services.tests.browser_fixtures import (  # noqa: F401 (fixtures, used by name)
    _allow_sync_orm_beside_playwright,
    audit_flushable_here,
    browser_context_args,
    browser_type_launch_args,
    fits_the_phone,
    log_in,
    pdf_file,
    playwright,
    said,
)
from yiwang.services.tests.factories import create_item, create_service_city

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
site = browser_fixtures.site  # the fixture, used by name


def test_a_clerk_applies_at_the_window_and_the_citizen_sees_it_online(site, browser: Browser):
    city = create_service_city()
    id_number = factories.make_id_number()
    citizen = factories.create_citizen(display_name="王秀英", id_number=id_number)
    create_item(
        department=city.market,
        name="个体工商户设立登记",
        subjects=("citizen",),
        acceptance_department=city.hall,
        form_fields=[
            {"code": "trade_name", "label": "拟用名称", "type": "text", "required": True},
            {"code": "address", "label": "经营场所", "type": "text", "required": True},
        ],
        materials=[
            {"code": "id_card", "name": "居民身份证", "required": True, "is_key": True},
            {"code": "site_proof", "name": "经营场所证明", "required": True, "is_key": True},
        ],
    )

    clerk = log_in(browser, site, city.clerk)
    clerk.get_by_role("navigation", name="主导航").get_by_role("link", name="工作台").click()
    clerk.get_by_role("link", name="窗口代办申请").click()
    clerk.get_by_label("身份证号").fill(id_number)
    clerk.get_by_label("姓名").fill("王秀英")
    clerk.get_by_label("办理事项").select_option(label="个体工商户设立登记（市市场监督管理局）")
    expect(clerk.get_by_label("受理窗口")).to_contain_text("综合受理一号窗口")
    clerk.get_by_role("button", name="开始填写").click()
    expect(clerk.locator("p.lead")).to_contain_text("申请人：王秀英 · 窗口代为申请（综合受理一号窗口）")

    paper = clerk.locator("#material-id_card")
    paper.get_by_role("button", name="已收取纸质件").click()
    expect(paper).to_contain_text("提交方式：窗口收取纸质件")
    expect(paper.get_by_role("button", name="已收取纸质件")).to_have_count(0)
    proof = clerk.locator("#material-site_proof")
    proof.get_by_label("上传文件").set_input_files(pdf_file("租赁合同.pdf"))
    proof.get_by_role("button", name="上传", exact=True).click()
    expect(clerk.locator("#material-site_proof")).to_contain_text("租赁合同.pdf")
    clerk.get_by_label("拟用名称").fill("示范市秀英小吃店")
    clerk.get_by_label("经营场所").fill("示范市人民路8号")
    clerk.get_by_role("button", name="提交申请").click()
    expect(said(clerk)).to_contain_text("预审已通过")
    number = re.search(r"办件编号 (\d{12})", said(clerk).inner_text()).group(1)
    clerk.context.close()

    phone = log_in(browser, site, citizen, phone=True)
    phone.get_by_role("navigation", name="主导航").get_by_role("link", name="我的办件").click()
    row = phone.locator("tbody tr", has_text=number)
    expect(row).to_contain_text("个体工商户设立登记")
    expect(row).to_contain_text("待受理")
    fits_the_phone(phone)
    row.get_by_role("link", name=number).click()
    facts = phone.locator("dl.facts").first
    expect(facts).to_contain_text(number)
    expect(facts).to_contain_text("综合受理一号窗口")
    expect(phone.locator("#material-id_card")).to_contain_text("提交方式：窗口收取纸质件")
    expect(phone.locator("#material-site_proof")).to_contain_text("租赁合同.pdf")
    expect(phone.locator("main")).to_contain_text("示范市秀英小吃店")
    fits_the_phone(phone)
    phone.context.close()
