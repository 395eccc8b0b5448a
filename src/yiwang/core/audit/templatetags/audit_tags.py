"""Presentation of an audit record's change summary on the list page."""

from __future__ import annotations

import json

from django import template

register = template.Library()

_LONGEST = 300


@register.filter
def changes_summary(changes) -> str:
    """`{"status": ["draft", "active"]}` → `status: ["draft", "active"]`, cut at 300 characters."""
    if not isinstance(changes, dict) or not changes:
        return ""
    parts = []
    for key, value in changes.items():
        shown = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
        parts.append(f"{key}: {shown}")
    text = "；".join(parts)
    return text if len(text) <= _LONGEST else text[: _LONGEST - 1] + "…"
