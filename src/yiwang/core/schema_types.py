"""Field types and checks shared by every package's ninja schemas."""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator

from yiwang.core import codes


def _no_nul(value: str) -> str:
    # PostgreSQL text cannot hold U+0000. The NUL guard middleware refuses it for HTTP
    # requests already; this keeps a schema safe wherever it is validated.
    if "\x00" in value:
        raise ValueError("不能包含空字符")
    return value


# Every free-text field of the API.
Text = Annotated[str, AfterValidator(_no_nul)]


def checked_code(validator, value: str | None) -> str | None:
    """Run a `yiwang.core.codes` validator inside a pydantic validator: its Chinese reason
    becomes the field's message in the 422 envelope. Empty values are left to `required`."""
    if value in (None, ""):
        return value
    try:
        return validator(value)
    except codes.CodeInvalid as error:
        raise ValueError(str(error)) from None
