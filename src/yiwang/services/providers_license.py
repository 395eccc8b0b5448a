"""免提交 from the licence library (STUB: helper C implements)."""

from __future__ import annotations


def provide_from_license(*, actor, application, material):
    return None
