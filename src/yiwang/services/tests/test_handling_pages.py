"""The officials' pages: the inbox with deadlines, one application, its action forms, the
audited 查看完整, the downloads — and the workflow inbox naming applications."""

from __future__ import annotations

import pytest
from django.urls import reverse

from yiwang.core.audit.models import AuditRecord
from yiwang.services.models import ApplicationStatus, MaterialSource
from yiwang.services.services.handling import (
    application_accept,
    application_not_accept,
    application_pre_review_pass,
)
from yiwang.services.tests.factories import food_item, submitted_application

pytestmark = pytest.mark.django_db
INBOX = reverse("services:office_applications")


def detail_url(application) -> str:
    return reverse("services:office_application", args=[application.pk])


def act_url(application, op: str) -> str:
    return reverse("services:office_application_act", args=[application.pk, op])


def test_the_inbox_lists_the_clerks_applications_with_their_deadline(client, service_city):
    city = service_city
    application = submitted_application(city, food_item(city), city.enterprise)
    client.force_login(city.clerk)
    page = client.get(INBOX).content.decode()
    assert application.number in page and "预审" in page and "示范餐饮有限公司" in page
    assert "待预审/待受理（1）" in page
    assert 'class="clock-normal"' in page
    assert application.number in client.get(INBOX, {"box": "all"}).content.decode()
    assert application.number not in client.get(INBOX, {"box": "decision"}).content.decode()
    client.force_login(city.fire_approver)
    assert application.number not in client.get(INBOX, {"box": "all"}).content.decode()
    client.force_login(city.citizen)
    assert client.get(INBOX).status_code == 404


def test_the_detail_page_shows_materials_and_the_forms_of_the_current_step(client, service_city):
    city = service_city
    application = submitted_application(city, food_item(city), city.enterprise)
    client.force_login(city.clerk)
    page = client.get(detail_url(application)).content.decode()
    for text in (
        "申请书",
        "营业执照",
        "经营场所平面图",
        "预审通过",
        "一次性告知补正",
        "不予受理",
        "138****8000",
    ):
        assert text in page
    assert "13800138000" not in page  # the phone in the form is masked
    assert "作出决定" not in page  # not the clerk's step
    client.force_login(city.fire_approver)
    assert client.get(detail_url(application)).status_code == 404


def test_posting_the_forms_moves_the_application(client, service_city):
    city = service_city
    application = submitted_application(city, food_item(city), city.enterprise, missing=("site_plan",))
    client.force_login(city.clerk)
    response = client.post(act_url(application, "pre-review"), {"pre-review-opinion": "齐全"})
    assert response.status_code == 302 and response["Location"] == detail_url(application)
    refused = client.post(act_url(application, "accept"), {"accept-opinion": ""})
    assert refused.status_code == 400
    assert "经营场所平面图：未提交" in refused.content.decode()
    accepted = client.post(act_url(application, "accept"), {"accept-deficiency_note": "三日内补交"})
    assert accepted.status_code == 302
    application.refresh_from_db()
    assert application.status == ApplicationStatus.ACCEPTED
    assert application.materials.get(code="site_plan").source == MaterialSource.PROMISED
    page = client.get(detail_url(application)).content.decode()
    assert "受理回执" in page and "容缺后补" in page
    receipt = client.get(
        reverse("services:office_application_file", args=[application.pk, application.receipt_id])
    )
    assert receipt.status_code == 200 and receipt["Content-Type"] == "application/pdf"
    assert (
        receipt["Content-Disposition"].startswith("attachment;")
        and receipt["Content-Security-Policy"] == "sandbox"
    )
    preview = client.get(
        reverse("services:office_application_file", args=[application.pk, application.receipt_id]),
        {"inline": "1"},
    )
    # 材料预览: the browser's own PDF viewer, never a guessed type.
    assert (
        preview["Content-Disposition"].startswith("inline;")
        and preview["X-Content-Type-Options"] == "nosniff"
    )


def test_an_approver_posting_acceptance_is_refused_with_the_role(client, service_city):
    city = service_city
    application = submitted_application(city, food_item(city), city.enterprise)
    application_pre_review_pass(actor=city.clerk, application=application)
    client.force_login(city.market_approver)
    response = client.post(act_url(application, "accept"), {"accept-opinion": "受理"})
    assert response.status_code == 403
    assert "窗口人员" in response.content.decode()


def test_a_correction_form_names_the_material_left_without_a_problem(client, service_city):
    city = service_city
    application = submitted_application(city, food_item(city), city.enterprise)
    client.force_login(city.clerk)
    response = client.post(
        act_url(application, "correction"),
        {"correction-pick_site_plan": "on", "correction-problem_site_plan": "", "correction-pick_application_form": "on",
         "correction-problem_application_form": "缺签字"},
    )  # fmt: skip
    assert response.status_code == 400
    assert "经营场所平面图：请写明需要补正的内容" in response.content.decode()
    ok = client.post(
        act_url(application, "correction"),
        {"correction-pick_site_plan": "on", "correction-problem_site_plan": "未标面积",
         "correction-pick_application_form": "on", "correction-problem_application_form": "缺签字"},
    )  # fmt: skip
    assert ok.status_code == 302
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUPPLEMENT
    assert "未标面积" in client.get(detail_url(application)).content.decode()


def test_revealing_the_phone_needs_a_purpose_and_is_recorded(client, service_city):
    city = service_city
    application = submitted_application(city, food_item(city), city.enterprise)
    client.force_login(city.clerk)
    url = reverse("services:office_application_reveal", args=[application.pk])
    refused = client.post(url, {"reveal-field": "form.contact_phone", "reveal-purpose": ""})
    assert refused.status_code == 400 and "请填写查看事由" in refused.content.decode()
    shown = client.post(url, {"reveal-field": "form.contact_phone", "reveal-purpose": "电话核实材料"})
    assert shown.status_code == 200 and "13800138000" in shown.content.decode()
    record = AuditRecord.objects.get(action="core.personal_data.revealed")
    assert record.changes["field"] == "form.contact_phone" and record.changes["purpose"] == "电话核实材料"


def test_the_decision_document_downloads_for_officials_who_see_the_application(client, service_city):
    city = service_city
    application = submitted_application(city, food_item(city), city.enterprise)
    application = application_not_accept(actor=city.clerk, application=application, reason="不属于本机关职权")
    document = application.documents.get()
    url = reverse("services:office_document", args=[document.pk])
    client.force_login(city.market_approver)
    response = client.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF-")
    client.force_login(city.fire_approver)
    assert client.get(url).status_code == 404


def test_the_workflow_inbox_names_the_application_and_links_to_its_page(client, service_city):
    city = service_city
    application = submitted_application(city, food_item(city), city.enterprise)
    application_pre_review_pass(actor=city.clerk, application=application)
    application_accept(actor=city.clerk, application=application)
    client.force_login(city.market_approver)
    page = client.get(reverse("workflow:inbox"), {"box": "department"}).content.decode()
    assert f"办件 {application.number} 食品经营许可 · 示范餐饮有限公司" in page
    assert f'href="{detail_url(application)}"' in page
    assert "services.application #" not in page


def test_the_inbox_page_reads_in_a_fixed_number_of_queries(
    client, service_city, django_assert_max_num_queries
):
    city = service_city
    item = food_item(city)
    for _ in range(2):
        submitted_application(city, item, city.enterprise)
    client.force_login(city.clerk)
    client.get(INBOX, {"box": "all"})
    with django_assert_max_num_queries(16) as first:
        client.get(INBOX, {"box": "all"})
    for _ in range(5):
        submitted_application(city, item, city.enterprise)
    with django_assert_max_num_queries(len(first.captured_queries) + 1):  # +1: the cache's cull count
        page = client.get(INBOX, {"box": "all"}).content.decode()
    assert page.count("/workbench/services/applications/") >= 7
