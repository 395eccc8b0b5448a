"""Workflow guards and effects for applications (STUB: helper D implements)."""

from __future__ import annotations


def materials_complete(*, actor, instance, task, action) -> None:
    raise NotImplementedError


def deficiency_allowed(*, actor, instance, task, action) -> None:
    raise NotImplementedError


def supplement_requested(*, actor, instance, task, action) -> None:
    raise NotImplementedError


def resubmitted(*, actor, instance, task, action) -> None:
    raise NotImplementedError


def accepted(*, actor, instance, task, action) -> None:
    raise NotImplementedError


def accepted_and_approved(*, actor, instance, task, action) -> None:
    raise NotImplementedError


def not_accepted(*, actor, instance, task, action) -> None:
    raise NotImplementedError


def approved(*, actor, instance, task, action) -> None:
    raise NotImplementedError


def rejected(*, actor, instance, task, action) -> None:
    raise NotImplementedError


def withdrawn(*, actor, instance, task, action) -> None:
    raise NotImplementedError
