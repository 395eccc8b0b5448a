"""差评整改 (STANDARDS §5): respond, appeal, 申诉复核, 回访 — through the services and through the
generic workbench task, the Rectification row follows the process."""

from __future__ import annotations

import pytest

from yiwang.core.errors import InvalidInput, NotFound, PermissionDenied
from yiwang.services.models import RectificationStatus
from yiwang.services.selectors_ratings import rating_summary, rectification_list_for_actor
from yiwang.services.services.ratings import rating_submit_online
from yiwang.services.services.rectifications import (
    rectification_appeal,
    rectification_respond,
    rectification_review_appeal,
    rectification_revisit,
)
from yiwang.services.tests.factories import completed_application, food_item
from yiwang.workflow.models_runtime import InstanceStatus, Task, TaskStatus
from yiwang.workflow.services.act import task_act

pytestmark = pytest.mark.django_db
ALL_ONE = {"overall": 1, "efficiency": 1, "guide_accuracy": 1, "convenience": 1, "usability": 1}


@pytest.fixture
def rectification(service_city):
    city = service_city
    application = completed_application(city, food_item(city), city.enterprise)
    rating = rating_submit_online(
        actor=city.enterprise,
        application=application,
        level=1,
        indicators=ALL_ONE,
        comment="审批太慢，没人接电话",
    )
    return rating.rectification


def test_rectified_then_revisited_satisfied_closes(service_city, rectification):
    city = service_city
    rectification_respond(
        actor=city.market_approver, rectification=rectification, text="已约谈窗口并优化流程"
    )
    rectification.refresh_from_db()
    assert rectification.status == RectificationStatus.REVISITING
    assert (rectification.response, rectification.unfounded) == ("已约谈窗口并优化流程", False)
    assert rectification.responded_at is not None
    rectification_revisit(
        actor=city.service_manager, rectification=rectification, satisfied=True, note="电话回访，表示满意"
    )
    rectification.refresh_from_db()
    assert rectification.status == RectificationStatus.CLOSED
    assert (rectification.revisit_result, rectification.revisit_note) == ("satisfied", "电话回访，表示满意")
    assert rectification.closed_at is not None and rectification.instance.status == InstanceStatus.COMPLETED
    [row] = rating_summary(actor=city.supervisor, by="department")
    assert (row["bad_count"], row["rectified_rate"], row["revisit_rate"]) == (1, 1.0, 1.0)


def test_revisit_unsatisfied_reopens_for_the_department(service_city, rectification):
    city = service_city
    rectification_respond(
        actor=city.market_admin, rectification=rectification, text="评价人所述与事实不符", unfounded=True
    )
    rectification.refresh_from_db()
    assert rectification.unfounded and rectification.response == "评价人所述与事实不符"
    rectification_revisit(
        actor=city.service_manager, rectification=rectification, satisfied=False, note="评价人仍不满意"
    )
    rectification.refresh_from_db()
    assert (rectification.status, rectification.revisit_result) == (RectificationStatus.OPEN, "unsatisfied")
    task = Task.objects.get(instance=rectification.instance, status=TaskStatus.OPEN)
    assert (task.state, task.candidate_department) == ("rectify", city.market)
    [row] = rating_summary(actor=city.supervisor, by="department")
    assert (row["rectified_rate"], row["revisit_rate"]) == (0.0, 1.0)  # revisited, not yet rectified


def test_appeal_upheld_leaves_the_bad_rating_out_of_the_counts(service_city, rectification):
    city = service_city
    rectification_appeal(
        actor=city.market_admin, rectification=rectification, reason="申请人未按告知补正材料"
    )
    rectification.refresh_from_db()
    assert (rectification.status, rectification.appeal_reason) == (
        RectificationStatus.APPEALING,
        "申请人未按告知补正材料",
    )
    with pytest.raises(PermissionDenied):  # the department cannot decide its own appeal
        rectification_review_appeal(
            actor=city.market_admin, rectification=rectification, upheld=True, opinion="成立"
        )
    rectification_review_appeal(
        actor=city.service_manager, rectification=rectification, upheld=True, opinion="经核实，申诉成立"
    )
    rectification.refresh_from_db()
    assert rectification.status == RectificationStatus.REVOKED
    assert rectification.appeal_decision == "经核实，申诉成立" and rectification.closed_at is not None
    [row] = rating_summary(actor=city.supervisor, by="item")
    assert (row["count"], row["bad_count"], row["average"], row["rectified_rate"]) == (0, 0, None, 1.0)


def test_appeal_rejected_sends_it_back_to_rectify(service_city, rectification):
    city = service_city
    rectification_appeal(actor=city.market_approver, rectification=rectification, reason="我们认为评价不实")
    rectification_review_appeal(
        actor=city.service_manager, rectification=rectification, upheld=False, opinion="证据不足，请整改"
    )
    rectification.refresh_from_db()
    assert (rectification.status, rectification.appeal_decision) == (
        RectificationStatus.OPEN,
        "证据不足，请整改",
    )


def test_an_approver_of_another_department_cannot_see_or_act(service_city, rectification):
    city = service_city
    with pytest.raises(NotFound):
        rectification_respond(actor=city.fire_approver, rectification=rectification, text="不是我们的")
    assert not rectification_list_for_actor(actor=city.fire_approver).exists()
    assert list(rectification_list_for_actor(actor=city.market_approver)) == [rectification]
    rectification.refresh_from_db()
    assert rectification.status == RectificationStatus.OPEN


def test_acting_in_the_wrong_state_or_without_text_is_refused(service_city, rectification):
    city = service_city
    with pytest.raises(InvalidInput) as error:
        rectification_revisit(
            actor=city.service_manager, rectification=rectification, satisfied=True, note="满意"
        )
    assert error.value.fields == {"state": "该差评当前不在回访环节"}
    with pytest.raises(InvalidInput) as error:
        rectification_respond(actor=city.market_approver, rectification=rectification, text="   ")
    assert error.value.fields == {"text": "请填写整改情况"}
    with pytest.raises(InvalidInput) as error:
        rectification_appeal(actor=city.market_approver, rectification=rectification, reason=None)
    assert error.value.fields == {"reason": "请填写申诉理由"}


def test_the_generic_workbench_task_moves_the_rectification_too(service_city, rectification):
    city = service_city
    task = Task.objects.get(instance=rectification.instance, status=TaskStatus.OPEN)
    task_act(
        actor=city.market_approver,
        task=task,
        action_code="explained",
        expected_version=task.version,
        reason="已向当事人说明政策",
    )
    rectification.refresh_from_db()
    assert rectification.status == RectificationStatus.REVISITING
    assert rectification.unfounded and rectification.response == "已向当事人说明政策"


def test_the_list_reads_every_row_in_a_fixed_number_of_queries(service_city, django_assert_max_num_queries):
    city = service_city
    food = food_item(city)
    for _ in range(4):
        application = completed_application(city, food, city.enterprise)
        rating_submit_online(
            actor=city.enterprise,
            application=application,
            level=2,
            indicators=ALL_ONE,
            comment="办理时间太长了",
        )
    with django_assert_max_num_queries(3):
        rows = [
            (
                r.rating.item.name,
                r.rating.application.number,
                r.department.name,
                r.instance.clock_status,
                r.due_at,
            )
            for r in rectification_list_for_actor(actor=city.market_approver, status="open")
        ]
    assert len(rows) == 4 and {row[0] for row in rows} == {"食品经营许可"}
    with pytest.raises(InvalidInput):
        rectification_list_for_actor(actor=city.market_approver, status="nonsense")
