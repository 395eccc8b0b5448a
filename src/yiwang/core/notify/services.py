"""消息: put a message in a user's inbox and send it on SMS / e-mail, logging every delivery.

The in-app message is written in the caller's transaction; SMS and e-mail leave only after that
transaction commits (a rolled-back change must not have told anybody anything) and through a
background task, so a slow or failing gateway neither delays the request nor takes the inbox
message with it. Each attempt is one `Delivery` row — the message log: recipient, channel,
masked address, backend, sent / failed / skipped. That log is the audit trail of sending, so
sending writes no separate audit record.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from functools import partial

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from yiwang.core.errors import NotFound
from yiwang.core.notify.backends import sms_backend, sms_backend_path
from yiwang.core.notify.models import Channel, Delivery, DeliveryStatus, Message
from yiwang.core.notify.permissions import can_message_read
from yiwang.core.personal_data import mask_phone

logger = logging.getLogger("yiwang.notify")

INBOX_BACKEND = "inbox"
BULK_BATCH = 500
_EXTERNAL = (Channel.SMS.value, Channel.EMAIL.value)


def mask_email(address: str) -> str:
    """z***@example.com: the first character of the local part and the domain."""
    local, at, domain = (address or "").partition("@")
    if not at:
        return "*" * len(local)
    return f"{local[:1]}***@{domain}"


def _clean_channels(channels: Iterable[str]) -> list[str]:
    cleaned: list[str] = []
    for channel in channels:
        if channel not in Channel.values:
            raise ValueError(f"unknown notification channel {channel!r}; use {Channel.values}")
        if channel not in cleaned:
            cleaned.append(channel)
    return cleaned


def _check_link(link: str) -> str:
    # Shown as an <a href>: only a local path or an http(s) address, never `javascript:`.
    if link and not (
        (link.startswith("/") and not link.startswith("//")) or link.startswith(("https://", "http://"))
    ):
        raise ValueError(f"notification link must be a local path or an http(s) URL, not {link!r}")
    return link


@transaction.atomic
def notify(
    *,
    recipient,
    title: str,
    body: str = "",
    link: str = "",
    category: str = "system",
    channels: Iterable[str] = ("inbox",),
) -> Message:
    """Put a message in `recipient`'s inbox and queue it on each external channel asked for.

    The inbox copy is always kept, whatever the channels: it is the record the deliveries
    point at, and the person can reread there what an SMS or e-mail said. There is no actor:
    the platform is the sender, called from services that have already checked theirs.
    """
    channels = _clean_channels(channels)
    message = Message(recipient=recipient, title=title, body=body, link=_check_link(link), category=category)
    message.full_clean()
    message.save()
    Delivery.objects.create(
        message=message,
        recipient=recipient,
        channel=Channel.INBOX,
        backend=INBOX_BACKEND,
        status=DeliveryStatus.SENT,
    )
    external = [channel for channel in channels if channel in _EXTERNAL]
    if external:
        transaction.on_commit(partial(_enqueue_external, message.pk, external))
    return message


@dataclass(frozen=True)
class Notice:
    """One inbox message for `notify_many`."""

    recipient: object
    title: str
    body: str = ""
    link: str = ""
    category: str = "system"


@transaction.atomic
def notify_many(notices: Iterable[Notice]) -> list[Message]:
    """Inbox messages for many people at once — the clock sweep may tell thousands in one
    pass. The same checks as `notify` (the recipient is a loaded user, so it is not looked up
    again per message), written with two bulk INSERTs. Inbox only: SMS and e-mail, which leave
    through the task queue one by one, go through `notify`."""
    messages = []
    for notice in notices:
        message = Message(
            recipient=notice.recipient,
            title=notice.title,
            body=notice.body,
            link=_check_link(notice.link),
            category=notice.category,
        )
        message.full_clean(exclude=["recipient"])
        messages.append(message)
    if not messages:
        return []
    Message.objects.bulk_create(messages, batch_size=BULK_BATCH)
    Delivery.objects.bulk_create(
        [
            Delivery(
                message=message,
                recipient=message.recipient,
                channel=Channel.INBOX,
                backend=INBOX_BACKEND,
                status=DeliveryStatus.SENT,
            )
            for message in messages
        ],
        batch_size=BULK_BATCH,
    )
    return messages


def _enqueue_external(message_id: int, channels: list[str]) -> None:
    from yiwang.core.notify.tasks import deliver_external

    try:
        deliver_external.enqueue(message_id=message_id, channels=channels)
    except Exception as error:  # the queue is down: log each channel as failed, do not raise
        logger.exception("could not queue message %s for %s", message_id, channels)
        message = Message.objects.filter(pk=message_id).first()
        Delivery.objects.bulk_create(
            [
                Delivery(
                    message=message,
                    recipient_id=message.recipient_id if message else None,
                    channel=channel,
                    status=DeliveryStatus.FAILED,
                    error=f"无法加入发送队列：{type(error).__name__}",
                )
                for channel in channels
            ]
        )


def deliver_external(*, message_id: int, channels: list[str]) -> list[Delivery]:
    """Send one stored message on SMS and/or e-mail now; one Delivery row per channel.
    Runs in the background task; each row commits on its own, so one channel's failure
    never hides another's success."""
    message = Message.objects.select_related("recipient").filter(pk=message_id).first()
    if message is None:  # deleted with its recipient before the worker got to it
        return []
    senders = {Channel.SMS.value: _send_sms, Channel.EMAIL.value: _send_email}
    return [senders[channel](message) for channel in _clean_channels(channels) if channel in senders]


def _failure_text(error: Exception, *secrets: str) -> str:
    text = f"{type(error).__name__}: {error}"
    for secret in secrets:  # a gateway may echo the number back; the log keeps it masked
        if secret:
            text = text.replace(secret, mask_phone(secret))
    return text[:500]


def _send_sms(message: Message) -> Delivery:
    delivery = Delivery(
        message=message, recipient=message.recipient, channel=Channel.SMS, backend=sms_backend_path()
    )
    try:
        phone = message.recipient.phone
    except Exception as error:  # undecryptable (lost key): a failure to log, not to raise
        phone = ""
        delivery.status, delivery.error = DeliveryStatus.FAILED, _failure_text(error)
    else:
        delivery.address_masked = mask_phone(phone)
        if not phone:
            delivery.status = DeliveryStatus.SKIPPED
        else:
            text = f"{message.title}\n{message.body}".strip() if message.body else message.title
            try:
                sms_backend().send(phone, text)
            except Exception as error:
                logger.warning("SMS for message %s failed: %s", message.pk, type(error).__name__)
                delivery.status, delivery.error = DeliveryStatus.FAILED, _failure_text(error, phone)
            else:
                delivery.status = DeliveryStatus.SENT
    delivery.save()
    return delivery


def _send_email(message: Message) -> Delivery:
    address = message.recipient.email
    delivery = Delivery(
        message=message,
        recipient=message.recipient,
        channel=Channel.EMAIL,
        backend=settings.EMAIL_BACKEND,
        address_masked=mask_email(address),
    )
    if not address:
        delivery.status = DeliveryStatus.SKIPPED
    else:
        subject = " ".join(message.title.split())  # a header: no line breaks
        text = "\n\n".join(part for part in (message.body, message.link) if part) or message.title
        try:
            send_mail(subject, text, None, [address], fail_silently=False)
        except Exception as error:
            logger.warning("e-mail for message %s failed: %s", message.pk, type(error).__name__)
            delivery.status, delivery.error = DeliveryStatus.FAILED, _failure_text(error, address)
        else:
            delivery.status = DeliveryStatus.SENT
    delivery.save()
    return delivery


# Marking read writes no audit record, on purpose: `read_at` is the recipient's own view of
# their own inbox, not a change to any government record or to anyone else's data, and no
# supervision or 等保 audit question is answered by it. Auditing it would add a hash-chained
# row per click per notification, burying the records that matter.
def message_mark_read(*, actor, message: Message) -> Message:
    if not can_message_read(actor, message):
        raise NotFound()
    if message.read_at is None:
        now = timezone.now()
        # Conditional update: two tabs opening the same message keep the first read time.
        if Message.objects.filter(pk=message.pk, read_at=None).update(read_at=now):
            message.read_at = now
        else:
            message.refresh_from_db(fields=["read_at"])
    return message


def message_mark_all_read(*, actor) -> int:
    """Mark every unread message of the actor read; returns how many were unread."""
    if actor is None or not getattr(actor, "is_authenticated", False):
        raise NotFound()
    return Message.objects.filter(recipient=actor, read_at=None).update(read_at=timezone.now())
