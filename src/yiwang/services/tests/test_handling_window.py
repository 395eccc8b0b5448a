"""At the window: 一次性告知补正 (all at once, the clock stops), 不予受理, 容缺受理, 即办件."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from yiwang.core.errors import Conflict, InvalidInput
from yiwang.core.notify.models import Message
from yiwang.services.models import ApplicationStatus, CorrectionNotice, MaterialSource, Outcome
from yiwang.services.services.handling import (
    application_accept,
    application_not_accept,
    application_pre_review_pass,
    application_request_correction,
)
from yiwang.services.services.handling_decide import application_decide_immediate
from yiwang.services.services.results import decision_document_verify
from yiwang.services.tests.factories import food_item, immediate_item, submitted_application
from yiwang.workflow.models_runtime import InstanceStatus, Task
from yiwang.workflow.services.act import task_act

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(month: int, day: int, hour: int = 10) -> datetime:
    return datetime(2026, month, day, hour, tzinfo=SHANGHAI)


def resubmit(application):
    """The applicant's 补正提交 (the applying pages' service does the same task_act)."""
    task = Task.objects.get(instance=application.instance, state="supplement", status="open")
    task_act(actor=application.applicant, task=task, action_code="resubmit", expected_version=task.version)


def test_one_notice_lists_every_material_and_the_clock_stops_until_resubmission(service_city):
    city = service_city
    with time_machine.travel(at(11, 2), tick=False):  # Monday
        application = submitted_application(city, food_item(city), city.enterprise)
        application_pre_review_pass(actor=city.clerk, application=application)
        before = Task.objects.get(instance=application.instance, state="acceptance")
        notice = application_request_correction(
            actor=city.clerk,
            application=application,
            items=[
                {"code": "site_plan", "problem": "平面图未标注面积"},
                {"code": "application_form", "problem": "缺少法定代表人签字"},
            ],
            note="请一次补齐",
        )
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUPPLEMENT
    assert [i["name"] for i in notice.items] == ["经营场所平面图", "申请书"]
    assert application.materials.get(code="site_plan").problem == "平面图未标注面积"
    assert (
        application.instance.__class__.objects.get(pk=application.instance_id).status
        == InstanceStatus.SUSPENDED
    )
    message = Message.objects.filter(recipient=city.enterprise, title__startswith="请补正材料").get()
    assert "经营场所平面图：平面图未标注面积" in message.body and "申请书：缺少法定代表人签字" in message.body
    assert message.link == f"/me/applications/{application.pk}/"
    with time_machine.travel(at(11, 5), tick=False):  # three working days later
        resubmit(application)
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED
    assert CorrectionNotice.objects.get(pk=notice.pk).resolved_at is not None
    after = Task.objects.get(instance=application.instance, state="acceptance", status="open")
    # 行政许可法 §32: the time of 补正 is not counted — the due time moved by the pause, the two
    # whole working days it spanned (11-03, 11-04).
    assert before.due_at == datetime(2026, 11, 9, 23, 59, 59, tzinfo=SHANGHAI)
    assert after.due_at == datetime(2026, 11, 11, 23, 59, 59, tzinfo=SHANGHAI)


def test_a_correction_names_every_bad_line_at_once(service_city):
    city = service_city
    application = submitted_application(city, food_item(city), city.enterprise)
    with pytest.raises(InvalidInput) as refused:
        application_request_correction(
            actor=city.clerk,
            application=application,
            items=[
                {"code": "site_plan", "problem": ""},
                {"code": "nonsense", "problem": "x"},
                {"code": "application_form"},
            ],
        )
    assert refused.value.fields == {
        "items.site_plan": "经营场所平面图：请写明需要补正的内容",
        "items[1].code": "“nonsense”不是本办件的申请材料",
        "items.application_form": "申请书：请写明需要补正的内容",
    }
    with pytest.raises(InvalidInput) as empty:
        application_request_correction(actor=city.clerk, application=application, items=[])
    assert "items" in empty.value.fields
    assert not CorrectionNotice.objects.exists()
    assert Task.objects.get(instance=application.instance, state="pre_review").assignee is None


def test_not_accepting_gives_the_reason_in_a_signed_notice(service_city):
    city = service_city
    application = submitted_application(city, food_item(city), city.enterprise)
    with pytest.raises(InvalidInput) as refused:
        application_not_accept(actor=city.clerk, application=application, reason=" ")
    assert refused.value.fields == {"reason": "请填写理由"}
    application = application_not_accept(
        actor=city.clerk, application=application, reason="不属于本机关职权范围"
    )
    assert application.status == ApplicationStatus.NOT_ACCEPTED
    assert application.not_accepted_reason == "不属于本机关职权范围"
    document = application.documents.get()
    assert document.kind == "not_accepted" and document.content["title"] == "不予受理通知书"
    assert "第三十二条" in document.content["basis"]
    assert decision_document_verify(document)
    assert Message.objects.filter(recipient=city.enterprise, title__startswith="不予受理").exists()


def test_deficient_acceptance_promises_non_key_materials_only_where_allowed(service_city):
    city = service_city
    application = submitted_application(city, food_item(city), city.enterprise, missing=("site_plan",))
    application_pre_review_pass(actor=city.clerk, application=application)
    application = application_accept(
        actor=city.clerk, application=application, deficiency_note="三日内补交平面图"
    )
    assert application.status == ApplicationStatus.ACCEPTED
    assert application.deficiency_note == "三日内补交平面图"
    assert application.materials.get(code="site_plan").source == MaterialSource.PROMISED
    assert application.receipt is not None


def test_a_key_material_cannot_be_promised(service_city):
    city = service_city
    application = submitted_application(
        city, food_item(city), city.enterprise, missing=("business_license", "site_plan")
    )
    application_pre_review_pass(actor=city.clerk, application=application)
    with pytest.raises(InvalidInput) as refused:
        application_accept(actor=city.clerk, application=application, deficiency_note="后补")
    assert refused.value.message == "关键材料不能容缺后补：营业执照"
    assert set(refused.value.fields) == {"materials.business_license"}
    assert application.materials.get(code="site_plan").source == MaterialSource.MISSING


def test_an_item_without_deficiency_refuses_it(service_city):
    city = service_city
    item = food_item(city, name="不容缺的事项", allows_deficiency=False)
    application = submitted_application(city, item, city.enterprise, missing=("site_plan",))
    application_pre_review_pass(actor=city.clerk, application=application)
    with pytest.raises(InvalidInput) as refused:
        application_accept(actor=city.clerk, application=application, deficiency_note="后补")
    assert refused.value.fields == {"deficiency_note": "该事项不允许容缺受理"}


def test_an_immediate_item_is_decided_at_acceptance(service_city):
    city = service_city
    application = submitted_application(
        city, immediate_item(city), city.citizen, form_data={"trade_name": "张记小吃"}
    )
    application_pre_review_pass(actor=city.clerk, application=application)
    with pytest.raises(InvalidInput):
        application_accept(actor=city.clerk, application=application)
    application = application_decide_immediate(actor=city.clerk, application=application, opinion="当场办结")
    assert (application.status, application.outcome) == (ApplicationStatus.COMPLETED, Outcome.APPROVED)
    assert application.accepted_at is not None and application.decided_at is not None
    assert application.receipt is not None
    assert application.documents.get().kind == "approval"
    with pytest.raises(Conflict):
        application_decide_immediate(actor=city.clerk, application=application, opinion="再来一次")


def test_a_commitment_item_cannot_be_decided_immediately(service_city):
    city = service_city
    application = submitted_application(city, food_item(city), city.enterprise)
    application_pre_review_pass(actor=city.clerk, application=application)
    with pytest.raises(InvalidInput) as refused:
        application_decide_immediate(actor=city.clerk, application=application, opinion="x")
    assert "不是即办件" in refused.value.message


def test_a_failure_inside_the_move_leaves_nothing_half_written(service_city):
    """The fire brigade has no signing key: its 不予受理通知书 cannot be signed, so the whole
    move is undone — no status change, no claim, no message (effects run in the move)."""
    city = service_city
    item = food_item(city, name="消防事项", department=city.fire, result_kind="document")
    application = submitted_application(city, item, city.enterprise)
    with pytest.raises(Conflict) as refused:
        application_not_accept(actor=city.clerk, application=application, reason="不属于本机关职权")
    assert "签名密钥" in refused.value.message
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED and not application.documents.exists()
    task = Task.objects.get(instance=application.instance)
    assert (task.state, task.status, task.assignee) == ("pre_review", "open", None)
    assert not Message.objects.filter(recipient=city.enterprise).exists()
