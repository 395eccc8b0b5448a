"""SMS gateways behind one small protocol; the one in use is settings.SMS_BACKEND (dotted path).

A city plugs in its operator's or its 政务短信平台's gateway by writing a class with
`send(phone, text) -> None` that raises on failure, and setting YIWANG_SMS_BACKEND.
E-mail needs no protocol of our own: it goes through Django's `send_mail` and EMAIL_BACKEND.
"""

from __future__ import annotations

import logging
import sys
from typing import ClassVar, Protocol

from django.conf import settings
from django.utils.module_loading import import_string

from yiwang.core.personal_data import mask_phone

logger = logging.getLogger("yiwang.notify.sms")


class SmsBackend(Protocol):
    def send(self, phone: str, text: str) -> None:
        """Hand one message to the gateway; raise any exception if it was not accepted."""


def sms_backend_path() -> str:
    return settings.SMS_BACKEND


def sms_backend() -> SmsBackend:
    """A fresh instance per use: backends hold no state between messages."""
    return import_string(sms_backend_path())()


class ConsoleSms:
    """Development default: writes the message to stdout and the log instead of sending it.
    The number is masked even here: logs are kept and must not collect phone numbers
    (个人信息保护法 §51, minimum necessary)."""

    def send(self, phone: str, text: str) -> None:
        line = f"[SMS] to {mask_phone(phone)}: {text}"
        sys.stdout.write(line + "\n")
        sys.stdout.flush()
        logger.info("%s", line)


class MemorySms:
    """For tests: keeps what would have been sent in `MemorySms.outbox` (phone, text).

    The outbox is a class attribute — process-wide mutable state, which DESIGN.md forbids in
    production code paths. It is acceptable here for the same reason as Django's own
    `django.core.mail.outbox` of the locmem e-mail backend: this class is only ever selected by
    test settings, each test empties the outbox first, and a fresh instance is made per message,
    so a list on the instance alone would be lost before a test could look at it.
    """

    outbox: ClassVar[list[tuple[str, str]]] = []

    def send(self, phone: str, text: str) -> None:
        MemorySms.outbox.append((phone, text))
