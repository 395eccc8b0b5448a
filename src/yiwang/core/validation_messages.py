"""Pydantic's validation errors, said in Chinese and keyed by field name.

Our own validators raise ValueError with a Chinese reason (from `yiwang.core.codes`); pydantic
prefixes it with "Value error, " which we drop. Built-in type errors get a Chinese sentence.
"""

from __future__ import annotations

_MESSAGES = {
    "missing": "此项为必填项",
    "int_parsing": "应为整数",
    "int_type": "应为整数",
    "float_parsing": "应为数字",
    "float_type": "应为数字",
    "bool_parsing": "应为 true 或 false",
    "bool_type": "应为 true 或 false",
    "string_type": "应为文本",
    "string_too_short": "内容过短",
    "string_too_long": "内容过长",
    "string_pattern_mismatch": "格式不正确",
    "date_parsing": "日期格式应为 YYYY-MM-DD",
    "date_from_datetime_parsing": "日期格式应为 YYYY-MM-DD",
    "date_type": "日期格式应为 YYYY-MM-DD",
    "datetime_parsing": "时间格式应为 ISO 8601",
    "datetime_from_date_parsing": "时间格式应为 ISO 8601",
    "datetime_type": "时间格式应为 ISO 8601",
    "time_parsing": "时间格式应为 HH:MM",
    "greater_than": "数值过小",
    "greater_than_equal": "数值过小",
    "less_than": "数值过大",
    "less_than_equal": "数值过大",
    "literal_error": "取值不在允许范围内",
    "enum": "取值不在允许范围内",
    "dict_type": "应为对象",
    "list_type": "应为列表",
    "model_type": "应为对象",
    "model_attributes_type": "应为对象",
    "json_invalid": "JSON 格式错误",
    "too_long": "项目过多",
    "too_short": "项目过少",
    "extra_forbidden": "不允许的字段",
    "uuid_parsing": "应为 UUID",
    "value_error": "取值无效",
    "email": "电子邮箱格式不正确",
}

# Ninja's error location is (where, [operation parameter name,] field, …): drop the leading
# location and the parameter name, never a field that happens to be called `file` or `data`.
_LOCATIONS = {"body", "query", "path", "form", "file", "header", "cookie"}
_PARAMETER_NAMES = {"payload", "data", "params", "body", "filters", "form"}


def _field_name(loc) -> str:
    parts = [str(p) for p in loc]
    if parts and parts[0] in _LOCATIONS:
        parts = parts[1:]
        if len(parts) > 1 and parts[0] in _PARAMETER_NAMES:
            parts = parts[1:]
    return ".".join(parts) or "__all__"


def _message(error: dict) -> str:
    kind = error.get("type", "")
    if kind == "value_error":
        text = str(error.get("msg", ""))
        return text.removeprefix("Value error, ") or _MESSAGES["value_error"]
    if kind in _MESSAGES:
        return _MESSAGES[kind]
    if kind.startswith("value_error"):
        return _MESSAGES["email"] if "email" in kind else _MESSAGES["value_error"]
    return "取值无效"


def pydantic_errors_to_fields(errors: list[dict]) -> dict[str, str]:
    fields: dict[str, str] = {}
    for error in errors:
        name = _field_name(error.get("loc", ()))
        fields.setdefault(name, _message(error))
    return fields
