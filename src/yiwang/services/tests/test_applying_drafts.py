"""Drafts: who may apply for what, 免提交 from the licence library, and saving the form."""

from __future__ import annotations

import pytest

from yiwang.core import personal_data
from yiwang.core.audit.models import AuditRecord
from yiwang.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from yiwang.licenses.models import LicenseUse
from yiwang.services.models import Channel, ItemStatus, MaterialSource, ServiceWindow
from yiwang.services.services.applying import application_draft_create, application_draft_save
from yiwang.services.services.applying_form import form_answers, sensitive_answers
from yiwang.services.tests.factories import (
    FOOD_ANSWERS,
    food_item,
    immediate_item,
    issue_business_license,
)


@pytest.fixture(autouse=True)
def _memory_storage(settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    }


def test_draft_copies_the_published_materials_and_fills_a_licence_in_as_free(service_city):
    city = service_city
    licence = issue_business_license(city, city.enterprise)
    item = food_item(city)

    application = application_draft_create(actor=city.enterprise, item=item)

    assert application.status == "draft" and application.number is None
    assert application.item_version == item.published_version and application.channel == Channel.ONLINE
    materials = {m.code: m for m in application.materials.all()}
    assert list(materials) == ["application_form", "business_license", "site_plan", "health_certificates"]
    free = materials["business_license"]
    assert free.source == MaterialSource.LICENSE and free.license == licence
    assert free.provided_by == f"已由电子证照“营业执照”（{licence.identifier}）免提交"
    assert all(m.source == MaterialSource.MISSING for c, m in materials.items() if c != "business_license")
    # The holder sees who used their licence and for what (用证记录).
    use = LicenseUse.objects.get(license=licence)
    assert use.used_by == city.enterprise and use.subject_type == "services.application"
    assert (
        use.subject_id == str(application.pk) and "食品经营许可" in use.purpose and "营业执照" in use.purpose
    )
    assert AuditRecord.objects.filter(
        action="services.application.created", target_id=str(application.pk)
    ).exists()


def test_without_a_licence_the_material_stays_to_be_uploaded_and_the_look_up_is_audited(service_city):
    city = service_city
    application = application_draft_create(actor=city.enterprise, item=food_item(city))
    assert application.materials.get(code="business_license").source == MaterialSource.MISSING
    assert AuditRecord.objects.filter(action="licenses.license.looked_up").exists()


def test_an_agent_applies_for_the_enterprise_and_a_stranger_may_not(service_city):
    city = service_city
    item = food_item(city)
    application = application_draft_create(actor=city.agent, item=item, applicant=city.enterprise)
    assert application.applicant == city.enterprise and application.submitted_by == city.agent
    with pytest.raises(PermissionDenied):
        application_draft_create(actor=city.other_citizen, item=item, applicant=city.enterprise)


def test_the_item_must_be_published_and_serve_the_applicants_kind(service_city):
    city = service_city
    with pytest.raises(InvalidInput) as refused:
        application_draft_create(actor=city.citizen, item=food_item(city))
    assert "服务对象为法人" in refused.value.fields["applicant_id"]
    with pytest.raises(NotFound):
        application_draft_create(actor=city.enterprise, item=food_item(city, name="未发布", published=False))
    offline = food_item(city, name="已下线")
    offline.status = ItemStatus.OFFLINE
    offline.save()
    with pytest.raises(NotFound):
        application_draft_create(actor=city.enterprise, item=offline)
    with pytest.raises(InvalidInput) as shallow:
        application_draft_create(actor=city.enterprise, item=food_item(city, name="只能窗口", online_depth=3))
    assert "窗口" in shallow.value.fields["item_id"]


def test_officials_apply_only_at_a_window_of_their_hall(service_city):
    city = service_city
    item = immediate_item(city)
    with pytest.raises(PermissionDenied):
        application_draft_create(actor=city.clerk, item=item)
    application = application_draft_create(
        actor=city.clerk, item=item, applicant=city.citizen, channel="window", window=city.window
    )
    assert (application.channel, application.window, application.submitted_by) == (
        "window",
        city.window,
        city.clerk,
    )
    with pytest.raises(PermissionDenied):  # an approver of another department is no 窗口人员 here
        application_draft_create(
            actor=city.market_approver,
            item=item,
            applicant=city.citizen,
            channel="window",
            window=city.window,
        )
    closed = ServiceWindow.objects.create(department=city.hall, code="A09", name="停用窗口", is_active=False)
    with pytest.raises(InvalidInput) as refused:
        application_draft_create(
            actor=city.clerk, item=item, applicant=city.citizen, channel="window", window=closed
        )
    assert "window_id" in refused.value.fields
    with pytest.raises(InvalidInput):
        application_draft_create(actor=city.clerk, item=item, applicant=city.citizen, channel="fax")


def test_saving_names_each_malformed_answer_and_leaves_missing_ones_for_later(service_city):
    city = service_city
    application = application_draft_create(actor=city.enterprise, item=food_item(city))
    with pytest.raises(InvalidInput) as refused:
        application_draft_save(
            actor=city.enterprise,
            application=application,
            form={"contact_phone": "12345", "opening_date": "2026-02-30", "contact_name": "王五"},
            expected_version=application.version,
        )
    fields = refused.value.fields
    assert set(fields) == {"form.contact_phone", "form.opening_date"}
    assert fields["form.contact_phone"].startswith("联系电话：") and fields["form.opening_date"].startswith(
        "拟开业日期："
    )
    application.refresh_from_db()
    assert application.form_data == {} and application.version == 1  # nothing half-saved

    saved = application_draft_save(
        actor=city.enterprise, application=application, form={"contact_name": "王五"}, expected_version=1
    )
    assert saved.form_data == {"contact_name": "王五"} and saved.version == 2


def test_phone_and_id_answers_are_stored_encrypted_and_shown_masked(service_city):
    city = service_city
    application = application_draft_create(actor=city.enterprise, item=food_item(city))
    saved = application_draft_save(
        actor=city.enterprise, application=application, form=FOOD_ANSWERS, expected_version=1
    )
    saved.refresh_from_db()
    assert "contact_phone" not in saved.form_data
    assert "13800138000" not in saved.form_sensitive_encrypted
    assert personal_data.key_id_of(saved.form_sensitive_encrypted) == "t2"
    assert sensitive_answers(saved) == {"contact_phone": "13800138000"}
    shown = {a.code: a.value for a in form_answers(saved)}
    assert shown["contact_phone"] == "138****8000" and shown["contact_name"] == "王五"
    # An answer not sent again is kept (the page leaves a personal-data input blank).
    again = application_draft_save(
        actor=city.enterprise,
        application=saved,
        form={"contact_name": "赵六"},
        expected_version=saved.version,
    )
    assert sensitive_answers(again) == {"contact_phone": "13800138000"}
    assert "13800138000" not in str(
        AuditRecord.objects.filter(action="services.application.saved").values_list("changes")
    )


def test_delivery_by_mail_needs_an_address_and_a_method_the_item_offers(service_city):
    city = service_city
    item = food_item(city, delivery_methods=("electronic", "mail"))
    application = application_draft_create(actor=city.enterprise, item=item)
    with pytest.raises(InvalidInput) as no_address:
        application_draft_save(
            actor=city.enterprise,
            application=application,
            form={},
            delivery_method="mail",
            expected_version=1,
        )
    assert no_address.value.fields == {"delivery_address": "邮寄送达请填写邮寄地址"}
    with pytest.raises(InvalidInput) as not_offered:
        application_draft_save(
            actor=city.enterprise,
            application=application,
            form={},
            delivery_method="window",
            expected_version=1,
        )
    assert "电子送达、邮寄送达" in not_offered.value.fields["delivery_method"]
    saved = application_draft_save(
        actor=city.enterprise,
        application=application,
        form={},
        delivery_method="mail",
        delivery_address="示范市人民路1号",
        expected_version=1,
    )
    assert (saved.delivery_method, saved.delivery_address) == ("mail", "示范市人民路1号")


def test_a_stale_version_and_another_person_are_refused(service_city):
    city = service_city
    application = application_draft_create(actor=city.enterprise, item=food_item(city))
    application_draft_save(actor=city.enterprise, application=application, form={}, expected_version=1)
    with pytest.raises(Conflict):
        application_draft_save(actor=city.enterprise, application=application, form={}, expected_version=1)
    with pytest.raises(NotFound):
        application_draft_save(actor=city.other_citizen, application=application, form={}, expected_version=2)
    with pytest.raises(NotFound):  # an official of the department does not edit drafts either
        application_draft_save(
            actor=city.market_approver, application=application, form={}, expected_version=2
        )
    with pytest.raises(InvalidInput):
        application_draft_save(actor=city.enterprise, application=application, form=["x"], expected_version=2)
