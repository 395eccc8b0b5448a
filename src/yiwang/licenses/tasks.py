"""Background jobs of the licence library, run by `yiwang worker` (core/periodic.py)."""

from __future__ import annotations

from django_tasks import task


@task()
def expiry_reminders() -> dict:
    """到期提醒, daily; idempotent (services/reminders.py)."""
    from yiwang.licenses.services.reminders import license_expiry_remind

    return {"reminded": license_expiry_remind()}
