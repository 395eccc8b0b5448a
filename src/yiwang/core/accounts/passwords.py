"""Password rules beyond Django's: 等保 2.0 practice asks for complexity (three of four classes)."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError


class CharacterClassValidator:
    classes = (r"[a-z]", r"[A-Z]", r"\d", r"[^a-zA-Z\d]")

    def validate(self, password: str, user=None) -> None:
        present = sum(1 for pattern in self.classes if re.search(pattern, password or ""))
        if present < 3:
            raise ValidationError(
                "密码须包含大写字母、小写字母、数字、符号中的至少三类", code="password_too_simple"
            )

    def get_help_text(self) -> str:
        return "密码须包含大写字母、小写字母、数字、符号中的至少三类。"
