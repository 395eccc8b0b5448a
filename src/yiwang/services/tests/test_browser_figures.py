"""Browser test of what supervisors and the public see (issue 5 §6–§7): the 监察员 opens
一网通办统计 for a known small data set and reads its numbers; a visitor on a phone reads
好差评公示 — the aggregates per department and item, no rater's name and no comment."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from yiwang.services.services.ratings import rating_submit_online
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
)
from yiwang.services.tests.factories import (
    completed_application,
    create_service_city,
    food_item,
    immediate_item,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
site = browser_fixtures.site  # the fixture, used by name
BAD_COMMENT = "窗口排队太久，材料退回两次"


@transaction.atomic
def known_city():
    """Two published items (食品经营许可: 承诺 10 of 法定 20 working days; 个体工商户名称自主申报:
    即办件), four applications today (three 办结: one on time online, one late at the window,
    one 即办; one still 审查中) and three ratings (5, 1 = 差评, 4). One transaction: the
    application numbers are drawn under a row lock (numbers.py)."""
    city = create_service_city()
    food, quick = food_item(city), immediate_item(city)
    now = timezone.now()
    on_time = completed_application(
        city,
        food,
        city.enterprise,
        due_at=now + timedelta(days=5),
        working_days_used=3,
        promised_working_days=10,
    )
    late = completed_application(
        city,
        food,
        city.enterprise,
        channel="window",
        window=city.window,
        due_at=now - timedelta(days=1),
        working_days_used=12,
        promised_working_days=10,
    )
    immediate = completed_application(city, quick, city.citizen, working_days_used=0)
    completed_application(city, food, city.enterprise, status="accepted")
    all_five = dict.fromkeys(("overall", "efficiency", "guide_accuracy", "convenience", "usability"), 5)
    for application, level, comment in ((on_time, 5, "办事很快"), (late, 1, BAD_COMMENT), (immediate, 4, "")):
        rating_submit_online(
            actor=application.applicant,
            application=application,
            level=level,
            indicators={key: level for key in all_five},
            comment=comment,
        )
    return city, timezone.localdate(now)


def figure(page: Page, name: str):
    return page.locator(".figure", has=page.locator("dt", has_text=name)).locator("dd")


def test_the_supervisor_reads_the_figures_and_the_public_reads_the_ratings(site, browser: Browser):
    city, today = known_city()

    supervisor = log_in(browser, site, city.supervisor)
    supervisor.get_by_role("navigation", name="主导航").get_by_role("link", name="通办统计").click()
    supervisor.get_by_label("起始日期").fill(today.isoformat())
    supervisor.get_by_label("截止日期").fill(today.isoformat())
    supervisor.get_by_role("button", name="统计").click()
    expect(supervisor.locator("main")).to_contain_text(f"统计期间：{today:%Y-%m-%d} 至 {today:%Y-%m-%d}")
    for name, value in (
        ("网上可办率", "100.0%"),
        ("已发布依申请事项", "2"),
        ("即办率（事项）", "50.0%"),
        ("承诺时限压缩比", "75.0%"),
        ("申请件数", "4"),
        ("网上申请", "3"),
        ("窗口申请", "1"),
        ("即办率（办件）", "25.0%"),
        ("办结件数", "3"),
        ("按时办结率", "66.7%"),
        ("平均实际用时（工作日）", "5.0"),
        ("平均承诺时限（工作日）", "10.0"),
        ("评价数", "3"),
        ("差评数", "1"),
        ("好评率", "66.7%"),
    ):
        expect(figure(supervisor, name)).to_have_text(value)
    supervisor.context.close()

    visitor = browser.new_context(locale="zh-CN", base_url=site, **PHONE_CONTEXT).new_page()
    visitor.goto("/services/ratings/")
    by_department = visitor.locator("section[aria-labelledby='by-department-h'] tbody tr")
    expect(by_department).to_have_count(1)
    expect(by_department.locator("th")).to_have_text("市市场监督管理局")
    expect(by_department.locator("td")).to_have_text(["3", "3.3", "66.7%", "1", "0.0%"])
    food_row = visitor.locator("section[aria-labelledby='by-item-h'] tbody tr", has_text="食品经营许可")
    expect(food_row.locator("td")).to_have_text(["2", "3.0", "50.0%", "1", "0.0%"])
    page_text = visitor.locator("main")
    for private in ("示范餐饮有限公司", city.citizen.display_name, BAD_COMMENT, "办事很快"):
        expect(page_text).not_to_contain_text(private)
    fits_the_phone(visitor)
    visitor.context.close()
