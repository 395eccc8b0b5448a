"""Reads of the audit log: only for those who may browse it (administrators, 监察人员).

Audit records are not scoped by department: the log is a whole-platform record kept for
oversight (等保 2.0 安全审计), so the permission alone decides, and without it every read is
refused outright (403) rather than shown empty.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.db.models import QuerySet
from django.utils import timezone

from yiwang.core.audit.filters import check_range
from yiwang.core.audit.models import AuditRecord
from yiwang.core.audit.permissions import can_audit_chain_verify, can_audit_record_view
from yiwang.core.audit.verify import VerifyReport, verify_chains
from yiwang.core.errors import PermissionDenied, invalid


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _lower_bound(value: date | datetime) -> datetime:
    if isinstance(value, datetime):
        return value if timezone.is_aware(value) else timezone.make_aware(value)
    return _start_of(value)


def _upper_bound(value: date | datetime) -> tuple[str, datetime]:
    """A bare date means "up to the end of that day" (local time), a date-time is inclusive."""
    if isinstance(value, datetime):
        return "created_at__lte", value if timezone.is_aware(value) else timezone.make_aware(value)
    return "created_at__lt", _start_of(value + timedelta(days=1))


def audit_list(
    *,
    actor,
    action: str | None = None,
    actor_name: str | None = None,
    target_type: str | None = None,
    target_id: str | None = None,
    since: date | datetime | None = None,
    until: date | datetime | None = None,
    client_address: str | None = None,
) -> QuerySet[AuditRecord]:
    """Audit records, newest first. `action` matches a prefix (`core.user.` finds every user
    action); `actor_name` matches part of the name; the others match exactly."""
    if not can_audit_record_view(actor):
        raise PermissionDenied("没有查看审计日志的权限")
    try:
        check_range(since, until)
    except ValueError as error:
        raise invalid("until", str(error)) from None
    records = AuditRecord.objects.all()
    if action:
        records = records.filter(action__startswith=action)
    if actor_name:
        records = records.filter(actor_name__icontains=actor_name)
    if target_type:
        records = records.filter(target_type=target_type)
    if target_id:
        records = records.filter(target_id=target_id)
    if since:
        records = records.filter(created_at__gte=_lower_bound(since))
    if until:
        lookup, bound = _upper_bound(until)
        records = records.filter(**{lookup: bound})
    if client_address:
        records = records.filter(client_address=client_address)
    return records.order_by("-created_at", "-id")


def audit_chains_verify(*, actor) -> VerifyReport:
    """Run the full verification for a person (the command line runs `verify_chains` directly)."""
    if not can_audit_chain_verify(actor):
        raise PermissionDenied("没有校验审计日志的权限")
    return verify_chains()
