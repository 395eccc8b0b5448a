"""撤回 and 补正提交 through the workflow engine, taken as the applicant (the initiator)."""

from __future__ import annotations

import pytest

from yiwang.core.audit.models import AuditRecord
from yiwang.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from yiwang.services.models import CorrectionNotice, MaterialSource
from yiwang.services.services.applying import application_draft_create, application_draft_save
from yiwang.services.services.applying_materials import (
    application_material_paper,
    application_material_remove_file,
    application_material_upload,
)
from yiwang.services.services.applying_submit import (
    application_resubmit,
    application_submit,
    application_withdraw,
)
from yiwang.services.tests.factories import completed_application, immediate_item, pdf_upload
from yiwang.services.tests.test_applying_submit import ready_food_application
from yiwang.workflow.models_runtime import InstanceEvent, InstanceStatus, Task
from yiwang.workflow.services.act import task_act


@pytest.fixture(autouse=True)
def _memory_storage(settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    }


def _submitted(city, actor=None):
    application = ready_food_application(city, actor=actor)
    return application_submit(actor=actor or city.enterprise, application=application)


def ask_correction(city, application, problems: dict[str, str], note: str = "请一次补齐"):
    """一次性告知补正 as the window does it: the notice, each material's problem, and the
    process's suspend (the effect sets the status)."""
    materials = {m.code: m for m in application.materials.all()}
    CorrectionNotice.objects.create(
        application=application,
        issued_by=city.clerk,
        note=note,
        items=[{"code": c, "name": materials[c].name, "problem": p} for c, p in problems.items()],
    )
    for code, problem in problems.items():
        application.materials.filter(code=code).update(problem=problem)
    task = Task.objects.get(instance=application.instance, status="open")
    task_act(
        actor=city.clerk, task=task, action_code="ask_supplement", expected_version=task.version, reason=note
    )
    application.refresh_from_db()
    return application


def test_the_applicant_withdraws_through_the_engine(service_city):
    city = service_city
    application = _submitted(city)
    withdrawn = application_withdraw(
        actor=city.enterprise, application=application, reason="经营场所变更，重新申请"
    )
    assert withdrawn.instance.status == InstanceStatus.WITHDRAWN
    assert withdrawn.status == "withdrawn" and withdrawn.withdrawn_reason == "经营场所变更，重新申请"
    assert not Task.objects.filter(instance=withdrawn.instance, status__in=("open", "claimed")).exists()
    with pytest.raises(Conflict):
        application_withdraw(actor=city.enterprise, application=withdrawn, reason="再撤一次")


def test_an_agent_withdraws_for_the_enterprise_and_is_recorded_as_the_one_who_did(service_city):
    city = service_city
    application = _submitted(city, actor=city.agent)
    application_withdraw(actor=city.agent, application=application, reason="不再经营")
    record = AuditRecord.objects.get(action="services.application.withdraw_requested")
    assert record.actor_id == city.agent.pk and record.changes["applicant"] == city.enterprise.pk


def test_withdrawal_needs_a_reason_the_applicant_and_an_undecided_application(service_city):
    city = service_city
    application = _submitted(city)
    with pytest.raises(InvalidInput) as refused:
        application_withdraw(actor=city.enterprise, application=application, reason="  ")
    assert refused.value.fields == {"reason": "请填写撤回理由"}
    with pytest.raises(NotFound):
        application_withdraw(actor=city.other_citizen, application=application, reason="不是我的")
    with pytest.raises(NotFound):
        application_withdraw(actor=city.market_approver, application=application, reason="官员代撤")
    done = completed_application(city, application.item, city.enterprise)
    with pytest.raises(Conflict):
        application_withdraw(actor=city.enterprise, application=done, reason="已经办结")


def test_the_window_clerk_cannot_withdraw_for_the_applicant(service_city):
    city = service_city
    draft = application_draft_create(
        actor=city.clerk,
        item=immediate_item(city),
        applicant=city.citizen,
        channel="window",
        window=city.window,
    )
    application_draft_save(
        actor=city.clerk, application=draft, form={"trade_name": "张记"}, expected_version=1
    )
    application_material_paper(actor=city.clerk, application=draft, code="id_card")
    application = application_submit(actor=city.clerk, application=draft)
    with pytest.raises(PermissionDenied):
        application_withdraw(actor=city.clerk, application=application, reason="代撤")
    # The citizen withdraws the window application themself: it is the same record.
    assert (
        application_withdraw(actor=city.citizen, application=application, reason="不办了").status
        == "withdrawn"
    )


def test_resubmission_names_each_material_not_yet_corrected(service_city):
    city = service_city
    application = ask_correction(
        city, _submitted(city), {"application_form": "申请书未签字", "site_plan": "平面图比例不清"}
    )
    assert application.status == "supplement" and application.instance.status == InstanceStatus.SUSPENDED
    with pytest.raises(InvalidInput) as refused:
        application_resubmit(actor=city.enterprise, application=application)
    assert refused.value.fields == {
        "materials.application_form": "申请书：请按补正要求重新提交（申请书未签字）",
        "materials.site_plan": "经营场所平面图：请按补正要求重新提交（平面图比例不清）",
    }
    application_material_upload(
        actor=city.enterprise,
        application=application,
        code="application_form",
        upload=pdf_upload(marker="signed"),
    )
    with pytest.raises(InvalidInput) as one_left:
        application_resubmit(actor=city.enterprise, application=application)
    assert list(one_left.value.fields) == ["materials.site_plan"]


def test_resubmitting_the_corrections_resumes_the_process(service_city):
    city = service_city
    application = ask_correction(city, _submitted(city), {"site_plan": "平面图比例不清"})
    material = application_material_upload(
        actor=city.enterprise, application=application, code="site_plan", upload=pdf_upload(marker="1:100")
    )
    new_file = material.files.get()

    resubmitted = application_resubmit(actor=city.enterprise, application=application, note="已按要求重绘")

    assert resubmitted.status == "submitted" and resubmitted.instance.status == InstanceStatus.RUNNING
    assert not resubmitted.materials.exclude(problem="").exists()
    assert resubmitted.materials.get(code="site_plan").source == MaterialSource.UPLOADED
    assert CorrectionNotice.objects.get(application=application).resolved_at is not None
    event = InstanceEvent.objects.get(instance=resubmitted.instance, action="resubmit")
    assert event.actor == city.enterprise and event.attachments == [new_file.pk]
    assert Task.objects.get(instance=resubmitted.instance, status="open").state == "pre_review"
    with pytest.raises(Conflict):
        application_resubmit(actor=city.enterprise, application=resubmitted)


def test_while_correcting_only_named_materials_change_and_first_files_stay(service_city):
    city = service_city
    application = _submitted(city)
    first_file = application.materials.get(code="application_form").files.get()
    application = ask_correction(city, application, {"application_form": "申请书未签字"})
    with pytest.raises(InvalidInput) as not_named:
        application_material_upload(
            actor=city.enterprise, application=application, code="site_plan", upload=pdf_upload()
        )
    assert "不在补正告知之列" in not_named.value.fields["materials.site_plan"]
    with pytest.raises(InvalidInput) as kept:
        application_material_remove_file(
            actor=city.enterprise,
            application=application,
            code="application_form",
            attachment_id=first_file.pk,
        )
    assert "原提交的文件将保留备查" in kept.value.fields["materials.application_form"]
    added = (
        application_material_upload(
            actor=city.enterprise,
            application=application,
            code="application_form",
            upload=pdf_upload(marker="v2"),
        )
        .files.exclude(pk=first_file.pk)
        .get()
    )
    application_material_remove_file(
        actor=city.enterprise, application=application, code="application_form", attachment_id=added.pk
    )
    assert list(application.materials.get(code="application_form").files.all()) == [first_file]
