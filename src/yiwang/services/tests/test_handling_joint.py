"""并联审批, and the generic workflow task page keeping the application in step."""

from __future__ import annotations

import pytest

from yiwang.core.errors import Conflict, NotFound, PermissionDenied
from yiwang.licenses.models import License
from yiwang.services.models import ApplicationStatus, CorrectionNotice, Outcome
from yiwang.services.services.handling import application_accept, application_pre_review_pass
from yiwang.services.services.handling_decide import application_decide, application_review
from yiwang.services.tests.factories import food_item, joint_item, submitted_application
from yiwang.workflow.models_runtime import Task
from yiwang.workflow.services.act import task_act
from yiwang.workflow.services.claim import task_claim

pytestmark = pytest.mark.django_db


def joint_accepted(city):
    application = submitted_application(city, joint_item(city), city.enterprise)
    application_pre_review_pass(actor=city.clerk, application=application)
    return application_accept(actor=city.clerk, application=application)


def open_states(application) -> set[str]:
    return set(
        Task.objects.filter(instance=application.instance, status__in=("open", "claimed")).values_list(
            "state", flat=True
        )
    )


def test_both_departments_review_in_parallel_and_the_decision_follows_both(service_city):
    city = service_city
    application = joint_accepted(city)
    assert open_states(application) == {"lead_review", "partner_review"}
    # Each department's approver reviews its own branch, in either order.
    application_review(actor=city.fire_approver, application=application, agree=True, opinion="消防合格")
    assert open_states(application) == {"lead_review"}
    with pytest.raises(Conflict):
        application_decide(actor=city.market_approver, application=application, approve=True, opinion="准予")
    application_review(actor=city.market_approver, application=application, agree=True, opinion="同意")
    assert open_states(application) == {"decision"}
    # The co-reviewing department may open the application, but not decide it.
    with pytest.raises(PermissionDenied) as refused:
        application_decide(actor=city.fire_approver, application=application, approve=True, opinion="准予")
    assert refused.value.message == "“决定”需要市市场监督管理局的审批人员角色"
    application = application_decide(
        actor=city.market_approver, application=application, approve=True, opinion="准予"
    )
    assert (application.status, application.outcome) == (ApplicationStatus.COMPLETED, Outcome.APPROVED)
    document = application.documents.get()
    assert document.kind == "approval"
    steps = dict(
        Task.objects.filter(instance=application.instance, status="done").values_list("state", "completed_by")
    )
    assert (
        steps["partner_review"] == city.fire_approver.pk and steps["lead_review"] == city.market_approver.pk
    )


def test_a_department_outside_the_item_cannot_see_a_joint_application(service_city):
    city = service_city
    from yiwang.core.tests import factories

    other = factories.create_department("市教育局", division=city.city)
    outsider = factories.create_official(department=other, role="approver")
    application = joint_accepted(city)
    with pytest.raises(NotFound):
        application_review(actor=outsider, application=application, agree=True, opinion="x")


def test_the_generic_task_page_path_keeps_the_application_in_step(service_city):
    """task_act straight from the workbench's 待办 page: the effects do what the services do."""
    city = service_city
    application = submitted_application(city, food_item(city), city.enterprise)

    def act(actor, state, code, **inputs):
        task = Task.objects.get(instance=application.instance, state=state, status__in=("open", "claimed"))
        task = task_claim(actor=actor, task=task, expected_version=task.version)
        task_act(actor=actor, task=task, action_code=code, expected_version=task.version, **inputs)
        application.refresh_from_db()

    act(city.clerk, "pre_review", "ask_supplement", reason="营业执照复印件不清晰")
    assert application.status == ApplicationStatus.SUPPLEMENT
    notice = CorrectionNotice.objects.get(application=application)
    assert notice.note == "营业执照复印件不清晰" and notice.issued_by == city.clerk
    task = Task.objects.get(instance=application.instance, state="supplement")
    task_act(actor=city.enterprise, task=task, action_code="resubmit", expected_version=task.version)
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED
    act(city.clerk, "pre_review", "pass_pre_review")
    act(city.clerk, "acceptance", "accept")
    assert application.status == ApplicationStatus.ACCEPTED and application.receipt_id
    act(city.market_approver, "review", "review_done", opinion="符合")
    act(city.market_approver, "decision", "approve", opinion="准予")
    assert (application.status, application.outcome) == (ApplicationStatus.COMPLETED, Outcome.APPROVED)
    assert License.objects.get(pk=application.license_id).holder == city.enterprise


def test_rejection_from_the_task_page_cites_the_items_legal_basis(service_city):
    city = service_city
    application = submitted_application(city, food_item(city), city.enterprise)
    for actor, state, code, inputs in (
        (city.clerk, "pre_review", "pass_pre_review", {}),
        (city.clerk, "acceptance", "accept", {}),
        (city.market_approver, "review", "review_done", {"opinion": "不符合"}),
        (city.market_approver, "decision", "reject", {"opinion": "不予", "reason": "场所不符合要求"}),
    ):
        task = Task.objects.get(instance=application.instance, state=state, status="open")
        task_act(actor=actor, task=task, action_code=code, expected_version=task.version, **inputs)
    application.refresh_from_db()
    assert application.outcome == Outcome.REJECTED
    assert application.decision_reason == "场所不符合要求"
    assert application.decision_basis == "《中华人民共和国行政许可法》"
