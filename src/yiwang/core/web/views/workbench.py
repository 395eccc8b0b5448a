"""工作台: the officials' home. 待办 is filled by the workflow engine (issue 3); until then
the panel says so plainly."""

from django.shortcuts import render

from yiwang.core.accounts.selectors import posts_of
from yiwang.core.notify.selectors import message_list
from yiwang.core.web.views._shared import official_required

LATEST_MESSAGES = 5


@official_required
def workbench(request):
    return render(
        request,
        "web/workbench.html",
        {
            "posts": posts_of(request.user),
            "latest_messages": message_list(user=request.user)[:LATEST_MESSAGES],
        },
    )
