"""申请材料 of an application: upload (kept in 我的材料 for next time), reuse from 我的材料,
remove a file, 容缺后补 (a promise), and 收取纸质件 at the window.

Files are content-addressed (core.files): an upload is stored once, attached to the
principal's 我的材料, and copied onto the application (`file_copy`: a new attachment row on
the same blob), so reusing it later stores nothing twice. A window clerk's scan is attached to
the application only — it is not the applicant's upload.

Changes are allowed while the application is a draft, and while 待补正 for the materials the
一次性告知 named (`problem`, 行政许可法 §32); files handed in before the notice stay, as the
record of what was first submitted.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from yiwang.core.audit import services as audit
from yiwang.core.errors import Conflict, InvalidInput, NotFound, invalid
from yiwang.core.files.services import file_attach, file_copy, file_detach
from yiwang.core.ids import as_id
from yiwang.services.models import (
    ApplicationMaterial,
    ApplicationStatus,
    Channel,
    MaterialSource,
    PersonalMaterial,
)
from yiwang.services.owner_types_applying import APPLICATION_OWNER, MY_MATERIAL_OWNER
from yiwang.services.permissions import acts_for
from yiwang.services.services.applying import lock_application
from yiwang.services.services.applying_access import can_application_see, works_at_window

FILES_PER_MATERIAL = 20
FILE_SOURCES = (MaterialSource.UPLOADED, MaterialSource.REUSED)


def latest_notice(application):
    """The 一次性告知 being answered (unresolved), or None."""
    return application.corrections.filter(resolved_at=None).order_by("-issued_at", "-id").first()


def _material_for_change(*, actor, application, code, fixing_allowed: bool = True):
    """(locked application, material) if the actor may change this material now."""
    if not can_application_see(actor, application):
        raise NotFound("办件不存在或无权查看")
    application = lock_application(application)
    material = ApplicationMaterial.objects.filter(application=application, code=str(code)[:64]).first()
    if material is None:
        raise NotFound("申请材料不存在")
    if application.status == ApplicationStatus.DRAFT:
        return application, material
    if application.status == ApplicationStatus.SUPPLEMENT and fixing_allowed:
        if material.problem:
            return application, material
        raise invalid(f"materials.{material.code}", f"“{material.name}”不在补正告知之列，无需修改")
    raise Conflict("办件已提交，材料不能再修改")


def _files_room(material) -> None:
    if material.files.count() >= FILES_PER_MATERIAL:
        raise invalid(f"materials.{material.code}", f"每项材料至多{FILES_PER_MATERIAL}个文件")


def _record(actor, application, material, verb: str, **changes) -> None:
    audit.record(
        actor=actor,
        action=f"services.application_material.{verb}",
        target=application,
        changes={"material": material.code, "source": material.source, **changes},
    )


def _use_files(material, attachment, source: str) -> None:
    material.files.add(attachment)
    material.source = source
    material.license = None
    material.provided_by = ""
    material.save(update_fields=["source", "license", "provided_by"])


@transaction.atomic
def application_material_upload(*, actor, application, code, upload) -> ApplicationMaterial:
    application, material = _material_for_change(actor=actor, application=application, code=code)
    _files_room(material)
    principal = application.applicant
    try:
        if acts_for(actor, principal):
            kept = file_attach(
                actor=actor, owner_type=MY_MATERIAL_OWNER, owner_id=principal.pk, upload=upload
            )
            PersonalMaterial.objects.create(
                owner=principal,
                code=material.code,
                name=material.name,
                attachment=kept,
                uploaded_by=actor,
                use_count=1,
                last_used_at=timezone.now(),
            )
            attachment = file_copy(
                actor=actor, attachment=kept, owner_type=APPLICATION_OWNER, owner_id=application.pk
            )
        else:  # the window clerk's scan
            attachment = file_attach(
                actor=actor, owner_type=APPLICATION_OWNER, owner_id=application.pk, upload=upload
            )
    except InvalidInput as refused:
        reason = refused.fields.get("file") or refused.message
        raise InvalidInput(
            f"{material.name}：{reason}", fields={f"materials.{material.code}": reason}
        ) from None
    _use_files(material, attachment, MaterialSource.UPLOADED)
    _record(actor, application, material, "uploaded", file=attachment.pk)
    return material


@transaction.atomic
def application_material_reuse(*, actor, application, code, personal_material) -> ApplicationMaterial:
    application, material = _material_for_change(actor=actor, application=application, code=code)
    current = (
        PersonalMaterial.objects.select_related("attachment")
        .filter(pk=getattr(personal_material, "pk", None), owner_id=application.applicant_id, is_active=True)
        .first()
    )
    if current is None or not acts_for(actor, application.applicant):
        raise NotFound("我的材料不存在")
    personal_material = current
    kept = personal_material.attachment
    if material.files.filter(file_id=kept.file_id).exists():
        return material  # the same content is already there: a second click adds nothing
    _files_room(material)
    attachment = file_copy(
        actor=actor, attachment=kept, owner_type=APPLICATION_OWNER, owner_id=application.pk
    )
    PersonalMaterial.objects.filter(pk=personal_material.pk).update(
        use_count=F("use_count") + 1, last_used_at=timezone.now()
    )
    _use_files(material, attachment, MaterialSource.REUSED)
    _record(
        actor, application, material, "reused", file=attachment.pk, personal_material=personal_material.pk
    )
    return material


@transaction.atomic
def application_material_remove_file(*, actor, application, code, attachment_id) -> ApplicationMaterial:
    application, material = _material_for_change(actor=actor, application=application, code=code)
    attachment = material.files.filter(pk=as_id(attachment_id) or 0).first()
    if attachment is None:
        raise NotFound("文件不存在")
    if application.status == ApplicationStatus.SUPPLEMENT:
        notice = latest_notice(application)
        if notice is None or attachment.created_at <= notice.issued_at:
            raise invalid(f"materials.{material.code}", "补正时只能删除新上传的文件，原提交的文件将保留备查")
    material.files.remove(attachment)
    file_detach(actor=actor, attachment=attachment)
    if material.source in FILE_SOURCES and not material.files.exists():
        material.source = MaterialSource.MISSING
        material.save(update_fields=["source"])
    _record(actor, application, material, "file_removed", file=attachment_id)
    return material


@transaction.atomic
def application_material_promise(*, actor, application, code) -> ApplicationMaterial:
    """容缺后补: a non-key material handed in after 受理, if the item allows it."""
    application, material = _material_for_change(
        actor=actor, application=application, code=code, fixing_allowed=False
    )
    if not application.item_version.allows_deficiency:
        raise invalid(f"materials.{material.code}", "本事项不实行容缺受理，请提交该材料")
    if material.is_key:
        raise invalid(f"materials.{material.code}", f"“{material.name}”是关键材料，不能容缺后补")
    material.source = MaterialSource.PROMISED
    material.license = None
    material.provided_by = ""
    material.save(update_fields=["source", "license", "provided_by"])
    _record(actor, application, material, "promised")
    return material


@transaction.atomic
def application_material_paper(*, actor, application, code) -> ApplicationMaterial:
    """收取纸质件: the window clerk took the paper original at the counter."""
    if application.channel != Channel.WINDOW or not works_at_window(actor, application):
        raise NotFound("办件不存在或无权查看")
    application, material = _material_for_change(
        actor=actor, application=application, code=code, fixing_allowed=False
    )
    material.source = MaterialSource.WINDOW
    material.license = None
    material.provided_by = ""
    material.save(update_fields=["source", "license", "provided_by"])
    _record(actor, application, material, "paper_received")
    return material
