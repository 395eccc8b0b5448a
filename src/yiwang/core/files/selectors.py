"""Reads of attachments, visible exactly to those who may see the owning object (else 404)."""

from __future__ import annotations

from django.db.models import QuerySet

from yiwang.core.errors import NotFound
from yiwang.core.files.models import Attachment
from yiwang.core.files.permissions import can_file_view

_MAX_ID = 2**63 - 1  # BigAutoField: a larger number cannot exist and must not reach the database


def attachment_list(*, actor, owner_type: str, owner_id) -> QuerySet:
    owner_id = str(owner_id)
    if not can_file_view(actor, owner_type=owner_type, owner_id=owner_id):
        raise NotFound()
    return Attachment.objects.filter(owner_type=owner_type, owner_id=owner_id).select_related("file")


def attachment_get(*, actor, attachment_id) -> Attachment:
    try:
        pk = int(attachment_id)
    except (TypeError, ValueError):
        raise NotFound() from None
    attachment = (
        Attachment.objects.select_related("file").filter(pk=pk).first() if 0 < pk <= _MAX_ID else None
    )
    if attachment is None or not can_file_view(
        actor, owner_type=attachment.owner_type, owner_id=attachment.owner_id
    ):
        raise NotFound()
    return attachment
