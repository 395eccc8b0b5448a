"""STUB: the helper owning this area implements register()."""

from __future__ import annotations


def register() -> None:
    return None
