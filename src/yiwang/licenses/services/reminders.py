"""到期提醒: tell holders, once, that a licence runs out within REMIND_DAYS days.

Run daily by `yiwang worker` (licenses/tasks.py). Idempotent: `reminded_at` is stamped by a
conditional UPDATE before the message is written, in the same transaction, so two workers
(or a rerun) never remind twice. A revised licence is a new row and may be reminded again.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from yiwang.core.notify.services import notify
from yiwang.licenses.models import License, LicenseStatus

REMIND_DAYS = 30


def license_expiry_remind(*, today: date | None = None) -> int:
    """Remind every holder whose valid licence expires in [today, today + 30 days]; the count."""
    today = today or timezone.localdate()
    due = License.objects.filter(
        status=LicenseStatus.VALID,
        reminded_at=None,
        valid_until__gte=today,
        valid_until__lte=today + timedelta(days=REMIND_DAYS),
    ).values_list("pk", flat=True)
    sent = 0
    for pk in list(due.iterator(chunk_size=500)):
        with transaction.atomic():
            if not License.objects.filter(pk=pk, reminded_at=None).update(reminded_at=timezone.now()):
                continue  # another worker took it
            license_ = License.objects.select_related("holder").get(pk=pk)
            days = (license_.valid_until - today).days
            notify(
                recipient=license_.holder,
                title="电子证照即将到期",
                body=f"您的“{license_.type_name}”将于{license_.valid_until}到期（还有{days}天），请及时办理延续。",
                category="licenses",
            )
            sent += 1
    return sent
