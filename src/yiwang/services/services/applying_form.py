"""The answers of an application's form (申请表): stored plain in `form_data`, except 身份证号
and 电话 answers, which are personal data and kept SM4-encrypted in `form_sensitive_encrypted`
(个人信息保护法; core.personal_data) and shown masked."""

from __future__ import annotations

import json
from dataclasses import dataclass

from yiwang.core import personal_data
from yiwang.services.forms_spec import FormField, fields_of

MASKS = {"id_number": personal_data.mask_id_number, "phone": personal_data.mask_phone}


def fields_for(application) -> list[FormField]:
    return fields_of(application.item_version.form_fields)


def sensitive_answers(application) -> dict:
    """The decrypted id_number / phone answers (for checking and for the applicant's own use)."""
    if not application.form_sensitive_encrypted:
        return {}
    try:
        data = json.loads(personal_data.decrypt(application.form_sensitive_encrypted))
    except (personal_data.DecryptionFailed, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def encrypt_answers(sensitive: dict) -> str:
    if not sensitive:
        return ""
    return personal_data.encrypt(json.dumps(sensitive, ensure_ascii=False, sort_keys=True))


@dataclass(frozen=True)
class Answer:
    code: str
    label: str
    value: str  # masked for personal data
    sensitive: bool
    required: bool


def form_answers(application) -> list[Answer]:
    """Every field with its answer as the applicant's pages show it (personal data masked)."""
    sensitive = sensitive_answers(application) if application.form_sensitive_encrypted else {}
    answers = []
    for field in fields_for(application):
        if field.sensitive:
            raw = str(sensitive.get(field.code, ""))
            value = MASKS[field.type](raw) if raw else ""
        else:
            value = str(application.form_data.get(field.code, ""))
        answers.append(
            Answer(
                code=field.code,
                label=field.label,
                value=value,
                sensitive=field.sensitive,
                required=field.required,
            )
        )
    return answers
