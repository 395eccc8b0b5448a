"""申请 (issue 5 §3): a draft made from the item's published version, its form saved as the
applicant types, and its materials filled in by the registered providers (免提交).

- Online the principal applies themself, or an enterprise's 经办人 for the enterprise
  (permissions.acts_for); at a window a 窗口人员 applies on the applicant's behalf into the
  same record (线上线下一体化, channel "window").
- The application keeps the version it was made under (STANDARDS §4), so a later version or
  the item going offline never changes what was applied for.
- Materials, submitting, withdrawing and 补正 live in applying_materials.py and
  applying_submit.py.
"""

from __future__ import annotations

import logging

from django.db import transaction
from django.utils import timezone

from yiwang.core.audit import services as audit
from yiwang.core.errors import Conflict, DomainError, InvalidInput, NotFound, PermissionDenied, invalid
from yiwang.services.forms_spec import check_form
from yiwang.services.models import (
    Application,
    ApplicationMaterial,
    ApplicationStatus,
    Channel,
    DeliveryMethod,
    ItemStatus,
    MaterialSource,
    SubjectKind,
)
from yiwang.services.models.catalogue import ONLINE_DEPTH_ONLINE
from yiwang.services.permissions import acts_for, can_application_proxy, is_applicant_kind
from yiwang.services.providers import material_providers
from yiwang.services.services.applying_access import can_application_see
from yiwang.services.services.applying_form import encrypt_answers, fields_for, sensitive_answers

logger = logging.getLogger("yiwang.services")

ADDRESS_MAX = 255
SUBJECT_NAMES = dict(SubjectKind.choices)


def delivery_methods_of(version) -> list[str]:
    """The version's 送达方式 in its order; electronic when it lists none."""
    methods = [m for m in (version.delivery_methods or []) if m in DeliveryMethod.values]
    return methods or [DeliveryMethod.ELECTRONIC]


def _check_applicant(*, actor, applicant, channel: str, window) -> None:
    if channel == Channel.ONLINE:
        if not is_applicant_kind(actor):
            raise PermissionDenied("工作人员请通过窗口代为申请")
        if not acts_for(actor, applicant):
            raise PermissionDenied("只能为本人或您经办的企业申请")
        return
    if window is None or not window.is_active:
        raise invalid("window_id", "请选择启用的服务窗口")
    if not can_application_proxy(actor, window.department):
        raise PermissionDenied("没有在该窗口代为申请的权限")
    if applicant is None or applicant.pk == actor.pk or not is_applicant_kind(applicant):
        raise invalid("applicant_id", "请指定前来办事的个人或企业")


@transaction.atomic
def application_draft_create(*, actor, item, applicant=None, channel="online", window=None) -> Application:
    applicant = applicant if applicant is not None else actor
    if channel not in Channel.values:
        raise invalid("channel", "申请渠道应为网上申请或窗口申请")
    _check_applicant(actor=actor, applicant=applicant, channel=channel, window=window)
    version = item.published_version
    if item.status != ItemStatus.PUBLISHED or version is None:
        raise NotFound("事项不存在或未发布")
    if applicant.kind not in (version.subjects or []):
        allowed = "、".join(SUBJECT_NAMES.get(s, s) for s in version.subjects) or "无"
        raise invalid("applicant_id", f"本事项的服务对象为{allowed}，{applicant.display_name}不能申请")
    if channel == Channel.ONLINE and version.online_depth < ONLINE_DEPTH_ONLINE:
        raise invalid("item_id", "本事项暂不支持网上申请，请到服务窗口办理")
    now = timezone.now()
    application = Application.objects.create(
        item=item,
        item_version=version,
        department=item.department,
        applicant=applicant,
        submitted_by=actor,
        channel=channel,
        window=window if channel == Channel.WINDOW else None,
        delivery_method=delivery_methods_of(version)[0],
        created_at=now,
        updated_at=now,
    )
    ApplicationMaterial.objects.bulk_create(
        ApplicationMaterial(
            application=application,
            position=spec.position,
            code=spec.code,
            name=spec.name,
            required=spec.required,
            is_key=spec.is_key,
        )
        for spec in version.materials.all()
    )
    filled = application_materials_autofill(actor=actor, application=application)
    audit.record(
        actor=actor,
        action="services.application.created",
        target=application,
        changes={
            "item": item.pk,
            "version": version.number,
            "applicant": applicant.pk,
            "channel": channel,
            "window": window.pk if window is not None and channel == Channel.WINDOW else None,
            "free_materials": [m.code for m in filled],
        },
    )
    return application


@transaction.atomic
def application_materials_autofill(*, actor, application) -> list[ApplicationMaterial]:
    """免提交: ask every registered provider for each material still missing. A provider that
    refuses (no right to look up, a bad licence type in the item) is skipped, never fatal: the
    applicant can still upload the material."""
    if not can_application_see(actor, application):
        raise NotFound("办件不存在或无权查看")
    if application.status != ApplicationStatus.DRAFT:
        return []
    filled = []
    for material in application.materials.filter(source=MaterialSource.MISSING).order_by("position", "id"):
        for name, provider in material_providers():
            try:
                provided = provider(actor=actor, application=application, material=material)
            except DomainError as refused:
                logger.info("material provider %s skipped %s: %s", name, material.code, refused.message)
                continue
            if provided is None:
                continue
            material.source = provided.source
            material.provided_by = provided.description[:255]
            material.license_id = provided.license_id
            material.save(update_fields=["source", "provided_by", "license"])
            filled.append(material)
            break
    return filled


def lock_application(application) -> Application:
    """The row, locked for the rest of the transaction (one change at a time: double clicks)."""
    return (
        Application.objects.select_for_update(of=("self",))
        .select_related("item", "item_version", "applicant", "window__department", "department")
        .get(pk=application.pk)
    )


def check_delivery(version, method: str, address: str) -> dict[str, str]:
    errors: dict[str, str] = {}
    methods = delivery_methods_of(version)
    if method not in methods:
        names = "、".join(DeliveryMethod(m).label for m in methods)
        errors["delivery_method"] = f"送达方式应为{names}之一"
    elif method == DeliveryMethod.MAIL and not address:
        errors["delivery_address"] = "邮寄送达请填写邮寄地址"
    if len(address) > ADDRESS_MAX:
        errors["delivery_address"] = f"邮寄地址至多{ADDRESS_MAX}个字符"
    return errors


@transaction.atomic
def application_draft_save(
    *,
    actor,
    application,
    form: dict,
    delivery_method=None,
    delivery_address=None,
    expected_version: int,
) -> Application:
    """Save what the applicant typed so far. Answers given replace the stored ones (a blank
    one clears it), answers not given are kept; malformed answers are refused field by field,
    missing required ones wait for submission."""
    if not can_application_see(actor, application):
        raise NotFound("办件不存在或无权查看")
    application = lock_application(application)
    if application.status != ApplicationStatus.DRAFT:
        raise Conflict("办件已提交，不能再修改申请表")
    if expected_version != application.version:
        raise Conflict(fields={"version": "申请表已在别处修改，请刷新后重试"})
    if not isinstance(form, dict):
        raise invalid("form", "申请表应为字段代码到填写内容的对应")
    fields = fields_for(application)
    known = {field.code for field in fields}
    answers = {**application.form_data, **sensitive_answers(application)}
    answers.update({code: value for code, value in form.items() if code in known})
    checked = check_form(fields, answers, partial=True)
    method = application.delivery_method if delivery_method is None else str(delivery_method)
    address = application.delivery_address if delivery_address is None else str(delivery_address).strip()
    errors = {**checked.problems, **check_delivery(application.item_version, method, address)}
    if errors:
        raise InvalidInput("申请表有误，请按提示修改", fields=errors)
    application.form_data = checked.plain
    application.form_sensitive_encrypted = encrypt_answers(checked.sensitive)
    application.delivery_method = method
    application.delivery_address = address if method == DeliveryMethod.MAIL else ""
    application.version += 1
    application.updated_at = timezone.now()
    application.save(
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
        action="services.application.saved",
        target=application,
        # Field codes only: the answers are the applicant's (and may be personal data).
        changes={"fields": sorted(code for code in form if code in known), "delivery_method": method},
    )
    return application
