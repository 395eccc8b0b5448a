"""Materials: uploads kept in 我的材料, reuse without storing twice, wrong files refused with the
reason, 容缺后补 rules, and the window clerk's paper originals."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from yiwang.core.errors import Conflict, InvalidInput, NotFound
from yiwang.core.files.models import Attachment, StoredFile
from yiwang.services.models import MaterialSource, PersonalMaterial
from yiwang.services.services.applying import application_draft_create
from yiwang.services.services.applying_materials import (
    application_material_paper,
    application_material_promise,
    application_material_remove_file,
    application_material_reuse,
    application_material_upload,
)
from yiwang.services.services.my_materials import personal_material_deactivate
from yiwang.services.tests.factories import food_item, immediate_item, pdf_upload


@pytest.fixture(autouse=True)
def _memory_storage(settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    }


def _draft(city, **overrides):
    return application_draft_create(actor=city.enterprise, item=food_item(city, **overrides))


def test_an_upload_is_kept_in_my_materials_and_copied_onto_the_application(service_city):
    city = service_city
    application = _draft(city)
    material = application_material_upload(
        actor=city.enterprise, application=application, code="application_form", upload=pdf_upload()
    )
    assert material.source == MaterialSource.UPLOADED
    copy = material.files.get()
    assert (copy.owner_type, copy.owner_id) == ("services.application", str(application.pk))
    kept = PersonalMaterial.objects.get(owner=city.enterprise)
    assert (kept.code, kept.name, kept.use_count) == ("application_form", "申请书", 1)
    assert kept.attachment.owner_type == "services.my_material" and kept.attachment.file_id == copy.file_id
    assert StoredFile.objects.count() == 1


def test_reusing_an_earlier_upload_stores_nothing_twice(service_city):
    city = service_city
    first = _draft(city)
    application_material_upload(
        actor=city.enterprise, application=first, code="site_plan", upload=pdf_upload()
    )
    kept = PersonalMaterial.objects.get(owner=city.enterprise, code="site_plan")
    second = application_draft_create(actor=city.enterprise, item=food_item(city, name="食品经营许可变更"))

    material = application_material_reuse(
        actor=city.enterprise, application=second, code="site_plan", personal_material=kept
    )
    assert material.source == MaterialSource.REUSED
    assert material.files.get().file_id == kept.attachment.file_id
    assert StoredFile.objects.count() == 1 and Attachment.objects.count() == 3  # kept + two copies
    kept.refresh_from_db()
    assert kept.use_count == 2 and kept.last_used_at is not None
    # A second click adds nothing.
    application_material_reuse(
        actor=city.enterprise, application=second, code="site_plan", personal_material=kept
    )
    assert material.files.count() == 1


def test_another_persons_material_cannot_be_reused(service_city):
    city = service_city
    theirs = application_draft_create(actor=city.citizen, item=immediate_item(city))
    application_material_upload(actor=city.citizen, application=theirs, code="id_card", upload=pdf_upload())
    stranger_material = PersonalMaterial.objects.get(owner=city.citizen)
    mine = _draft(city)
    with pytest.raises(NotFound):
        application_material_reuse(
            actor=city.enterprise,
            application=mine,
            code="application_form",
            personal_material=stranger_material,
        )
    personal_material_deactivate(actor=city.citizen, personal_material=stranger_material)
    again = application_draft_create(actor=city.citizen, item=immediate_item(city, name="再次申请"))
    with pytest.raises(NotFound):  # a retired material is no longer offered
        application_material_reuse(
            actor=city.citizen, application=again, code="id_card", personal_material=stranger_material
        )


def test_a_wrong_file_is_refused_with_the_reason_beside_the_material(service_city):
    city = service_city
    application = _draft(city)
    exe = SimpleUploadedFile("申请书.pdf", b"MZ\x90\x00" + b"\x00" * 200, content_type="application/pdf")
    with pytest.raises(InvalidInput) as refused:
        application_material_upload(
            actor=city.enterprise, application=application, code="application_form", upload=exe
        )
    reason = refused.value.fields["materials.application_form"]
    assert reason.startswith("不支持的文件类型：仅允许 pdf")
    assert refused.value.message == f"申请书：{reason}"
    assert not PersonalMaterial.objects.exists() and not Attachment.objects.exists()


def test_a_file_over_the_size_limit_is_refused(service_city, settings):
    settings.UPLOAD_MAX_BYTES = 100
    city = service_city
    application = _draft(city)
    with pytest.raises(InvalidInput) as refused:
        application_material_upload(
            actor=city.enterprise,
            application=application,
            code="site_plan",
            upload=pdf_upload(marker="x" * 200),
        )
    assert "上限" in refused.value.fields["materials.site_plan"]


def test_removing_the_last_file_makes_the_material_missing_again(service_city):
    city = service_city
    application = _draft(city)
    material = application_material_upload(
        actor=city.enterprise, application=application, code="site_plan", upload=pdf_upload()
    )
    attachment = material.files.get()
    with pytest.raises(NotFound):
        application_material_remove_file(
            actor=city.enterprise,
            application=application,
            code="site_plan",
            attachment_id=attachment.pk + 999,
        )
    material = application_material_remove_file(
        actor=city.enterprise, application=application, code="site_plan", attachment_id=attachment.pk
    )
    assert material.source == MaterialSource.MISSING and not material.files.exists()
    # 我的材料 keeps its own copy.
    assert PersonalMaterial.objects.get(owner=city.enterprise).attachment_id != attachment.pk


def test_only_a_non_key_material_may_be_promised_and_only_if_the_item_allows_it(service_city):
    city = service_city
    application = _draft(city)
    assert (
        application_material_promise(actor=city.enterprise, application=application, code="site_plan").source
        == MaterialSource.PROMISED
    )
    with pytest.raises(InvalidInput) as key:
        application_material_promise(actor=city.enterprise, application=application, code="application_form")
    assert key.value.fields == {"materials.application_form": "“申请书”是关键材料，不能容缺后补"}
    strict = _draft(city, name="不容缺", allows_deficiency=False)
    with pytest.raises(InvalidInput) as not_allowed:
        application_material_promise(actor=city.enterprise, application=strict, code="site_plan")
    assert "不实行容缺受理" in not_allowed.value.fields["materials.site_plan"]
    with pytest.raises(NotFound):
        application_material_promise(actor=city.enterprise, application=application, code="no_such_material")


def test_paper_originals_are_taken_only_by_the_clerk_at_a_window(service_city):
    city = service_city
    online = _draft(city)
    with pytest.raises(NotFound):
        application_material_paper(actor=city.enterprise, application=online, code="site_plan")
    at_window = application_draft_create(
        actor=city.clerk,
        item=immediate_item(city),
        applicant=city.citizen,
        channel="window",
        window=city.window,
    )
    material = application_material_paper(actor=city.clerk, application=at_window, code="id_card")
    assert material.source == MaterialSource.WINDOW
    # The clerk's scan goes on the application only: it is not the citizen's own upload.
    scanned = application_material_upload(
        actor=city.clerk, application=at_window, code="id_card", upload=pdf_upload()
    )
    assert scanned.files.get().owner_type == "services.application"
    assert not PersonalMaterial.objects.exists()


def test_materials_of_a_submitted_application_cannot_change(service_city):
    city = service_city
    application = _draft(city)
    application.status = "submitted"
    application.save(update_fields=["status"])
    with pytest.raises(Conflict):
        application_material_upload(
            actor=city.enterprise, application=application, code="site_plan", upload=pdf_upload()
        )
    with pytest.raises(NotFound):
        application_material_upload(
            actor=city.other_citizen, application=application, code="site_plan", upload=pdf_upload()
        )


def test_files_are_seen_by_the_applicant_and_the_officials_handling_not_by_others(service_city):
    from yiwang.core.files.permissions import can_file_view
    from yiwang.services.services.applying_submit import application_submit
    from yiwang.services.tests.test_applying_submit import ready_food_application

    city = service_city
    application = application_submit(actor=city.enterprise, application=ready_food_application(city))
    copy = application.materials.get(code="application_form").files.get()
    kept = PersonalMaterial.objects.get(owner=city.enterprise).attachment

    def sees(user, attachment):
        return can_file_view(user, owner_type=attachment.owner_type, owner_id=attachment.owner_id)

    assert sees(city.enterprise, copy) and sees(city.agent, copy) and sees(city.enterprise, kept)
    assert sees(city.clerk, copy) and sees(city.market_approver, copy)  # the hall's 预审, the department
    assert not sees(city.other_citizen, copy) and not sees(city.fire_approver, copy)
    assert not sees(city.market_approver, kept) and not sees(city.other_citizen, kept)  # 我的材料 are theirs


def test_a_provider_that_cannot_answer_is_skipped(service_city):
    city = service_city
    item = food_item(city)
    item.published_version.materials.filter(code="business_license").update(license_type="NO-SUCH-TYPE")
    application = application_draft_create(actor=city.enterprise, item=item)
    assert application.materials.get(code="business_license").source == MaterialSource.MISSING
