"""Reads of a user's own messages (nobody reads another's inbox)."""

from django.db.models import QuerySet

from yiwang.core.errors import NotFound
from yiwang.core.notify.models import Message


def message_list(*, user, unread_only: bool = False) -> QuerySet:
    messages = Message.objects.filter(recipient=user)
    return messages.filter(read_at=None) if unread_only else messages


def message_get(*, user, message_id) -> Message:
    message = (
        Message.objects.filter(recipient=user, pk=message_id).first() if str(message_id).isdigit() else None
    )
    if message is None:
        raise NotFound()
    return message


def message_unread_count(*, user) -> int:
    return Message.objects.filter(recipient=user, read_at=None).count()
