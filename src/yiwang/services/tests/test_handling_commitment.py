"""承诺件 from 预审 to a licence in the enterprise's wallet, through the handling services."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from yiwang.core.audit.models import AuditRecord
from yiwang.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from yiwang.core.notify.models import Message
from yiwang.licenses.models import License
from yiwang.services.documents_store import read_attachment_bytes
from yiwang.services.models import ApplicationStatus, DeliveryMethod, Outcome
from yiwang.services.services.handling import application_accept, application_pre_review_pass
from yiwang.services.services.handling_decide import (
    application_decide,
    application_deliver,
    application_review,
)
from yiwang.services.tests.factories import food_item, submitted_application
from yiwang.workflow.models_runtime import InstanceStatus, Task

pytestmark = pytest.mark.django_db


def pdf_text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    return "".join(page.extract_text() for page in reader.pages).replace(" ", "").replace("\n", "")


def accepted(city, **kwargs):
    application = submitted_application(city, food_item(city), city.enterprise, **kwargs)
    application_pre_review_pass(actor=city.clerk, application=application, opinion="材料齐全")
    return application_accept(actor=city.clerk, application=application)


def test_commitment_item_runs_to_a_licence_in_the_enterprises_wallet(service_city):
    city = service_city
    application = submitted_application(city, food_item(city), city.enterprise)
    application = application_pre_review_pass(actor=city.clerk, application=application, opinion="材料齐全")
    assert application.status == ApplicationStatus.SUBMITTED
    application = application_accept(actor=city.clerk, application=application)
    assert application.status == ApplicationStatus.ACCEPTED
    assert application.accepted_at is not None
    # 行政许可法 §42: the promised limit runs from 受理; the application shows the instance's date.
    application.instance.refresh_from_db()
    assert application.due_at == application.instance.due_at is not None
    assert application.receipt is not None
    application = application_review(
        actor=city.market_approver, application=application, agree=True, opinion="符合条件"
    )
    application = application_decide(
        actor=city.market_approver, application=application, approve=True, opinion="准予"
    )
    assert (application.status, application.outcome) == (ApplicationStatus.COMPLETED, Outcome.APPROVED)
    licence = License.objects.get(holder=city.enterprise, type_code=city.food_type.code)
    assert application.license == licence
    assert licence.number == application.number
    assert application.decided_at is not None and application.working_days_used is not None
    # 电子送达: delivered the moment it is decided.
    assert application.delivered_at is not None and "电子送达" in application.delivery_note
    titles = list(Message.objects.filter(recipient=city.enterprise).values_list("title", flat=True))
    assert any(t.startswith("已受理") for t in titles) and any(t.startswith("已办结（准予）") for t in titles)
    assert AuditRecord.objects.filter(
        action="services.application.approved", target_id=str(application.pk)
    ).exists()
    application.instance.refresh_from_db()
    assert application.instance.status == InstanceStatus.COMPLETED


def test_the_receipt_pdf_names_the_application_and_how_each_material_came(service_city):
    city = service_city
    application = accepted(city)
    text = pdf_text(read_attachment_bytes(application.receipt))
    assert "受理回执" in text
    assert application.number in text
    assert "食品经营许可" in text and "市政务服务中心" in text
    assert "营业执照" in text and "已提交" in text
    assert "承诺办结期限" in text and "10个工作日" in text
    assert city.enterprise.uscc not in text  # masked
    assert application.receipt.owner_type == "services.application"
    assert application.receipt.owner_id == str(application.pk)


def test_an_approver_trying_to_accept_is_told_the_role_it_needs(service_city):
    city = service_city
    application = submitted_application(city, food_item(city), city.enterprise)
    application_pre_review_pass(actor=city.clerk, application=application)
    with pytest.raises(PermissionDenied) as refused:
        application_accept(actor=city.market_approver, application=application)
    assert "窗口人员" in refused.value.message and "市政务服务中心" in refused.value.message


def test_an_official_of_another_department_gets_not_found(service_city):
    city = service_city
    application = submitted_application(city, food_item(city), city.enterprise)
    for outsider in (city.fire_approver, city.enterprise, city.citizen):
        with pytest.raises(NotFound):
            application_pre_review_pass(actor=outsider, application=application)


def test_acting_at_the_wrong_step_is_a_conflict_naming_the_current_step(service_city):
    city = service_city
    application = submitted_application(city, food_item(city), city.enterprise)
    with pytest.raises(Conflict) as refused:
        application_accept(actor=city.clerk, application=application)
    assert "预审" in refused.value.message


def test_accepting_with_a_material_missing_names_it(service_city):
    city = service_city
    application = submitted_application(
        city, food_item(city), city.enterprise, missing=("business_license", "site_plan")
    )
    application_pre_review_pass(actor=city.clerk, application=application)
    with pytest.raises(InvalidInput) as refused:
        application_accept(actor=city.clerk, application=application)
    assert set(refused.value.fields) == {"materials.business_license", "materials.site_plan"}
    assert "营业执照" in refused.value.message and "经营场所平面图" in refused.value.message
    # Nothing half-written: still at 受理, no receipt, no claim left behind.
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED and application.receipt is None
    task = Task.objects.get(instance=application.instance, state="acceptance")
    assert task.assignee is None


def test_rejection_needs_a_reason_and_issues_a_signed_document_with_the_basis(service_city):
    from yiwang.services.services.results import decision_document_verify

    city = service_city
    application = accepted(city)
    application_review(actor=city.market_approver, application=application, agree=False, opinion="场所不符合")
    with pytest.raises(InvalidInput) as refused:
        application_decide(actor=city.market_approver, application=application, approve=False, opinion="不予")
    assert "reason" in refused.value.fields
    application = application_decide(
        actor=city.market_approver,
        application=application,
        approve=False,
        opinion="不予",
        reason="经营场所与住宅未有效分隔",
        basis="《食品经营许可和备案管理办法》第十二条",
    )
    assert (application.status, application.outcome) == (ApplicationStatus.COMPLETED, Outcome.REJECTED)
    assert application.decision_basis == "《食品经营许可和备案管理办法》第十二条"
    document = application.documents.get()
    assert document.kind == "rejection" and document.content["reasons"] == "经营场所与住宅未有效分隔"
    assert "行政复议" in document.content["remedy"]
    assert document.number.startswith("市市场监督管理局不许字〔")
    assert decision_document_verify(document)
    document.content["reasons"] = "改过的理由"
    assert not decision_document_verify(document)
    text = pdf_text(read_attachment_bytes(document.pdf))
    assert document.number.replace(" ", "") in text and "行政诉讼" in text
    assert document.signing_key.fingerprint in text


def test_mail_delivery_records_the_tracking_number(service_city):
    city = service_city
    application = accepted(city, delivery_method=DeliveryMethod.MAIL)
    application_review(actor=city.market_approver, application=application, agree=True, opinion="符合")
    application = application_decide(
        actor=city.market_approver, application=application, approve=True, opinion="准予"
    )
    assert application.delivered_at is None
    with pytest.raises(PermissionDenied):
        application_deliver(actor=city.market_approver, application=application, note="SF123")
    with pytest.raises(InvalidInput) as refused:
        application_deliver(actor=city.clerk, application=application, note="  ")
    assert refused.value.fields == {"note": "请填写快递运单号（不超过200字）"}
    application = application_deliver(actor=city.clerk, application=application, note="SF1234567890")
    assert application.delivered_at is not None
    assert application.delivery_note == "邮寄送达：运单号 SF1234567890"
    with pytest.raises(Conflict):
        application_deliver(actor=city.clerk, application=application, note="SF1234567890")
