"""查看完整: an official reads one personal-data value of an application in full — the
applicant's id number or phone, or a sensitive answer of the form (身份证号码, 电话) — with the
read recorded: who, whose, which field, why (个人信息保护法 §51; the same record as
accounts.services.personal_data_reveal, `core.personal_data.revealed`)."""

from __future__ import annotations

import json

from django.db import transaction

from yiwang.core import personal_data
from yiwang.core.accounts.permissions import can_personal_data_reveal
from yiwang.core.audit import services as audit
from yiwang.core.errors import InvalidInput, PermissionDenied
from yiwang.services.forms_spec import fields_of
from yiwang.services.models import Application
from yiwang.services.services.handling_tasks import text, visible_application

APPLICANT_FIELDS = {"applicant.id_number": "申请人身份证号", "applicant.phone": "申请人手机号"}
PURPOSE_MAX = 200


def sensitive_answers(application: Application) -> dict:
    """The form's encrypted answers (id numbers, phones), decrypted for masking or a reveal."""
    if not application.form_sensitive_encrypted:
        return {}
    try:
        value = json.loads(personal_data.decrypt(application.form_sensitive_encrypted))
    except (personal_data.DecryptionFailed, ValueError):
        return {}
    return value if isinstance(value, dict) else {}


def revealable_fields(application: Application) -> dict[str, str]:
    """field → label of what may be revealed on this application."""
    fields = dict(APPLICANT_FIELDS)
    if application.applicant.kind == "enterprise":
        fields.pop("applicant.id_number")
    for field in fields_of(application.item_version.form_fields):
        if field.sensitive:
            fields[f"form.{field.code}"] = f"申请表：{field.label}"
    return fields


@transaction.atomic
def application_personal_data_reveal(
    *, actor, application: Application, field: str, purpose: str
) -> tuple[str, str]:
    """(label, full value) of one field, after recording the read."""
    application = visible_application(actor=actor, application=application)
    if not can_personal_data_reveal(actor):
        raise PermissionDenied("没有查看完整个人信息的权限（accounts.personal_data.reveal）")
    fields = revealable_fields(application)
    if field not in fields:
        raise InvalidInput(fields={"field": "请选择可查看的项目"})
    purpose = text(purpose)
    if not purpose or len(purpose) > PURPOSE_MAX:
        raise InvalidInput(fields={"purpose": f"请填写查看事由（1–{PURPOSE_MAX}字）"})
    if field.startswith("applicant."):
        value = getattr(application.applicant, field.removeprefix("applicant."))
    else:
        value = str(sensitive_answers(application).get(field.removeprefix("form."), ""))
    audit.record(
        actor=actor,
        action="core.personal_data.revealed",
        target=application.applicant,
        changes={"field": field, "purpose": purpose, "application": application.pk},
    )
    return fields[field], value
