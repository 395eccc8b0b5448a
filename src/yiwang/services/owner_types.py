"""File owner types of 一网通办 (STUB: helper C implements)."""

from __future__ import annotations


def register() -> None:
    return None
