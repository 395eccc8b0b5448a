"""Reads for 转办, 委托, 改派 and 抄送 on the task page: who and where a task may go."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from yiwang.core.accounts.models import Post, User, UserKind
from yiwang.core.orgs.models import Department
from yiwang.workflow.permissions import can_task_reassign, can_task_work, role_posts
from yiwang.workflow.services.engine import OPEN

CHOICES_MAX = 200  # a select longer than this is not a choice; the API takes any id


def transfer_departments(*, task) -> QuerySet[Department]:
    """转办 targets: active departments other than the task's."""
    departments = Department.objects.filter(is_active=True).order_by("path", "id")
    if task.candidate_department_id is not None:
        departments = departments.exclude(pk=task.candidate_department_id)
    return departments[:CHOICES_MAX]


def _officials() -> QuerySet[User]:
    return User.objects.filter(is_active=True, kind=UserKind.OFFICIAL).order_by("display_name", "pk")


def task_workers(*, task, exclude=()) -> list[User]:
    """Officials who could take the task over (services/handover.could_work, as one query):
    a candidate role over its candidate department, or any post there if it names no roles."""
    posts = Post.objects.filter(
        user__is_active=True, user__kind=UserKind.OFFICIAL, department__is_active=True
    )
    if task.candidate_roles:
        posts = posts.filter(role__code__in=list(task.candidate_roles))
    department = task.candidate_department
    if department is not None:
        ancestors = [department.path[:end] for end in range(1, len(department.path) + 1)]
        posts = posts.filter(Q(city_wide=True) | Q(department__path__in=ancestors))
    ids = posts.values("user_id")
    return list(_officials().filter(pk__in=ids).exclude(pk__in=[pk for pk in exclude if pk])[:CHOICES_MAX])


def colleagues_of(*, actor) -> list[User]:
    """抄送 choices: officials with a post in one of the actor's departments or below them."""
    paths = sorted({path for _, path, _ in role_posts(actor)})
    if not paths:
        return []
    condition = Q()
    for path in paths:
        condition |= Q(department__path__startswith=path)
    ids = Post.objects.filter(condition, department__is_active=True).values("user_id")
    return list(_officials().filter(pk__in=ids).exclude(pk=actor.pk)[:CHOICES_MAX])


def officials_by_username(*, usernames) -> tuple[list[int], list[str]]:
    """Ids of the active officials named, in the order given, and the names that are none."""
    found = dict(_officials().filter(username__in=list(usernames)).values_list("username", "pk"))
    return [found[name] for name in usernames if name in found], [n for n in usernames if n not in found]


def handover_options(*, actor, task) -> dict:
    """What the task page offers this actor: each form, with its choices, or None."""
    open_ = task.status in OPEN
    workable = open_ and can_task_work(actor, task)
    is_assignee = open_ and task.assignee_id == actor.pk
    reassign = open_ and can_task_reassign(actor, task)
    workers = task_workers(task=task, exclude=(task.assignee_id,)) if is_assignee or reassign else []
    return {
        "transfer_departments": list(transfer_departments(task=task)) if workable else None,
        "delegates": [u for u in workers if u.pk != actor.pk] if is_assignee else None,
        "reassignees": workers if reassign else None,
        "colleagues": colleagues_of(actor=actor),
    }
