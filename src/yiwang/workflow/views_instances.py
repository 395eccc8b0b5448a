"""The instance page (issue 3 §6): a process instance's summary, its timeline, and the viewer's
open tasks of it. Where 抄阅 recipients, supervisors and the branch departments land."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from yiwang.core import errors
from yiwang.core.web.views._shared import official_required
from yiwang.workflow import timeline as selectors
from yiwang.workflow.selectors_copies import copies_unread_of
from yiwang.workflow.services.copies import copy_mark_read


@official_required
@require_http_methods(["GET"])
def instance(request, instance_id: int):
    try:
        found = selectors.instance_get_for_actor(actor=request.user, instance_id=instance_id)
        shown = selectors.instance_timeline(actor=request.user, instance=found)
    except errors.NotFound:
        raise Http404() from None
    # 抄阅: opening the instance is reading it.
    for copy in copies_unread_of(actor=request.user, instance=found):
        copy_mark_read(actor=request.user, copy=copy)
    context = {
        "instance": found,
        "timeline": shown,
        "timelines": [shown],
        "my_steps": [step for step in shown.steps if step.workable],
    }
    return render(request, "workflow/instance.html", context)
