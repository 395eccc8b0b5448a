"""Permission codes of the workflow engine, and the predicates its services call."""

from yiwang.core.accounts.rbac import has_permission, scope_for

DECLARED = [
    ("workflow.definition.manage", "载入流程定义", ()),
]


def can_definition_load(actor) -> bool:
    """`actor=None` is the command line (`yiwang workflow load`): whoever holds the server shell."""
    return actor is None or has_permission(actor, "workflow.definition.manage")


# --- Runtime (issue 3, part 2) --------------------------------------------------------------
# Who may work a task is not a permission but a role: the process file names the roles of each
# state, and a post gives its role over its department and the departments below it.

DECLARED += [
    # No default roles: a department admin may only hand out roles whose permissions they hold
    # themselves, so a default grant to 窗口人员 would stop them staffing the counter.
    ("workflow.instance.start", "发起流程", ()),
]


# --- Handover, 抄阅 and 电子监察 (issue 3 §2, §3, §5) -------------------------------------------
DECLARED += [
    ("workflow.task.reassign", "改派待办", ("dept_admin", "leader")),
    ("workflow.supervision.view", "查看电子监察", ("supervisor", "leader")),
    ("workflow.supervision.press", "督办", ("supervisor",)),
    ("workflow.accountability.record", "记录过错问责", ("supervisor",)),
]


def role_posts(actor) -> list[tuple[str, str, bool]]:
    """(role code, department path, city-wide) of every post of an active official, loaded once."""
    cached = getattr(actor, "_yiwang_workflow_posts", None)
    if cached is not None:
        return cached
    from yiwang.core.accounts.models import Post

    rows = list(
        Post.objects.filter(user_id=actor.pk, user__is_active=True, department__is_active=True).values_list(
            "role__code", "department__path", "city_wide"
        )
    )
    actor._yiwang_workflow_posts = rows
    return rows


def _active(actor) -> bool:
    return actor is not None and getattr(actor, "is_authenticated", False) and actor.is_active


def holds_role_over(actor, roles, department) -> bool:
    """A post whose role is one of `roles` and whose scope includes `department` (None: anywhere)."""
    if not _active(actor):
        return False
    return any(
        role in roles and (city_wide or department is None or department.path.startswith(path))
        for role, path, city_wide in role_posts(actor)
    )


def has_post_over(actor, department) -> bool:
    """Any post over the department: a colleague may see the department's work, not do it."""
    if not _active(actor):
        return False
    return any(
        city_wide or department is None or department.path.startswith(path)
        for _, path, city_wide in role_posts(actor)
    )


def can_task_work(actor, task) -> bool:
    """The named or claiming person, or a holder of a candidate role over the candidate department."""
    if not _active(actor):
        return False
    if task.assignee_id is not None:
        return task.assignee_id == actor.pk
    return holds_role_over(actor, task.candidate_roles, task.candidate_department)


def can_task_see(actor, task) -> bool:
    if not _active(actor):
        return False
    if actor.pk in (task.assignee_id, task.completed_by_id):
        return True
    return can_task_work(actor, task) or has_post_over(actor, task.candidate_department)


def can_instance_start(actor, department) -> bool:
    """`None` is the system. The engine has no API of its own: a domain service calls it after
    checking who may submit the subject, so an applicant may start; an official needs the
    permission over the subject's department."""
    if actor is None:
        return True
    if _active(actor) and actor.kind in ("citizen", "enterprise"):
        # 申请人: the domain service that called us already checked the subject is theirs.
        return True
    return scope_for(actor, "workflow.instance.start").includes(department)


def can_task_reassign(actor, task) -> bool:
    """改派: a manager over the task's department gives it to someone else."""
    return _active(actor) and scope_for(actor, "workflow.task.reassign").includes(task.candidate_department)


def can_supervise(actor, department) -> bool:
    """电子监察 over a department (None: anywhere in the actor's scope)."""
    if not _active(actor):
        return False
    scope = scope_for(actor, "workflow.supervision.view")
    return not scope.empty if department is None else scope.includes(department)


def can_press(actor, department) -> bool:
    return _active(actor) and scope_for(actor, "workflow.supervision.press").includes(department)


def can_record_accountability(actor, department) -> bool:
    return _active(actor) and scope_for(actor, "workflow.accountability.record").includes(department)


def can_acknowledge(actor, notice) -> bool:
    """督办反馈: an official with a post over the pressed department."""
    return has_post_over(actor, notice.department)


def can_instance_see(actor, instance) -> bool:
    """An instance (its timeline, with officials' names and internal opinions) is seen by an
    official who started it, officials over its department,
    whoever may see one of its tasks (a branch department in 并联审批), the officials it was
    copied to (抄阅), and 监察人员 over its department."""
    if not _active(actor):
        return False
    if actor.pk == instance.initiator_id and actor.kind == "official":
        return True
    if has_post_over(actor, instance.department):
        return True
    if instance.copies.filter(recipient_id=actor.pk).exists():
        return True
    if can_supervise(actor, instance.department):
        return True
    tasks = instance.tasks.select_related("candidate_department")
    return any(can_task_see(actor, task) for task in tasks)
