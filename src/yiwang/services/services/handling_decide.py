"""审查, 决定 and 送达 (行政许可法 §34–§44): review opinions (and 并联审批's two departments),
准予 / 不予 with reasons and legal basis, 即办件 decided at the window, and 送达 by mail or
at the window recorded with its proof (运单号, 领取人)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from yiwang.core.audit import services as audit
from yiwang.core.errors import Conflict, InvalidInput, PermissionDenied, invalid
from yiwang.services.models import Application, ApplicationStatus, DeliveryMethod
from yiwang.services.permissions import can_application_deliver
from yiwang.services.selectors_handling import acceptance_department_of
from yiwang.services.services.handling import IMMEDIATE
from yiwang.services.services.handling_state import item_label, save_application, tell_applicant
from yiwang.services.services.handling_tasks import act, reread, task_for, text, visible_application

REVIEW_STATES = ("review", "lead_review", "partner_review")
BASIS_MAX = 2000
DELIVERY_NOTE_MAX = 200


def _review_action(state: str, agree: bool) -> str:
    if state == "review":
        return "review_done"  # 承诺件: one department reviews; the opinion says agree or not
    prefix = "lead" if state == "lead_review" else "partner"
    return f"{prefix}_{'agree' if agree else 'disagree'}"


@transaction.atomic
def application_review(
    *, actor, application: Application, agree: bool, opinion: str, expected_version=None
) -> Application:
    """审查意见: whichever review step of this application the actor may work — 审查, or in
    并联审批 the 主办 or 协办 department's; the decision opens when every review is in."""
    application = visible_application(actor=actor, application=application)
    task = task_for(
        actor=actor,
        application=application,
        states=REVIEW_STATES,
        step="审查",
        expected_version=expected_version,
    )
    if not isinstance(agree, bool):
        raise invalid("agree", "请选择同意或不同意")
    opinion = text(opinion)
    if task.state == "review" and opinion:
        opinion = f"{'同意' if agree else '不同意'}：{opinion}"
    act(actor=actor, task=task, action=_review_action(task.state, agree), opinion=opinion)
    audit.record(
        actor=actor,
        action="services.application.reviewed",
        target=application,
        changes={"step": task.state, "agree": agree},
    )
    return reread(application)


@transaction.atomic
def application_decide(
    *,
    actor,
    application: Application,
    approve: bool,
    opinion: str,
    reason: str = "",
    basis: str = "",
    expected_version=None,
) -> Application:
    """准予 (the licence or 准予决定书 is issued) or 不予 with the reasons and the legal basis
    (行政许可法 §38 ¶2); without a basis, the item's 设定依据 is cited."""
    application = visible_application(actor=actor, application=application)
    task = task_for(
        actor=actor,
        application=application,
        states=("decision",),
        step="决定",
        expected_version=expected_version,
    )
    if not isinstance(approve, bool):
        raise invalid("approve", "请选择准予或不予")
    if approve:
        act(actor=actor, task=task, action="approve", opinion=text(opinion))
        return reread(application)
    basis = text(basis)
    if len(basis) > BASIS_MAX:
        raise invalid("basis", f"法律依据不能超过{BASIS_MAX}字")
    if basis:  # read by the `rejected` effect in this transaction
        Application.objects.filter(pk=application.pk).update(decision_basis=basis)
    act(actor=actor, task=task, action="reject", opinion=text(opinion), reason=text(reason))
    return reread(application)


@transaction.atomic
def application_decide_immediate(
    *, actor, application: Application, opinion: str, expected_version=None
) -> Application:
    """即办件: 受理并办结 at the window, the result issued at once."""
    application = visible_application(actor=actor, application=application)
    task = task_for(
        actor=actor,
        application=application,
        states=("acceptance",),
        step="受理并办结",
        expected_version=expected_version,
    )
    if task.instance.definition_code != IMMEDIATE:
        raise invalid("action", "该事项不是即办件，请先受理，再经审查、决定")
    act(actor=actor, task=task, action="accept_and_approve", opinion=text(opinion))
    return reread(application)


@transaction.atomic
def application_deliver(*, actor, application: Application, note: str) -> Application:
    """送达 by mail (the 运单号) or at the window (who picked it up), once, after 办结."""
    application = visible_application(actor=actor, application=application)
    if not can_application_deliver(actor, acceptance_department_of(application)):
        raise PermissionDenied(
            "记录送达需要受理部门的窗口人员或部门管理员角色（services.application.deliver）"
        )
    application = (
        Application.objects.select_for_update(of=("self",))
        .select_related("item", "item_version")
        .get(pk=application.pk)
    )
    if application.status != ApplicationStatus.COMPLETED:
        raise Conflict(f"办件{application.get_status_display()}，办结后才能送达")
    if application.delivered_at is not None:
        raise Conflict(f"办件已于{timezone.localtime(application.delivered_at):%Y-%m-%d %H:%M}送达")
    if application.delivery_method not in (DeliveryMethod.MAIL, DeliveryMethod.WINDOW):
        raise Conflict("电子送达的办件已在办结时送达")
    if application.bundle_application_id:
        raise Conflict("一件事的办理结果统一送达，请在一件事中办理")
    mail = application.delivery_method == DeliveryMethod.MAIL
    note = text(note)
    if not note or len(note) > DELIVERY_NOTE_MAX:
        what = "快递运单号" if mail else "领取人姓名"
        raise InvalidInput(f"请填写{what}", fields={"note": f"请填写{what}（不超过{DELIVERY_NOTE_MAX}字）"})
    application.delivered_at = timezone.now()
    application.delivery_note = f"邮寄送达：运单号 {note}" if mail else f"窗口领取：{note}"
    save_application(application, "delivered_at", "delivery_note")
    audit.record(
        actor=actor,
        action="services.application.delivered",
        target=application,
        changes={"method": application.delivery_method, "note": application.delivery_note},
    )
    body = f"办理结果已寄出，运单号 {note}。" if mail else f"办理结果已于窗口领取（{note}）。"
    tell_applicant(application, f"已送达：{item_label(application)}", body)
    return reread(application)
