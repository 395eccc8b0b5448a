"""好差评 aggregates on a known data set: exact numbers per department, item and window, the
appeal that takes a 差评 out of the counts, scope, period and query counts."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from yiwang.core.errors import InvalidInput, NotFound, PermissionDenied
from yiwang.services.rating_tokens import make_token
from yiwang.services.selectors_ratings import (
    bad_ratings_for_actor,
    rating_summary,
    rating_summary_for_item,
    rating_summary_public,
    rating_totals,
)
from yiwang.services.services.ratings import rating_submit_online, rating_submit_window
from yiwang.services.services.rectifications import (
    rectification_appeal,
    rectification_respond,
    rectification_review_appeal,
    rectification_revisit,
)
from yiwang.services.tests.factories import completed_application, create_item, food_item

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")
MARCH = datetime(2026, 3, 2, 10, tzinfo=SHANGHAI)
FEBRUARY = datetime(2026, 2, 10, 10, tzinfo=SHANGHAI)


def indicators(level: int) -> dict:
    return dict.fromkeys(("overall", "efficiency", "guide_accuracy", "convenience", "usability"), level)


def online(city, item, level: int, comment: str = "", *, window=None):
    application = completed_application(city, item, city.enterprise, window=window)
    rating = rating_submit_online(
        actor=city.enterprise,
        application=application,
        level=level,
        indicators=indicators(level),
        comment=comment,
    )
    return application, rating


@pytest.fixture
def known(service_city):
    """market (food): 5, 4, 2 (rectified and revisited), 1 (appeal upheld);
    fire (inspection): 3 in February, 1 (open) in March; hall: a window rating 5 on the food
    application that window A01 accepted."""
    city = service_city
    food = food_item(city)
    inspection = create_item(department=city.fire, name="消防安全检查")
    with time_machine.travel(FEBRUARY, tick=False):
        online(city, inspection, 3, "还可以")
    with time_machine.travel(MARCH, tick=False):
        first, _ = online(city, food, 5, "很满意张三的服务", window=city.window)
        online(city, food, 4)
        _, rectified = online(city, food, 2, "窗口人员态度差，叫李四的")
        _, appealed = online(city, food, 1, "根本没人理我们啊")
        online(city, inspection, 1, "检查人员迟到两个小时")
        rating_submit_window(token=make_token(first), level=5, comment="大厅环境好")
    rectification_respond(
        actor=city.market_approver, rectification=rectified.rectification, text="已批评教育"
    )
    rectification_revisit(
        actor=city.service_manager, rectification=rectified.rectification, satisfied=True, note="满意"
    )
    rectification_appeal(
        actor=city.market_admin, rectification=appealed.rectification, reason="当日系统故障已公告"
    )
    rectification_review_appeal(
        actor=city.service_manager, rectification=appealed.rectification, upheld=True, opinion="申诉成立"
    )
    return city, food, inspection


def numbers(row) -> tuple:
    return (
        row["name"],
        row["count"],
        row["average"],
        row["good_rate"],
        row["bad_count"],
        row["rectified_rate"],
        row["revisit_rate"],
    )


def test_by_department_item_and_window_exactly(known, django_assert_max_num_queries):
    city, food, inspection = known
    with django_assert_max_num_queries(3):
        by_department = rating_summary(actor=city.supervisor, by="department")
    assert [numbers(r) for r in by_department] == [
        ("市市场监督管理局", 3, 3.7, 2 / 3, 1, 1.0, 1.0),
        ("市消防救援支队", 2, 2.0, 0.0, 1, 0.0, 0.0),
        ("市政务服务中心", 1, 5.0, 1.0, 0, None, None),
    ]
    assert [numbers(r) for r in rating_summary(actor=city.supervisor, by="item")] == [
        ("食品经营许可", 4, 4.0, 0.75, 1, 1.0, 1.0),
        ("消防安全检查", 2, 2.0, 0.0, 1, 0.0, 0.0),
    ]
    assert [numbers(r) for r in rating_summary(actor=city.supervisor, by="window")] == [
        ("综合受理一号窗口", 2, 5.0, 1.0, 0, None, None),  # both ratings of the application it accepted
    ]
    totals = rating_totals(actor=city.supervisor)
    assert (totals["count"], totals["bad_count"], totals["rectified_rate"]) == (6, 2, 2 / 3)


def test_period_and_department_narrow_the_rows(known):
    city, _, _ = known
    rows = rating_summary(
        actor=city.supervisor, by="department", date_from=date(2026, 3, 1), department=city.fire.pk
    )
    assert [numbers(r) for r in rows] == [("市消防救援支队", 1, 1.0, 0.0, 1, 0.0, 0.0)]
    rows = rating_summary(actor=city.supervisor, by="item", date_to=date(2026, 2, 28))
    assert [(r["name"], r["count"]) for r in rows] == [("消防安全检查", 1)]


def test_a_department_admin_sees_only_their_department(known):
    city, _, _ = known
    rows = rating_summary(actor=city.market_admin, by="department")
    assert [r["name"] for r in rows] == ["市市场监督管理局"]
    with pytest.raises(NotFound):
        rating_summary(actor=city.market_admin, by="item", department=city.fire.pk)
    assert {r.department_id for r in bad_ratings_for_actor(actor=city.market_admin)} == {city.market.pk}
    with pytest.raises(PermissionDenied):
        rating_summary(actor=city.fire_approver, by="item")
    with pytest.raises(PermissionDenied):
        rating_summary(actor=city.citizen, by="item")


def test_bad_input_is_named(known):
    city, _, _ = known
    with pytest.raises(InvalidInput) as error:
        rating_summary(actor=city.supervisor, by="people")
    assert error.value.fields == {"by": "统计维度须为 item、department 或 window"}
    with pytest.raises(InvalidInput) as error:
        rating_summary(actor=city.supervisor, by="item", date_from=date(2026, 3, 2), date_to=date(2026, 3, 1))
    assert error.value.fields == {"date_to": "截止日期不能早于起始日期"}
    with pytest.raises(InvalidInput):
        rating_summary_public(by="window")


def test_public_rows_carry_numbers_only(known, django_assert_max_num_queries):
    city, food, _ = known
    with django_assert_max_num_queries(1):
        rows = rating_summary_public(by="department")
    assert set(rows[0]) == {"id", "name", "count", "average", "good_rate", "bad_count", "rectified_rate"}
    assert [(r["name"], r["count"]) for r in rows] == [
        ("市市场监督管理局", 3),
        ("市消防救援支队", 2),
        ("市政务服务中心", 1),
    ]
    assert rating_summary_for_item(food) == {"count": 4, "average": 4.0, "good_rate": 0.75}
