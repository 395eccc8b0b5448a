"""Permission codes of the audit log, and the predicates its selectors and views call.

等保 2.0 (GB/T 22239-2019) 安全审计: the log is read by administrators and by 监察人员, never
by the people whose actions it records as a matter of course. sys_admin holds every code.
"""

from yiwang.core.accounts.rbac import has_permission

DECLARED = [
    ("audit.record.view", "查看审计日志", ("supervisor",)),
    ("audit.chain.verify", "校验审计日志完整性", ("supervisor",)),
]


def can_audit_record_view(actor) -> bool:
    return has_permission(actor, "audit.record.view")


def can_audit_chain_verify(actor) -> bool:
    return has_permission(actor, "audit.chain.verify")
