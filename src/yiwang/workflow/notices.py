"""Who hears about a task or an instance: the people the engine, the sweep and 电子监察 notify.

Reads only; sending is `yiwang.core.notify.services.notify`. Lists are capped: a city-wide
role may be held by hundreds, and a notice to all of them is noise, not supervision.
"""

from __future__ import annotations

from django.db.models import Q

from yiwang.core.accounts.models import Post, User

CAP = 50


def _holders(roles, department, *, permission: str = "") -> list[User]:
    """Active officials holding one of `roles` (or a role with `permission`) through a post over
    `department` (None: anywhere)."""
    posts = Post.objects.filter(user__is_active=True, department__is_active=True)
    if permission:
        # 系统管理员 hold every permission so that they can repair roles; they are not the
        # city's supervisors and would otherwise be told of every overdue task.
        posts = posts.filter(role__permissions__code=permission).exclude(role__code="sys_admin")
    else:
        posts = posts.filter(role__code__in=list(roles))
    if department is not None:
        ancestors = [department.path[:end] for end in range(1, len(department.path) + 1)]
        posts = posts.filter(Q(city_wide=True) | Q(department__path__in=ancestors))
    ids = list(posts.values_list("user_id", flat=True).distinct().order_by("user_id")[:CAP])
    return list(User.objects.filter(pk__in=ids).order_by("pk"))


def candidates_of(task) -> list[User]:
    """Who may claim an unclaimed task: its candidate roles over its candidate department."""
    if task.assignee_id is not None:
        return [task.assignee]
    return _holders(task.candidate_roles, task.candidate_department)


def supervisors_of(department) -> list[User]:
    """监察人员 over a department: posts over it or above it (or city-wide) whose role carries
    `workflow.supervision.press` — roles are data, so the permission decides, not the role name."""
    return _holders((), department, permission="workflow.supervision.press")


def role_holders(roles, department) -> list[User]:
    """Holders of `roles` over `department`: a definition's escalation `notify` list."""
    return _holders(roles, department)
