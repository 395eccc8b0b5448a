"""一件事的申请 (issue 5 §5): one draft, one merged form, one upload per material, one submission.

A bundle application is a `BundleApplication` with one child `Application` per item, each a
normal draft made by the applying services (applying.py): the child keeps its item version,
its materials are filled by the providers (免提交) and its own department handles it.

- Saving: the merged answers are checked against the merged form (bundle_forms), stored on the
  bundle application (身份证号/电话 encrypted, as the children's), and each child gets the
  answers to its own codes — a shared field answered once reaches every item asking it.
- Materials: one upload goes into 我的材料 through the first item needing it and is reused for
  the others (stored once, core.files is content-addressed); a window clerk's scan is attached
  to each item needing it. A material already 免提交 for an item is left as it is.
- Submitting is all or nothing (bundle_submitting.py).
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from yiwang.core.audit import services as audit
from yiwang.core.errors import Conflict, InvalidInput, NotFound, invalid
from yiwang.services.bundle_forms import answers_for, common_delivery_methods, merged_form_of
from yiwang.services.forms_spec import check_form
from yiwang.services.models import (
    Application,
    BundleApplication,
    BundleStatus,
    Channel,
    DeliveryMethod,
    MaterialSource,
    PersonalMaterial,
)
from yiwang.services.models.applications import FREE_SOURCES
from yiwang.services.permissions import acts_for
from yiwang.services.selectors_bundles import can_bundle_application_see
from yiwang.services.services.applying import application_draft_create, application_draft_save
from yiwang.services.services.applying_form import encrypt_answers, sensitive_answers
from yiwang.services.services.applying_materials import (
    application_material_reuse,
    application_material_upload,
)

ADDRESS_MAX = 255


def lock_bundle_application(*, actor, bundle_application) -> BundleApplication:
    """The row locked for the rest of the transaction (double clicks wait here), or 404."""
    locked = (
        BundleApplication.objects.select_for_update(of=("self",))
        .select_related("bundle__lead_department", "applicant")
        .filter(pk=bundle_application.pk)
        .first()
    )
    if locked is None or not can_bundle_application_see(actor, locked):
        raise NotFound("该一件事申请不存在或无权查看")
    return locked


def children_of(bundle_application) -> list[Application]:
    return list(
        bundle_application.applications.select_related(
            "item", "item_version", "department", "window__department"
        )
        .prefetch_related("materials")
        .order_by("id")
    )


@transaction.atomic
def bundle_application_create(*, actor, bundle, applicant=None, window=None) -> BundleApplication:
    """A draft with one child draft per item (online by the applicant or an enterprise's 经办人;
    with `window`, by a 窗口人员 on the applicant's behalf). The children's drafts check who may
    apply and fill 免提交 materials (applying.application_draft_create)."""
    applicant = applicant if applicant is not None else actor
    if bundle.status != BundleStatus.PUBLISHED:
        raise NotFound("该一件事不存在或未发布")
    entries = list(bundle.entries.select_related("item__published_version").order_by("position", "id"))
    versions = [e.item.published_version for e in entries if e.item.published_version_id]
    channel = Channel.WINDOW if window is not None else Channel.ONLINE
    now = timezone.now()
    methods = common_delivery_methods(versions)
    bundle_application = BundleApplication.objects.create(
        bundle=bundle,
        applicant=applicant,
        submitted_by=actor,
        channel=channel,
        delivery_method=(methods or [DeliveryMethod.ELECTRONIC])[0],
        created_at=now,
        updated_at=now,
    )
    for entry in entries:
        child = application_draft_create(
            actor=actor, item=entry.item, applicant=applicant, channel=channel, window=window
        )
        child.bundle_application = bundle_application
        child.delivery_method = bundle_application.delivery_method
        child.save(update_fields=["bundle_application", "delivery_method"])
    audit.record(
        actor=actor,
        action="services.bundle_application.created",
        target=bundle_application,
        changes={"bundle": bundle.code, "applicant": applicant.pk, "channel": channel, "items": len(entries)},
    )
    return bundle_application


def delivery_problems(children, method: str, address: str) -> dict[str, str]:
    errors: dict[str, str] = {}
    methods = common_delivery_methods(c.item_version for c in children)
    if method not in methods:
        names = "、".join(DeliveryMethod(m).label for m in methods) or "无"
        errors["delivery_method"] = f"送达方式应为各事项共同支持的{names}之一"
    elif method == DeliveryMethod.MAIL and not address:
        errors["delivery_address"] = "邮寄送达请填写邮寄地址"
    if len(address) > ADDRESS_MAX:
        errors["delivery_address"] = f"邮寄地址至多{ADDRESS_MAX}个字符"
    return errors


def merged_answers(bundle_application) -> dict:
    """The stored merged answers with the personal data decrypted (for checking, and for the
    applicant's own form)."""
    return {**bundle_application.form_data, **sensitive_answers(bundle_application)}


@transaction.atomic
def bundle_application_save(
    *,
    actor,
    bundle_application,
    form: dict,
    delivery_method=None,
    delivery_address=None,
    expected_version: int,
) -> BundleApplication:
    """Save the merged form as typed so far: answers given replace the stored ones (a blank one
    clears it), answers not given are kept; malformed answers are refused field by field
    (`form.<code>` once for a shared code), missing required ones wait for submission."""
    bundle_application = lock_bundle_application(actor=actor, bundle_application=bundle_application)
    if not bundle_application.is_draft:
        raise Conflict("一件事已提交，不能再修改申请表")
    if expected_version != bundle_application.version:
        raise Conflict(fields={"version": "申请表已在别处修改，请刷新后重试"})
    if not isinstance(form, dict):
        raise invalid("form", "申请表应为字段代码到填写内容的对应")
    children = children_of(bundle_application)
    merged = merged_form_of([(c.item, c.item_version) for c in children])
    fields = merged.all_fields
    known = {f.code for f in fields}
    answers = merged_answers(bundle_application)
    answers.update({code: value for code, value in form.items() if code in known})
    checked = check_form(fields, answers, partial=True)
    method = bundle_application.delivery_method if delivery_method is None else str(delivery_method)
    address = (
        bundle_application.delivery_address if delivery_address is None else str(delivery_address).strip()
    )
    errors = {**checked.problems, **delivery_problems(children, method, address)}
    if errors:
        raise InvalidInput("申请表有误，请按提示修改", fields=errors)
    clean = {**checked.plain, **checked.sensitive}
    for child in children:
        application_draft_save(
            actor=actor,
            application=child,
            form=answers_for(merged.codes_by_item[child.item_id], clean),
            delivery_method=method,
            delivery_address=address,
            expected_version=child.version,
        )
    bundle_application.form_data = checked.plain
    bundle_application.form_sensitive_encrypted = encrypt_answers(checked.sensitive)
    bundle_application.delivery_method = method
    bundle_application.delivery_address = address if method == DeliveryMethod.MAIL else ""
    bundle_application.version += 1
    bundle_application.updated_at = timezone.now()
    bundle_application.save(
        update_fields=[
            "form_data",
            "form_sensitive_encrypted",
            "delivery_method",
            "delivery_address",
            "version",
            "updated_at",
        ]
    )
    audit.record(
        actor=actor,
        action="services.bundle_application.saved",
        target=bundle_application,
        changes={"fields": sorted(code for code in form if code in known), "delivery_method": method},
    )
    return bundle_application


def _needing(bundle_application, code) -> list[Application]:
    """The draft children that ask for material `code` and do not have it 免提交."""
    if not bundle_application.is_draft:
        raise Conflict("一件事已提交；补正材料请在对应事项的办件页提交")
    code = str(code)[:64]
    asking = []
    for child in children_of(bundle_application):
        material = next((m for m in child.materials.all() if m.code == code), None)
        if material is not None:
            asking.append((child, material))
    if not asking:
        raise NotFound("申请材料不存在")
    needing = [child for child, material in asking if material.source not in FREE_SOURCES]
    if not needing:
        raise invalid(f"materials.{code}", "该材料已免提交，无需上传")
    return needing


def _touch(bundle_application, actor, verb: str, code: str, children) -> None:
    bundle_application.updated_at = timezone.now()
    bundle_application.save(update_fields=["updated_at"])
    audit.record(
        actor=actor,
        action=f"services.bundle_application.material_{verb}",
        target=bundle_application,
        changes={"material": code, "applications": [c.pk for c in children]},
    )


@transaction.atomic
def bundle_material_upload(*, actor, bundle_application, code, upload) -> list:
    """One upload for every item needing the material. Returns the children's materials."""
    bundle_application = lock_bundle_application(actor=actor, bundle_application=bundle_application)
    needing = _needing(bundle_application, code)
    first = application_material_upload(actor=actor, application=needing[0], code=code, upload=upload)
    materials = [first]
    if acts_for(actor, bundle_application.applicant):
        kept = (
            PersonalMaterial.objects.filter(owner=bundle_application.applicant, code=first.code)
            .order_by("-created_at", "-id")
            .first()
        )
        for child in needing[1:]:
            materials.append(
                application_material_reuse(actor=actor, application=child, code=code, personal_material=kept)
            )
    else:  # a window clerk's scan is not 我的材料: the same file goes to each item (stored once)
        for child in needing[1:]:
            upload.seek(0)
            materials.append(
                application_material_upload(actor=actor, application=child, code=code, upload=upload)
            )
    _touch(bundle_application, actor, "uploaded", first.code, needing)
    return materials


@transaction.atomic
def bundle_material_reuse(*, actor, bundle_application, code, personal_material) -> list:
    """我的材料 reused for every item needing the material."""
    bundle_application = lock_bundle_application(actor=actor, bundle_application=bundle_application)
    needing = _needing(bundle_application, code)
    materials = [
        application_material_reuse(
            actor=actor, application=child, code=code, personal_material=personal_material
        )
        for child in needing
    ]
    _touch(bundle_application, actor, "reused", materials[0].code, needing)
    return materials


def material_missing(material) -> bool:
    return material.required and material.source == MaterialSource.MISSING
