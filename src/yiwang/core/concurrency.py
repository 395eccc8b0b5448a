"""Optimistic concurrency: every editable model has a `version`; an update names the version
it read, and the loser of two concurrent edits gets a 409 instead of a lost update."""

from __future__ import annotations

from django.db import models

from yiwang.core.errors import Conflict


def save_if_version(instance: models.Model, *, expected_version: int | None, fields: list[str]) -> None:
    """UPDATE … SET fields, version = version + 1 WHERE pk = … AND version = expected."""
    model = type(instance)
    if expected_version is None:
        expected_version = instance.version
    values = {name: getattr(instance, name) for name in fields}
    updated = model.objects.filter(pk=instance.pk, version=expected_version).update(
        version=models.F("version") + 1, **values
    )
    if updated != 1:
        raise Conflict(fields={"version": "数据已被他人修改，请刷新后重试"})
    instance.version = expected_version + 1
