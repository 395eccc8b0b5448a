"""What a licence type declares and what a licence carries, checked field by field.

Every check collects all its errors (`fields` keyed like "fields[2].type" or "data.经营范围")
so the official fixes them at once. Values are normalised to what the signature's canonical
JSON allows (licenses.signing.canonical): strings, integers, no floats — a decimal number is
kept as its decimal string, a date as ISO 8601 "YYYY-MM-DD".
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation

from yiwang.core.errors import InvalidInput

FIELD_TYPES = {"text": "文本", "date": "日期", "number": "数字", "enum": "枚举"}
MAX_FIELDS = 50
MAX_TEXT = 500
_FIELD_NAME = re.compile(r"[a-z][a-z0-9_]{0,31}")
_ACCENT = re.compile(r"#[0-9a-fA-F]{6}")
_NUMBER = re.compile(r"-?\d{1,15}(\.\d{1,6})?")


def _clean_text(value, *, max_length: int) -> str | None:
    if not isinstance(value, str):
        return None
    text = value.strip()
    if not text or len(text) > max_length or "\x00" in text:
        return None
    return text


def check_field_specs(specs, errors: dict[str, str]) -> list[dict]:
    """The `fields` of a licence type: [{"name", "label", "type", "required", "choices"}]."""
    if not isinstance(specs, list) or len(specs) > MAX_FIELDS:
        errors["fields"] = f"照面信息项应为列表，至多{MAX_FIELDS}项"
        return []
    cleaned: list[dict] = []
    seen: set[str] = set()
    for index, spec in enumerate(specs):
        at = f"fields[{index}]"
        if not isinstance(spec, dict):
            errors[at] = "每一项应为对象：name、label、type、required、choices"
            continue
        unknown = set(spec) - {"name", "label", "type", "required", "choices"}
        if unknown:
            errors[at] = f"不认识的属性：{'、'.join(sorted(map(str, unknown)))}"
        name = spec.get("name")
        if not isinstance(name, str) or not _FIELD_NAME.fullmatch(name):
            errors[f"{at}.name"] = "名称应为小写字母开头的1–32位字母、数字或下划线"
        elif name in seen:
            errors[f"{at}.name"] = f"名称 {name} 重复"
        else:
            seen.add(name)
        label = _clean_text(spec.get("label"), max_length=32)
        if label is None:
            errors[f"{at}.label"] = "显示名称不能为空，至多32字"
        kind = spec.get("type")
        if not isinstance(kind, str) or kind not in FIELD_TYPES:
            errors[f"{at}.type"] = "类型应为 text、date、number 或 enum"
        required = spec.get("required", True)
        if not isinstance(required, bool):
            errors[f"{at}.required"] = "required 应为 true 或 false"
        choices = spec.get("choices")
        if kind == "enum":
            if (  # each choice a clean string before they are put in a set
                not isinstance(choices, list)
                or not 1 <= len(choices) <= 100
                or any(_clean_text(c, max_length=64) != c for c in choices)
                or len(set(choices)) != len(choices)
            ):
                errors[f"{at}.choices"] = "枚举项应为1–100个不重复、非空的文本（每项至多64字）"
        elif choices not in (None, []):
            errors[f"{at}.choices"] = "只有枚举类型可以有 choices"
        spec_out = {"name": name, "label": label, "type": kind, "required": required}
        if kind == "enum":
            spec_out["choices"] = choices
        cleaned.append(spec_out)
    return cleaned


def check_validity(rule, errors: dict[str, str]) -> dict:
    """{"years": 1–100} | {"months": 1–1200} | {"long_term": true}."""
    message = '有效期规则应为 {"years": 1–100}、{"months": 1–1200} 或 {"long_term": true} 之一'
    if not isinstance(rule, dict) or len(rule) != 1:
        errors["validity"] = message
        return {}
    ((key, value),) = rule.items()
    limits = {"years": 100, "months": 1200}
    if key in limits and isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= limits[key]:
        return {key: value}
    if key == "long_term" and value is True:
        return {"long_term": True}
    errors["validity"] = message
    return {}


def check_layout(layout, field_names: set[str], errors: dict[str, str]) -> dict:
    """{"accent": "#rrggbb", "order": [field names]}, both optional."""
    if layout in (None, {}):
        return {}
    if not isinstance(layout, dict) or set(layout) - {"accent", "order"}:
        errors["layout"] = '版式应为 {"accent": "#rrggbb", "order": [信息项名称]}'
        return {}
    cleaned: dict = {}
    if "accent" in layout:
        if not isinstance(layout["accent"], str) or not _ACCENT.fullmatch(layout["accent"]):
            errors["layout.accent"] = "主色应为 #rrggbb 形式的颜色"
        else:
            cleaned["accent"] = layout["accent"].lower()
    if "order" in layout:
        order = layout["order"]
        if (
            not isinstance(order, list)
            or any(not isinstance(n, str) for n in order)
            or len(set(order)) != len(order)
        ):
            errors["layout.order"] = "排列顺序应为不重复的信息项名称列表"
        elif set(order) - field_names:
            errors["layout.order"] = f"没有这些信息项：{'、'.join(sorted(set(order) - field_names))}"
        else:
            cleaned["order"] = order
    return cleaned


def check_replaces(materials, errors: dict[str, str]) -> list[str]:
    """Names of the service-item materials this licence can stand in for (免提交)."""
    if materials in (None, []):
        return []
    if (
        not isinstance(materials, list)
        or len(materials) > 50
        or any(_clean_text(m, max_length=64) is None for m in materials)
    ):
        errors["replaces"] = "可替代材料应为至多50个非空名称（每个至多64字）"
        return []
    cleaned = [m.strip() for m in materials]
    if len(set(cleaned)) != len(cleaned):
        errors["replaces"] = "可替代材料名称重复"
    return cleaned


# --- a licence's data against its type ------------------------------------------------------
def _value(spec: dict, value) -> tuple[object, str | None]:
    kind = spec["type"]
    if kind == "text":
        text = _clean_text(value, max_length=MAX_TEXT)
        return (text, None) if text is not None else (None, f"应为非空文本，至多{MAX_TEXT}字")
    if kind == "date":
        try:
            return date.fromisoformat(value).isoformat(), None
        except (TypeError, ValueError):
            return None, "日期格式应为 YYYY-MM-DD"
    if kind == "enum":
        return (
            (value, None)
            if value in spec["choices"]
            else (None, f"应为以下之一：{'、'.join(spec['choices'])}")
        )
    # number: an integer, or a decimal given as a number or text; floats never reach the signature.
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        return None, "应为数字"
    text = str(value).strip()
    if not _NUMBER.fullmatch(text):
        return None, "应为数字（至多15位整数、6位小数）"
    try:
        number = Decimal(text)
    except InvalidOperation:
        return None, "应为数字"
    return (
        (int(number), None)
        if number == number.to_integral_value()
        else (format(number.normalize(), "f"), None)
    )


def check_data(specs: list[dict], data) -> dict:
    """The licence's 照面信息 against its type; InvalidInput names every missing or bad item."""
    if not isinstance(data, dict):
        raise InvalidInput(fields={"data": "照面信息应为对象（信息项名称 → 值）"})
    errors: dict[str, str] = {}
    missing: list[str] = []
    cleaned: dict = {}
    known = {spec["name"]: spec for spec in specs}
    for name in data:
        if name not in known:
            errors[f"data.{name}"] = "此证照类型没有该信息项"
    for name, spec in known.items():
        value = data.get(name)
        if value in (None, ""):
            if spec.get("required", True):
                errors[f"data.{name}"] = f"缺少“{spec['label']}”"
                missing.append(spec["label"])
            continue
        cleaned_value, problem = _value(spec, value)
        if problem:
            errors[f"data.{name}"] = f"“{spec['label']}”{problem}"
        else:
            cleaned[name] = cleaned_value
    if errors:
        message = f"照面信息不完整，缺少：{'、'.join(missing)}" if missing else "照面信息有误"
        raise InvalidInput(message, fields=errors)
    return cleaned


def add_months(start: date, months: int) -> date:
    """The same day `months` later (the last day of a shorter month)."""
    month_index = start.month - 1 + months
    year, month = start.year + month_index // 12, month_index % 12 + 1
    for day in (start.day, 30, 29, 28):
        try:
            return date(year, month, day)
        except ValueError:
            continue
    raise ValueError("unreachable")


def valid_until_for(rule: dict, valid_from: date) -> date | None:
    """有效期截止 from the type's rule: the day before the same date N years/months on
    (2026-03-01 + 5 years → 2031-02-28); None for 长期."""
    if rule.get("long_term"):
        return None
    months = rule.get("years", 0) * 12 + rule.get("months", 0)
    return add_months(valid_from, months) - timedelta(days=1)
