"""Workbench pages of 好差评: the aggregates with the recent 差评, the rectification list and one
rectification worked by whoever holds its current task."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from yiwang.services.models import RectificationStatus
from yiwang.services.services.ratings import rating_submit_online
from yiwang.services.tests.factories import completed_application, food_item

pytestmark = pytest.mark.django_db
COMMENT = "受理窗口让我们来回跑了三次"


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def rectification(service_city):
    city = service_city
    application = completed_application(city, food_item(city), city.enterprise, window=city.window)
    rating = rating_submit_online(
        actor=city.enterprise,
        application=application,
        level=2,
        indicators=dict.fromkeys(("overall", "efficiency", "guide_accuracy", "convenience", "usability"), 2),
        comment=COMMENT,
    )
    return rating.rectification


def test_the_office_page_has_tabs_totals_and_the_recent_bad_ratings(service_city, rectification):
    client = signed_in(service_city.supervisor)
    url = reverse("services:ratings_office")
    for by, name in (
        ("item", "食品经营许可"),
        ("department", "市市场监督管理局"),
        ("window", "综合受理一号窗口"),
    ):
        page = client.get(url, {"by": by})
        assert page.status_code == 200 and name in page.content.decode()
    html = page.content.decode()
    assert COMMENT in html and "整改中" in html
    assert reverse("services:rectification", args=[rectification.pk]) in html
    bad = client.get(url, {"date_from": "2026-03-02", "date_to": "2026-03-01"})
    assert bad.status_code == 400 and "截止日期不能早于起始日期" in bad.content.decode()
    assert client.get(url, {"date_from": "not-a-date", "department": "abc"}).status_code == 400


def test_the_office_page_is_refused_without_the_right(service_city, rectification):
    url = reverse("services:ratings_office")
    assert signed_in(service_city.fire_approver).get(url).status_code == 403
    assert signed_in(service_city.citizen).get(url).status_code == 404
    market = signed_in(service_city.market_admin).get(url, {"by": "department"})
    assert market.status_code == 200 and "市消防救援支队" not in market.content.decode()


def test_the_department_responds_and_the_bureau_revisits_on_the_page(service_city, rectification):
    city = service_city
    listing = signed_in(city.market_approver).get(reverse("services:rectifications"))
    assert listing.status_code == 200 and f"#{rectification.pk}" in listing.content.decode()
    url = reverse("services:rectification", args=[rectification.pk])
    approver = signed_in(city.market_approver)
    page = approver.get(url).content.decode()
    assert COMMENT in page and "整改完成 / 情况说明" in page and "申诉" in page
    assert "整改期限" in page and rectification.rating.application.number in page
    missing = approver.post(url, {"op": "respond", "respond-kind": "rectified", "respond-text": ""})
    assert missing.status_code == 400 and "请填写整改情况或情况说明" in missing.content.decode()
    done = approver.post(
        url, {"op": "respond", "respond-kind": "rectified", "respond-text": "已优化材料清单"}
    )
    assert done.status_code == 302
    rectification.refresh_from_db()
    assert rectification.status == RectificationStatus.REVISITING
    # The department has nothing more to do; the bureau's 回访 is next.
    after = approver.get(url).content.decode()
    assert "当前环节由市政务服务管理局办理" in after
    stale = approver.post(url, {"op": "respond", "respond-kind": "rectified", "respond-text": "再来一次"})
    assert stale.status_code == 302
    manager = signed_in(city.service_manager)
    revisit = manager.post(
        url, {"op": "revisit", "revisit-result": "satisfied", "revisit-note": "电话回访满意"}
    )
    assert revisit.status_code == 302
    rectification.refresh_from_db()
    assert rectification.status == RectificationStatus.CLOSED
    closed = manager.get(url).content.decode()
    assert "已办结" in closed and "电话回访满意" in closed


def test_an_approver_of_another_department_gets_404(service_city, rectification):
    client = signed_in(service_city.fire_approver)
    url = reverse("services:rectification", args=[rectification.pk])
    assert client.get(url).status_code == 404
    posted = client.post(url, {"op": "respond", "respond-kind": "rectified", "respond-text": "不归我们"})
    assert posted.status_code == 404
    assert f"#{rectification.pk}" not in client.get(reverse("services:rectifications")).content.decode()
    rectification.refresh_from_db()
    assert rectification.status == RectificationStatus.OPEN


def test_the_appeal_and_its_review_on_the_page(service_city, rectification):
    city = service_city
    url = reverse("services:rectification", args=[rectification.pk])
    admin = signed_in(city.market_admin)
    assert admin.post(url, {"op": "appeal", "appeal-reason": "申请人未按告知提交材料"}).status_code == 302
    manager = signed_in(city.service_manager)
    assert "申诉复核" in manager.get(url).content.decode()
    refused = manager.post(url, {"op": "review", "review-decision": "maybe", "review-opinion": "x"})
    assert refused.status_code == 400 and "请选择复核结论" in refused.content.decode()
    upheld = manager.post(url, {"op": "review", "review-decision": "upheld", "review-opinion": "申诉成立"})
    assert upheld.status_code == 302
    rectification.refresh_from_db()
    assert rectification.status == RectificationStatus.REVOKED
    listing = signed_in(city.supervisor).get(reverse("services:rectifications"), {"status": "revoked"})
    assert f"#{rectification.pk}" in listing.content.decode()
