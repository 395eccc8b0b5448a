"""提交: everything missing named at once, the 办件编号 and the process, double clicks and
retries giving one application, nothing half-written on failure, and the window clerk."""

from __future__ import annotations

import re

import pytest
from django.utils import timezone

from yiwang.core.audit.models import AuditRecord
from yiwang.core.errors import InvalidInput, NotFound
from yiwang.core.notify.models import Message
from yiwang.services.models import ApplicationStatus, ItemStatus, NumberCounter
from yiwang.services.services import applying_submit
from yiwang.services.services.applying import application_draft_create, application_draft_save
from yiwang.services.services.applying_materials import (
    application_material_paper,
    application_material_promise,
    application_material_upload,
)
from yiwang.services.services.applying_submit import application_submit
from yiwang.services.tests.factories import (
    FOOD_ANSWERS,
    food_item,
    immediate_item,
    issue_business_license,
    pdf_upload,
)
from yiwang.workflow.models_runtime import ProcessInstance, Task


@pytest.fixture(autouse=True)
def _memory_storage(settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    }


def ready_food_application(city, *, actor=None, item=None):
    """A food application complete enough to submit: answers, an upload, the licence (免提交)
    and the non-key 平面图 promised (容缺)."""
    actor = actor or city.enterprise
    if not city.enterprise.licenses.exists():
        issue_business_license(city, city.enterprise)
    application = application_draft_create(
        actor=actor, item=item or food_item(city), applicant=city.enterprise
    )
    application = application_draft_save(
        actor=actor, application=application, form=FOOD_ANSWERS, expected_version=1
    )
    application_material_upload(
        actor=actor, application=application, code="application_form", upload=pdf_upload()
    )
    application_material_promise(actor=actor, application=application, code="site_plan")
    return application


def test_every_missing_answer_and_material_is_named_one_by_one(service_city):
    city = service_city
    application = application_draft_create(actor=city.enterprise, item=food_item(city))
    with pytest.raises(InvalidInput) as refused:
        application_submit(actor=city.enterprise, application=application)
    assert refused.value.fields == {
        "form.contact_name": "联系人：必填",
        "form.contact_phone": "联系电话：必填",
        "form.address": "经营场所：必填",
        "form.business_scope": "经营项目：必填",
        "materials.application_form": "申请书：请提交该材料",
        "materials.business_license": "营业执照：请提交该材料",
        "materials.site_plan": "经营场所平面图：请提交该材料，或选择容缺后补",
    }
    assert refused.value.message == "还有7项内容需要补充或修改"
    application.refresh_from_db()
    assert application.status == "draft" and application.number is None and application.instance is None


def test_submitting_numbers_the_application_and_starts_its_process(
    service_city, django_capture_on_commit_callbacks
):
    city = service_city
    application = ready_food_application(city)

    with django_capture_on_commit_callbacks(execute=True):  # 热度 is counted after commit
        submitted = application_submit(actor=city.enterprise, application=application, client_token="tok-1")

    year = timezone.localdate().year
    assert re.fullmatch(rf"{year}\d{{8}}", submitted.number)
    assert submitted.status == ApplicationStatus.SUBMITTED and submitted.submitted_at is not None
    assert submitted.department == city.market and submitted.promised_working_days == 10.0
    assert submitted.client_token == "tok-1"
    instance = submitted.instance
    assert instance.initiator == city.enterprise and instance.definition_code == "services.commitment"
    assert instance.params["applicant"] == city.enterprise.pk
    assert instance.params["acceptance_department"] == city.hall.pk
    task = Task.objects.get(instance=instance)
    assert (task.state, task.candidate_department) == ("pre_review", city.hall)
    submitted.item.refresh_from_db()
    assert submitted.item.popularity == 1
    message = Message.objects.get(recipient=city.enterprise, category="services")
    assert message.title == f"已提交，办件编号 {submitted.number}"
    assert message.link == f"/me/applications/{submitted.pk}/"
    record = AuditRecord.objects.get(action="services.application.submitted")
    assert record.changes["number"] == submitted.number and record.changes["by"] == city.enterprise.pk


def test_a_double_submit_gives_one_application_and_one_process(
    service_city, django_capture_on_commit_callbacks
):
    city = service_city
    application = ready_food_application(city)
    with django_capture_on_commit_callbacks(execute=True):
        first = application_submit(actor=city.enterprise, application=application, client_token="tok-2")
        again = application_submit(actor=city.enterprise, application=application, client_token="tok-2")
    assert again.pk == first.pk and again.number == first.number
    assert ProcessInstance.objects.count() == 1
    first.item.refresh_from_db()
    assert first.item.popularity == 1


def test_a_replayed_client_token_returns_the_application_it_made(service_city):
    city = service_city
    first = application_submit(
        actor=city.enterprise, application=ready_food_application(city), client_token="tok-3"
    )
    other = ready_food_application(city, item=food_item(city, name="另一事项"))
    replay = application_submit(actor=city.enterprise, application=other, client_token="tok-3")
    assert replay.pk == first.pk
    other.refresh_from_db()
    assert other.status == "draft" and other.number is None and ProcessInstance.objects.count() == 1
    with pytest.raises(InvalidInput) as bad_token:
        application_submit(actor=city.enterprise, application=other, client_token="<script>")
    assert "client_token" in bad_token.value.fields


def test_a_failure_midway_leaves_a_draft_without_number_or_process(service_city):
    city = service_city
    application = ready_food_application(city, item=food_item(city, process_code="services.not_loaded"))
    with pytest.raises(NotFound):
        application_submit(actor=city.enterprise, application=application, client_token="tok-4")
    application.refresh_from_db()
    assert (application.status, application.number, application.instance, application.client_token) == (
        "draft",
        None,
        None,
        "",
    )
    assert not NumberCounter.objects.filter(kind="application").exists()
    assert not ProcessInstance.objects.exists() and not Message.objects.filter(category="services").exists()
    application.item.refresh_from_db()
    assert application.item.popularity == 0


def test_a_failure_after_the_process_started_undoes_the_process_too(service_city, monkeypatch):
    city = service_city
    application = application_draft_create(
        actor=city.clerk,
        item=immediate_item(city),
        applicant=city.citizen,
        channel="window",
        window=city.window,
    )
    application_draft_save(
        actor=city.clerk, application=application, form={"trade_name": "张记小吃"}, expected_version=1
    )
    application_material_paper(actor=city.clerk, application=application, code="id_card")

    def broken(clerk, instance):
        raise RuntimeError("预审服务不可用")

    monkeypatch.setattr(applying_submit, "_pass_pre_review", broken)
    with pytest.raises(RuntimeError):
        application_submit(actor=city.clerk, application=application)
    application.refresh_from_db()
    assert application.status == "draft" and application.number is None
    assert not ProcessInstance.objects.exists() and not Task.objects.exists()


def test_the_window_clerk_applies_into_the_same_record_and_passes_pre_review(service_city):
    city = service_city
    application = application_draft_create(
        actor=city.clerk,
        item=immediate_item(city),
        applicant=city.citizen,
        channel="window",
        window=city.window,
    )
    application_draft_save(
        actor=city.clerk, application=application, form={"trade_name": "张记小吃"}, expected_version=1
    )
    application_material_paper(actor=city.clerk, application=application, code="id_card")

    submitted = application_submit(actor=city.clerk, application=application)

    assert submitted.applicant == city.citizen and submitted.submitted_by == city.clerk
    assert submitted.instance.initiator == city.citizen
    assert submitted.promised_working_days == 0.0
    tasks = {t.state: t for t in Task.objects.filter(instance=submitted.instance)}
    assert tasks["pre_review"].status == "done" and tasks["pre_review"].completed_by == city.clerk
    assert tasks["pre_review"].action == "pass_pre_review"
    assert tasks["acceptance"].status == "open"
    record = AuditRecord.objects.get(action="services.application.submitted")
    assert record.actor_id == city.clerk.pk and record.changes["pre_reviewed"] is True
    assert Message.objects.filter(recipient=city.citizen, title__startswith="已提交，办件编号").exists()


def test_paper_originals_do_not_count_online_and_promises_need_the_items_consent(service_city):
    city = service_city
    application = ready_food_application(city)
    application.materials.filter(code="application_form").update(source="window")
    version = application.item_version
    version.allows_deficiency = False
    version.save(update_fields=["allows_deficiency"])
    with pytest.raises(InvalidInput) as refused:
        application_submit(actor=city.enterprise, application=application)
    assert refused.value.fields == {
        "materials.application_form": "申请书：网上申请请上传该材料",
        "materials.site_plan": "经营场所平面图：不能容缺后补，请提交该材料",
    }


def test_an_agent_submits_for_the_enterprise(service_city):
    city = service_city
    submitted = application_submit(
        actor=city.agent, application=ready_food_application(city, actor=city.agent)
    )
    assert submitted.applicant == city.enterprise and submitted.submitted_by == city.agent
    assert submitted.instance.initiator == city.enterprise
    assert AuditRecord.objects.get(action="services.application.submitted").actor_id == city.agent.pk
    assert Message.objects.filter(recipient=city.enterprise, category="services").count() == 1


def test_a_draft_of_an_item_taken_offline_cannot_be_submitted(service_city):
    city = service_city
    application = ready_food_application(city)
    application.item.status = ItemStatus.OFFLINE
    application.item.save(update_fields=["status"])
    with pytest.raises(InvalidInput) as refused:
        application_submit(actor=city.enterprise, application=application)
    assert refused.value.fields == {"item_id": "本事项已暂停办理，不能提交申请"}


def test_natural_day_limits_are_not_counted_as_working_days(service_city):
    city = service_city
    application = ready_food_application(city)
    application.item_version.promised_limit_unit = "natural_days"
    application.item_version.save(update_fields=["promised_limit_unit"])
    assert application_submit(actor=city.enterprise, application=application).promised_working_days is None


def test_a_token_raced_in_by_a_concurrent_request_returns_that_application(service_city, monkeypatch):
    """The unique constraint (applicant, client_token) decides a race the look-up missed."""
    city = service_city
    first = application_submit(
        actor=city.enterprise, application=ready_food_application(city), client_token="tok-5"
    )
    other = ready_food_application(city, item=food_item(city, name="并发事项"))
    real, calls = applying_submit._token_taken, []

    def missed_once(application, token):
        calls.append(token)
        return None if len(calls) == 1 else real(application, token)

    monkeypatch.setattr(applying_submit, "_token_taken", missed_once)
    assert application_submit(actor=city.enterprise, application=other, client_token="tok-5").pk == first.pk
    other.refresh_from_db()
    assert other.status == "draft" and other.number is None and ProcessInstance.objects.count() == 1
