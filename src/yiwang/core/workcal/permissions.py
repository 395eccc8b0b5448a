"""Permission codes of the working-day calendar, and the predicate the services call."""

from yiwang.core.accounts.rbac import has_permission

DECLARED = [
    ("workcal.calendar.manage", "维护工作日历（节假日与调休）", ("sys_admin",)),
]


def can_calendar_manage(actor) -> bool:
    return has_permission(actor, "workcal.calendar.manage")
