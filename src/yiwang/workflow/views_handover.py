"""The task page's 转办, 委托, 改派 and 抄送 forms (issue 3 §2, §3), and 抄阅's 标为已读.

Each form posts here; success redirects, a refusal re-renders the task page with the message
beside the field (the same page `views.task` renders, through `render_task`).
"""

from __future__ import annotations

import re

from django.conf import settings
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from yiwang.core import errors
from yiwang.core.files import services as file_services
from yiwang.core.files.sniff import ALIASES
from yiwang.core.web.views._shared import official_required
from yiwang.workflow import selectors_copies, selectors_handover
from yiwang.workflow import selectors_runtime as selectors
from yiwang.workflow.services.runtime import (
    copy_mark_read,
    instance_copy,
    task_delegate,
    task_reassign,
    task_transfer,
)

# What the official sees when someone else was quicker (issue 3 §3).
STALE = "该待办已被他人处理，请刷新"
USERNAMES_MAX = 2000
_SEPARATORS = re.compile(r"[\s,，、;；]+")


def handover_context(*, actor, task) -> dict:
    """What `partials/_handover.html` needs: the forms this actor may use, with their choices."""
    return selectors_handover.handover_options(actor=actor, task=task)


def upload_hints() -> dict:
    """The action forms' file picker: the types core.files accepts (with aliases) and the limit."""
    allowed = file_services.allowed_types()
    extensions = [*allowed, *(alias for alias, canonical in ALIASES.items() if canonical in allowed)]
    return {
        "accept": ",".join(f".{extension}" for extension in extensions),
        "types": "、".join(allowed),
        "limit": file_services.size_text(settings.UPLOAD_MAX_BYTES),
    }


def render_task(request, task_id, *, error="", fields=None, posted_action="", posted_op="", status=200):
    """The task page: the task, its actions, the handover forms, and any refusal to show."""
    try:
        detail = selectors.task_detail_for_actor(actor=request.user, task_id=task_id)
    except errors.NotFound:
        raise Http404() from None
    context = {
        **detail,
        **handover_context(actor=request.user, task=detail["task"]),
        "upload": upload_hints(),
        "error": error,
        # The action forms' errors; a handover form's are its own (below), but for the version.
        "fields": {k: v for k, v in (fields or {}).items() if not posted_op or k == "version"},
        "posted_action": posted_action,
        "post": request.POST,
        # A refused handover form: its errors and what was typed, under its name.
        "handover_errors": {posted_op: fields or {}} if posted_op else {},
        "handover_post": {posted_op: request.POST} if posted_op else {},
        "posted_recipients": [
            int(v) for v in request.POST.getlist("recipients") if v.isdigit() and len(v) < 19
        ],
    }
    return render(request, "workflow/task.html", context, status=status)


def form_version(value):
    return int(value) if isinstance(value, str) and value.isdigit() and len(value) < 10 else None


def _handle(request, task_id, op: str, move, done: str, *, back_to_task: bool = True):
    """Find the task (404 outside the actor's scope), make the move, redirect or re-render."""
    try:
        task = selectors.task_get_for_actor(actor=request.user, task_id=task_id)
    except errors.NotFound:
        raise Http404() from None
    try:
        move(task, form_version(request.POST.get("version")))
    except errors.NotFound:
        raise Http404() from None
    except errors.Conflict:
        return render_task(request, task_id, error=STALE, posted_op=op, status=409)
    except errors.InvalidInput as invalid:
        fields = invalid.fields or {}
        return render_task(request, task_id, error=invalid.message, fields=fields, posted_op=op, status=400)
    except errors.PermissionDenied as denied:
        return render_task(request, task_id, error=denied.message, posted_op=op, status=403)
    messages.success(request, done)
    if back_to_task:
        return redirect("workflow:task", task_id=task_id)
    return redirect("workflow:inbox")


@official_required
@require_POST
def transfer(request, task_id: int):
    def move(task, version):
        task_transfer(
            actor=request.user,
            task=task,
            expected_version=version,
            department=request.POST.get("department"),
            reason=request.POST.get("reason", ""),
        )

    # The task now belongs to another department: its page may no longer be the actor's.
    return _handle(request, task_id, "transfer", move, "已转办", back_to_task=False)


@official_required
@require_POST
def delegate(request, task_id: int):
    def move(task, version):
        task_delegate(
            actor=request.user,
            task=task,
            expected_version=version,
            to_user=request.POST.get("to_user"),
            reason=request.POST.get("reason", ""),
        )

    return _handle(request, task_id, "delegate", move, "已委托", back_to_task=False)


@official_required
@require_POST
def reassign(request, task_id: int):
    def move(task, version):
        task_reassign(
            actor=request.user,
            task=task,
            expected_version=version,
            to_user=request.POST.get("to_user"),
            reason=request.POST.get("reason", ""),
        )

    return _handle(request, task_id, "reassign", move, "已改派")


def _copy_recipients(request) -> list:
    """The colleagues ticked in the list, then the usernames typed (any separator), once each."""
    chosen = [value for value in request.POST.getlist("recipients") if value]
    typed = request.POST.get("usernames", "")[:USERNAMES_MAX]
    names = [name for name in _SEPARATORS.split(typed) if name]
    ids, unknown = selectors_handover.officials_by_username(usernames=names)
    if unknown:
        raise errors.invalid("recipients", f"找不到这些在职工作人员：{'、'.join(unknown[:10])}")
    return list(dict.fromkeys([*chosen, *(str(pk) for pk in ids)]))


@official_required
@require_POST
def copy(request, task_id: int):
    def move(task, version):
        instance_copy(
            actor=request.user,
            instance=task.instance,
            recipients=_copy_recipients(request),
            note=request.POST.get("note", ""),
            task=task,
        )

    return _handle(request, task_id, "copy", move, "已抄送")


@official_required
@require_POST
def copy_read(request, copy_id: int):
    try:
        found = selectors_copies.copy_get_for_actor(actor=request.user, copy_id=copy_id)
    except errors.NotFound:
        raise Http404() from None
    copy_mark_read(actor=request.user, copy=found)
    messages.success(request, "已标为已读")
    return redirect(reverse("workflow:inbox") + "?box=copied")
