"""申请表: the form an item's version defines (`ServiceItemVersion.form_fields`), and checking
what an applicant typed against it.

A field is `{code, label, type, required, choices, max_length, help}`:

| type | value | checked with |
|---|---|---|
| text / textarea | text | length (max_length, default 200 / 2000) |
| number | whole number or decimal | a number, 0–10^12 |
| date | YYYY-MM-DD | a real date |
| choice | one of `choices` | membership |
| id_number | 居民身份证号码 | GB 11643-1999 check digit (core.codes); kept encrypted |
| uscc | 统一社会信用代码 | GB 32100-2015 check character (core.codes) |
| phone | mobile or landline | core.codes.validate_phone; kept encrypted |

`id_number` and `phone` values are personal data: `check_form` returns them apart (the
caller stores them encrypted, core.personal_data) and shows them masked.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from yiwang.core import codes

FIELD_TYPES = {
    "text": "单行文字",
    "textarea": "多行文字",
    "number": "数字",
    "date": "日期",
    "choice": "单选",
    "id_number": "身份证号码",
    "uscc": "统一社会信用代码",
    "phone": "电话号码",
}
SENSITIVE_TYPES = frozenset({"id_number", "phone"})
FIELD_CODE = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
FIELDS_MAX = 60
CHOICES_MAX = 50
DEFAULT_MAX = {"text": 200, "textarea": 2000}


@dataclass(frozen=True)
class FormField:
    code: str
    label: str
    type: str = "text"
    required: bool = True
    choices: tuple[str, ...] = ()
    max_length: int = 0
    help: str = ""

    @property
    def limit(self) -> int:
        return self.max_length or DEFAULT_MAX.get(self.type, 200)

    @property
    def sensitive(self) -> bool:
        return self.type in SENSITIVE_TYPES


def parse_fields(raw) -> tuple[list[FormField], dict[str, str]]:
    """The fields of a form definition and the problems found, keyed `form_fields[i].<key>`."""
    problems: dict[str, str] = {}
    if not isinstance(raw, list) or len(raw) > FIELDS_MAX:
        return [], {"form_fields": f"申请表字段应为不超过{FIELDS_MAX}项的列表"}
    fields: list[FormField] = []
    seen: set[str] = set()
    for index, item in enumerate(raw):
        where = f"form_fields[{index}]"
        if not isinstance(item, dict):
            problems[where] = "应为字段定义"
            continue
        code, label, kind = item.get("code"), item.get("label"), item.get("type", "text")
        if not isinstance(code, str) or not FIELD_CODE.match(code):
            problems[f"{where}.code"] = "字段代码应为小写字母开头的字母、数字、下划线，至多40个字符"
        elif code in seen:
            problems[f"{where}.code"] = f"字段代码“{code}”重复"
        if not isinstance(label, str) or not label.strip() or len(label) > 64:
            problems[f"{where}.label"] = "请填写字段名称（至多64字）"
        if kind not in FIELD_TYPES:
            problems[f"{where}.type"] = f"字段类型“{kind}”无效，可用：{'、'.join(FIELD_TYPES)}"
        choices = item.get("choices") or []
        if kind == "choice" and (
            not isinstance(choices, list)
            or not 2 <= len(choices) <= CHOICES_MAX
            or not all(isinstance(c, str) and 0 < len(c) <= 64 for c in choices)
        ):
            problems[f"{where}.choices"] = f"单选字段须有2–{CHOICES_MAX}个选项，每项至多64字"
        max_length = item.get("max_length", 0)
        if not isinstance(max_length, int) or isinstance(max_length, bool) or not 0 <= max_length <= 5000:
            problems[f"{where}.max_length"] = "最大长度应为0–5000的整数"
            max_length = 0
        help_text = item.get("help", "")
        if not isinstance(help_text, str) or len(help_text) > 200:
            problems[f"{where}.help"] = "填写说明至多200字"
            help_text = ""
        if any(key.startswith(where) for key in problems):
            continue
        seen.add(code)
        fields.append(
            FormField(
                code=code,
                label=label.strip(),
                type=kind,
                required=bool(item.get("required", True)),
                choices=tuple(choices) if kind == "choice" else (),
                max_length=max_length,
                help=help_text,
            )
        )
    return fields, problems


def fields_of(raw) -> list[FormField]:
    """The fields of a stored (already validated) definition."""
    return parse_fields(raw)[0]


def _value(field: FormField, raw) -> tuple[object, str | None]:
    """(clean value, problem) of one answer; the value is "" when not given."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return "", ("必填" if field.required else None)
    if isinstance(raw, bool) or not isinstance(raw, str | int | float):
        return "", "格式不正确"
    text = str(raw).strip()
    try:
        if field.type in ("text", "textarea"):
            if len(text) > field.limit or "\x00" in text:
                return "", f"至多{field.limit}个字符"
            return text, None
        if field.type == "number":
            number = Decimal(text)
            if not number.is_finite() or not 0 <= number <= Decimal(10) ** 12:
                return "", "应为0到10¹²之间的数字"
            return text, None
        if field.type == "date":
            return date.fromisoformat(text).isoformat(), None
        if field.type == "choice":
            return (text, None) if text in field.choices else ("", f"请从{'、'.join(field.choices)}中选择")
        if field.type == "id_number":
            return codes.validate_id_number(text), None
        if field.type == "uscc":
            return codes.validate_uscc(text), None
        if field.type == "phone":
            return codes.validate_phone(text), None
    except codes.CodeInvalid as error:  # before ValueError, which it is
        return "", str(error)
    except (InvalidOperation, ValueError):
        return "", "格式不正确" if field.type != "date" else "应为有效日期，如 2026-11-22"
    return "", "未知字段类型"


@dataclass
class CheckedForm:
    plain: dict  # stored as form_data
    sensitive: dict  # stored encrypted
    problems: dict  # "form.<code>" → reason in Chinese


def check_form(fields: list[FormField], data, *, partial: bool = False) -> CheckedForm:
    """Check answers against the fields. `partial` (a draft being saved): a missing required
    answer is not a problem yet, a malformed one is. Unknown keys are ignored."""
    data = data if isinstance(data, dict) else {}
    checked = CheckedForm(plain={}, sensitive={}, problems={})
    for field in fields:
        value, problem = _value(field, data.get(field.code))
        if problem and not (partial and problem == "必填"):
            checked.problems[f"form.{field.code}"] = f"{field.label}：{problem}"
        if value != "":
            (checked.sensitive if field.sensitive else checked.plain)[field.code] = value
    return checked
