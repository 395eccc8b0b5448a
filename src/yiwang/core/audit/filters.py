"""The audit log's filter fields, parsed one way for the page form and the API alike.

Each parser raises ValueError with a Chinese reason naming the field, so the form shows it
beside the field and the API returns it as a 422 in the error envelope.
"""

from __future__ import annotations

from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.core.validators import validate_ipv46_address
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.ipv6 import clean_ipv6_address

# Field name → (Chinese label, longest accepted value): the lengths are the model's columns.
TEXT_FIELDS = {
    "action": ("操作代码", 64),
    "actor_name": ("操作人", 128),
    "target_type": ("对象类型", 64),
    "target_id": ("对象ID", 64),
}
LABELS = {
    **{name: label for name, (label, _) in TEXT_FIELDS.items()},
    "since": "起始时间",
    "until": "截止时间",
    "client_address": "客户端地址",
}


def parse_text(name: str, value: str | None) -> str | None:
    label, longest = TEXT_FIELDS[name]
    value = (value or "").strip()
    if len(value) > longest:
        raise ValueError(f"{label}不能超过 {longest} 个字符")
    if "\x00" in value:
        raise ValueError(f"{label}含有不允许的字符")
    return value or None


def parse_moment(name: str, value: str | None) -> date | datetime | None:
    """ISO 8601: `2026-11-22` (a whole day) or `2026-11-22T09:30[:00][+08:00]`."""
    value = (value or "").strip()
    if not value:
        return None
    try:
        parsed = parse_datetime(value) if "T" in value or " " in value else parse_date(value)
    except ValueError:  # well-formed but impossible, such as 2026-02-30
        parsed = None
    if parsed is None:
        raise ValueError(f"{LABELS[name]}格式应为 YYYY-MM-DD 或 YYYY-MM-DDTHH:MM（ISO 8601）")
    if not 1900 <= parsed.year <= 2999:  # keeps time-zone arithmetic far from datetime's limits
        raise ValueError(f"{LABELS[name]}应在 1900 至 2999 年之间")
    return parsed


def parse_address(value: str | None) -> str | None:
    value = (value or "").strip()
    if not value:
        return None
    try:
        validate_ipv46_address(value)
    except ValidationError:
        raise ValueError("客户端地址应为 IPv4 或 IPv6 地址") from None
    return clean_ipv6_address(value) if ":" in value else value


def check_range(since, until) -> None:
    if since is None or until is None:
        return
    comparable = (
        isinstance(since, datetime)
        and isinstance(until, datetime)
        and ((since.tzinfo is None) == (until.tzinfo is None))
    )
    if (since > until) if comparable else (_day(since) > _day(until)):
        raise ValueError("截止时间不能早于起始时间")


def _day(value: date | datetime) -> date:
    return value.date() if isinstance(value, datetime) else value
