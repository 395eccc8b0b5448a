"""Who may see and change an application from the applicant's side (issue 5 §3).

- The principal (the person, or the enterprise) and an enterprise's 经办人 (permissions.acts_for)
  see and change their own applications; anyone else gets a 404 (STANDARDS §5: an object
  outside a person's scope does not exist for them).
- 线上线下一体化: a 窗口人员 over the hall of the application's window works a window-channel
  application on the applicant's behalf (permissions.can_application_proxy) — the same record.
- Officials who handle the application (its department, or whoever may see its workflow
  instance: the 综合窗口, a 并联审批 department, 监察) may read its files, not change them.
"""

from __future__ import annotations

from yiwang.core.accounts.rbac import scope_for
from yiwang.services.models import Application, ApplicationStatus, Channel
from yiwang.services.permissions import acts_for, can_application_proxy, is_signed_in

# Files may still be added to a draft, and to 补正 materials while 待补正 (行政许可法 §32).
ATTACHABLE_STATUSES = (ApplicationStatus.DRAFT, ApplicationStatus.SUPPLEMENT)


def works_at_window(actor, application: Application) -> bool:
    """窗口代办: the clerk over the hall where the applicant stood."""
    return (
        application.channel == Channel.WINDOW
        and application.window_id is not None
        and can_application_proxy(actor, application.window.department)
    )


def can_application_see(actor, application: Application) -> bool:
    return acts_for(actor, application.applicant) or works_at_window(actor, application)


def can_application_handle_view(actor, application: Application) -> bool:
    """An official who handles or supervises it (read-only on this side)."""
    if not is_signed_in(actor) or actor.kind != "official":
        return False
    if scope_for(actor, "services.application.handle").includes(application.department):
        return True
    if application.instance_id is None:
        return False
    from yiwang.workflow.permissions import can_instance_see

    return can_instance_see(actor, application.instance)


def can_application_attach(actor, application: Application) -> bool:
    """Files are added to a draft and, while 待补正, to the materials the 一次性告知 named (the
    material services check which) — by the applicant, or the window clerk for a window one."""
    return application.status in ATTACHABLE_STATUSES and can_application_see(actor, application)
