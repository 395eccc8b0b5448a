"""Workflow effects for 差评整改 (STUB: helper E implements)."""

from __future__ import annotations


def rectification_responded(*, actor, instance, task, action) -> None:
    raise NotImplementedError


def rectification_appealed(*, actor, instance, task, action) -> None:
    raise NotImplementedError


def rectification_revoked(*, actor, instance, task, action) -> None:
    raise NotImplementedError


def rectification_appeal_rejected(*, actor, instance, task, action) -> None:
    raise NotImplementedError


def rectification_closed(*, actor, instance, task, action) -> None:
    raise NotImplementedError


def rectification_reopened(*, actor, instance, task, action) -> None:
    raise NotImplementedError
