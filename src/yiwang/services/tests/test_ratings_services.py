"""好差评 services (STANDARDS §5): 一事一评 after 办结, 一次一评 by the receipt's QR code, and the
rectification every 差评 opens in the rated department."""

from __future__ import annotations

from datetime import datetime
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import override_settings

from yiwang.core.errors import Conflict, InvalidInput, NotFound
from yiwang.core.notify.models import Message
from yiwang.core.tests import factories as core_factories
from yiwang.services.models import Rating, Rectification, RectificationStatus
from yiwang.services.rating_tokens import make_token
from yiwang.services.services.ratings import rating_submit_online, rating_submit_window
from yiwang.services.tests.factories import completed_application, food_item
from yiwang.workflow.models_runtime import ProcessInstance, Task
from yiwang.workflow.selectors_runtime import task_inbox

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")
MONDAY = datetime(2026, 3, 2, 10, tzinfo=SHANGHAI)
ALL_FIVE = {"overall": 5, "efficiency": 5, "guide_accuracy": 4, "convenience": 5, "usability": 4}
ALL_ONE = dict.fromkeys(ALL_FIVE, 1)


def end_of(month: int, day: int) -> datetime:
    return datetime(2026, month, day, 23, 59, 59, tzinfo=SHANGHAI)


def rate_bad(city, application, actor=None, comment="窗口让我跑了三趟，材料清单不清楚"):
    return rating_submit_online(
        actor=actor or city.enterprise, application=application, level=1, indicators=ALL_ONE, comment=comment
    )


@pytest.fixture
def completed(service_city):
    return completed_application(service_city, food_item(service_city), service_city.enterprise)


def test_a_bad_rating_opens_a_rectification_in_the_rated_departments_inbox_due_in_15_working_days(
    service_city, completed
):
    city = service_city
    with time_machine.travel(MONDAY, tick=False):
        rating = rate_bad(city, completed, actor=city.agent)  # the enterprise's 经办人
    assert (rating.department, rating.item, rating.rater, rating.channel) == (
        city.market,
        completed.item,
        city.agent,
        "online",
    )
    rectification = Rectification.objects.get(rating=rating)
    assert rectification.status == RectificationStatus.OPEN and rectification.department == city.market
    assert rectification.due_at == end_of(3, 23)  # 15 working days after Monday 2026-03-02
    assert rectification.instance.due_at == rectification.due_at
    inbox = list(task_inbox(actor=city.market_approver, box="department"))
    assert [(t.instance_id, t.state) for t in inbox] == [(rectification.instance_id, "rectify")]
    assert inbox[0].candidate_department == city.market
    # The bureau revisits and reviews appeals.
    assert rectification.instance.params["review_department"] == city.bureau.pk
    told = set(Message.objects.filter(category="services").values_list("recipient_id", flat=True))
    assert told == {city.market_admin.pk, city.market_approver.pk}
    assert not list(task_inbox(actor=city.fire_approver, box="department"))


@override_settings(RECTIFICATION_WORKING_DAYS=5)
def test_the_deadline_follows_the_setting(service_city, completed):
    with time_machine.travel(MONDAY, tick=False):
        rating = rate_bad(service_city, completed)
    assert rating.rectification.due_at == end_of(3, 9)


def test_a_good_rating_opens_no_rectification(service_city, completed):
    rating = rating_submit_online(
        actor=service_city.enterprise, application=completed, level=4, indicators=ALL_FIVE, comment=""
    )
    assert rating.indicators == ALL_FIVE and not rating.is_bad
    assert not Rectification.objects.exists() and not ProcessInstance.objects.exists()


def test_rating_twice_is_a_conflict(service_city, completed):
    rating_submit_online(actor=service_city.enterprise, application=completed, level=5, indicators=ALL_FIVE)
    with pytest.raises(Conflict) as error:
        rating_submit_online(actor=service_city.agent, application=completed, level=1, indicators=ALL_ONE)
    assert error.value.status == 409 and "已评价" in error.value.message
    assert Rating.objects.count() == 1


def test_someone_elses_application_is_not_found(service_city, completed):
    with pytest.raises(NotFound):
        rating_submit_online(
            actor=service_city.other_citizen, application=completed, level=5, indicators=ALL_FIVE
        )
    with pytest.raises(NotFound):
        rating_submit_online(
            actor=service_city.market_approver, application=completed, level=5, indicators=ALL_FIVE
        )


def test_only_after_completion(service_city):
    city = service_city
    running = completed_application(city, food_item(city), city.enterprise, status="accepted")
    with pytest.raises(InvalidInput) as error:
        rating_submit_online(actor=city.enterprise, application=running, level=5, indicators=ALL_FIVE)
    assert "办结后才能评价" in error.value.fields["application"]


def test_bad_input_is_named_field_by_field_in_chinese(service_city, completed):
    with pytest.raises(InvalidInput) as error:
        rating_submit_online(
            actor=service_city.enterprise,
            application=completed,
            level=2,
            indicators={"overall": 0, "efficiency": "5", "speed": 3},
            comment="差",
        )
    fields = error.value.fields
    assert "差评请说明原因" in fields["comment"]
    assert fields["indicators.overall"] == "请为整体满意度选择1至5分"
    assert fields["indicators.efficiency"] == "请为办事效率选择1至5分"
    assert fields["indicators.guide_accuracy"] == "请为办事指南精确度选择1至5分"
    assert fields["indicators.speed"] == "未知的评价指标"
    for level in (0, 6, True, "5", None):
        with pytest.raises(InvalidInput) as error:
            rating_submit_online(
                actor=service_city.enterprise, application=completed, level=level, indicators=ALL_FIVE
            )
        assert error.value.fields["level"] == "请为总体评价选择1至5分"
    with pytest.raises(InvalidInput) as error:
        rating_submit_online(
            actor=service_city.enterprise,
            application=completed,
            level=5,
            indicators=ALL_FIVE,
            comment="好" * 501,
        )
    assert error.value.fields == {"comment": "评价内容不能超过500个字"}
    assert not Rating.objects.exists()


def test_a_failure_while_opening_the_rectification_leaves_no_rating(service_city, completed):
    with (
        mock.patch(
            "yiwang.services.services.rectifications.instance_start", side_effect=RuntimeError("down")
        ),
        pytest.raises(RuntimeError),
    ):
        rate_bad(service_city, completed)
    assert not Rating.objects.exists() and not Rectification.objects.exists()


# --- 一次一评 -----------------------------------------------------------------------------------
def test_window_rating_by_token_rates_the_accepting_department_and_window(service_city):
    city = service_city
    hall_admin = core_factories.create_official(
        department=city.hall, role="dept_admin", display_name="大厅管理员"
    )
    application = completed_application(
        city, food_item(city), city.enterprise, window=city.window, channel="window", status="accepted"
    )
    with time_machine.travel(MONDAY, tick=False):
        rating = rating_submit_window(token=make_token(application), level=2, comment="排队等了两个小时")
    assert (rating.department, rating.window, rating.rater, rating.channel) == (
        city.hall,
        city.window,
        city.enterprise,
        "window",
    )
    task = Task.objects.get(instance=rating.rectification.instance)
    assert task.candidate_department == city.hall
    assert Message.objects.filter(recipient=hall_admin, category="services").exists()
    with pytest.raises(Conflict):
        rating_submit_window(token=make_token(application), level=5)
    # The online rating is another channel: still possible after 办结.
    assert Rating.objects.filter(application=application).count() == 1


def test_window_rating_by_the_signed_in_agent_names_the_agent(service_city):
    city = service_city
    application = completed_application(city, food_item(city), city.enterprise, window=city.window)
    rating = rating_submit_window(token=make_token(application), level=5, actor=city.agent)
    assert rating.rater == city.agent and not Rectification.objects.exists()
    # Someone else signed in is not the rater: the receipt names the applicant.
    other = completed_application(city, food_item(city, name="另一事项"), city.enterprise)
    rating = rating_submit_window(token=make_token(other), level=4, actor=city.other_citizen)
    assert rating.rater == city.enterprise


def test_a_tampered_or_unsubmitted_token_is_refused(service_city):
    city = service_city
    application = completed_application(city, food_item(city), city.enterprise)
    token = make_token(application)
    for bad in (token[:-2] + "xx", "", "abc", None, "a" * 600):
        with pytest.raises(InvalidInput) as error:
            rating_submit_window(token=bad, level=5)
        assert "二维码无效" in error.value.fields["token"]
    application.status = "draft"
    application.save(update_fields=["status"])
    with pytest.raises(InvalidInput) as error:
        rating_submit_window(token=token, level=5)
    assert "尚未提交" in error.value.fields["token"]
    assert not Rating.objects.exists()


def test_window_bad_rating_needs_a_reason(service_city):
    city = service_city
    application = completed_application(city, food_item(city), city.enterprise)
    with pytest.raises(InvalidInput) as error:
        rating_submit_window(token=make_token(application), level=1, comment="")
    assert "差评请说明原因" in error.value.fields["comment"]
