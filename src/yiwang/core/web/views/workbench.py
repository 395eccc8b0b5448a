"""工作台: the officials' home. 待办 comes from the workflow engine's inbox (issue 3 §3), and
督办 waiting for this official's departments to reply from 电子监察 (§5)."""

from django.shortcuts import render

from yiwang.core.accounts.selectors import posts_of
from yiwang.core.notify.selectors import message_list
from yiwang.core.web.views._shared import official_required
from yiwang.workflow.selectors_runtime import state_name_of, task_counts, task_inbox
from yiwang.workflow.selectors_supervision import notices_for_actor

LATEST_MESSAGES = 5
NEXT_TASKS = 5


@official_required
def workbench(request):
    next_tasks = list(task_inbox(actor=request.user, box="mine")[:NEXT_TASKS])
    for task in next_tasks:
        task.state_name = state_name_of(task)
    return render(
        request,
        "web/workbench.html",
        {
            "posts": posts_of(request.user),
            "latest_messages": message_list(user=request.user)[:LATEST_MESSAGES],
            "task_counts": task_counts(actor=request.user),
            "next_tasks": next_tasks,
            "pending_notices": notices_for_actor(
                actor=request.user, box="received", pending_only=True
            ).count(),
        },
    )
