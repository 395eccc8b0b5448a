"""一网通办 figures (issue 5 §7) on a known data set: exact numbers, scope and query count."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from yiwang.core.errors import InvalidInput, NotFound, PermissionDenied
from yiwang.core.tests import factories as core_factories
from yiwang.services.models import ServiceItemVersion
from yiwang.services.selectors_figures import figures
from yiwang.services.services.ratings import rating_submit_online
from yiwang.services.tests.factories import completed_application, create_item, food_item, immediate_item

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")
MARCH = {"date_from": date(2026, 3, 1), "date_to": date(2026, 3, 31)}


def at(month: int, day: int) -> datetime:
    return datetime(2026, month, day, 10, tzinfo=SHANGHAI)


def rate(city, application, level: int, comment: str = "") -> None:
    with time_machine.travel(at(3, 25), tick=False):
        rating_submit_online(
            actor=application.applicant,
            application=application,
            level=level,
            indicators=dict.fromkeys(
                ("overall", "efficiency", "guide_accuracy", "convenience", "usability"), level
            ),
            comment=comment,
        )


@pytest.fixture
def known(service_city):
    """Items: food (market, depth 5, 10/20), immediate (market, depth 5, 即办, 0/20), inspection
    (fire, depth 3, 15/20), permit (market, depth 4, 10 natural / 20 working days: no ratio),
    a penalty (not applied for) and an unpublished item (neither counted)."""
    city = service_city
    food, immediate = food_item(city), immediate_item(city)
    inspection = create_item(department=city.fire, name="消防安全检查", online_depth=3, promised_limit=15)
    permit = create_item(department=city.market, name="户外广告设置许可", online_depth=4)
    ServiceItemVersion.objects.filter(item=permit).update(promised_limit_unit="natural_days")
    create_item(department=city.market, name="罚款决定", item_type="penalty")
    create_item(department=city.market, name="未发布事项", published=False)

    def application(
        item, *, channel="online", status="completed", submitted, decided=None, due=None, used=None
    ):
        promised = item.published_version.promised_limit
        return completed_application(
            city,
            item,
            city.enterprise,
            channel=channel,
            status=status,
            submitted_at=submitted,
            decided_at=decided,
            due_at=due,
            working_days_used=used,
            promised_working_days=promised,
        )

    on_time = application(food, submitted=at(3, 2), decided=at(3, 10), due=at(3, 12), used=5)
    late = application(food, channel="window", submitted=at(3, 2), decided=at(3, 20), due=at(3, 15), used=12)
    instant = application(immediate, submitted=at(3, 5), decided=at(3, 5), used=0)
    application(inspection, channel="window", status="accepted", submitted=at(3, 3))
    application(food, submitted=at(2, 10), decided=at(2, 20), due=at(2, 25), used=4)  # February
    application(food, submitted=at(2, 25), decided=at(3, 2), due=at(3, 5), used=3)  # decided in March
    application(food, status="draft", submitted=at(3, 6))  # a draft is no application
    rate(city, on_time, 5)
    rate(city, late, 1, "超期了也没人通知")
    rate(city, instant, 4)
    return city


def test_city_wide_figures_exactly(known, django_assert_max_num_queries):
    with django_assert_max_num_queries(5):
        found = figures(actor=known.supervisor, **MARCH)
    assert found["period"] == {"from": date(2026, 3, 1), "to": date(2026, 3, 31)}
    assert (found["items"], found["online_items"], found["online_rate"]) == (4, 3, 0.75)
    assert (found["immediate_items"], found["immediate_item_rate"]) == (1, 0.25)
    assert found["compression_ratio"] == pytest.approx((0.5 + 1.0 + 0.25) / 3)
    assert (found["applications"], found["channels"]) == (4, {"online": 2, "window": 2})
    assert (found["immediate_applications"], found["immediate_application_rate"]) == (1, 0.25)
    assert (found["completed"], found["on_time"], found["on_time_rate"]) == (4, 3, 0.75)
    assert found["avg_working_days_used"] == pytest.approx(5.0)  # (5 + 12 + 0 + 3) / 4
    assert found["avg_promised_working_days"] == pytest.approx(7.5)  # (10 + 10 + 0 + 10) / 4
    assert found["satisfaction"] == {
        "ratings": 3,
        "average_level": 3.3,
        "good_rate": 2 / 3,
        "bad_count": 1,
        "rectified_rate": 0.0,
    }


def test_a_departments_leader_sees_their_department(known):
    city = known
    leader = core_factories.create_official(department=city.market, role="leader", display_name="市场局领导")
    found = figures(actor=leader, **MARCH)
    assert (found["items"], found["online_rate"], found["immediate_item_rate"]) == (3, 1.0, 1 / 3)
    assert found["compression_ratio"] == pytest.approx(0.75)
    assert (found["applications"], found["channels"]) == (3, {"online": 2, "window": 1})
    with pytest.raises(NotFound):
        figures(actor=leader, department=city.fire.pk, **MARCH)
    narrowed = figures(actor=known.supervisor, department=city.fire.pk, **MARCH)
    assert (narrowed["items"], narrowed["applications"], narrowed["completed"], narrowed["on_time_rate"]) == (
        1,
        1,
        0,
        None,
    )


def test_without_the_right_or_with_bad_dates_it_is_refused(known):
    city = known
    for actor in (city.market_admin, city.market_approver, city.citizen):
        with pytest.raises(PermissionDenied):
            figures(actor=actor, **MARCH)
    with pytest.raises(InvalidInput) as error:
        figures(actor=city.supervisor, date_from=date(2026, 3, 2), date_to=date(2026, 3, 1))
    assert error.value.fields == {"date_to": "截止日期不能早于起始日期"}


def test_an_empty_period_has_no_rates(known):
    found = figures(actor=known.supervisor, date_from=date(2025, 1, 1), date_to=date(2025, 1, 31))
    assert (found["applications"], found["on_time_rate"], found["avg_working_days_used"]) == (0, None, None)
    assert found["satisfaction"]["average_level"] is None and found["online_rate"] == 0.75
