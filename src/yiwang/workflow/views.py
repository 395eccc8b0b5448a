"""待办 pages (issue 3 §3): the inbox with its three boxes, and one task to claim, release or act on."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from yiwang.core import errors
from yiwang.core.web.views._shared import official_required
from yiwang.workflow import selectors_runtime as selectors
from yiwang.workflow.selectors_copies import copy_inbox
from yiwang.workflow.services.runtime import task_act_with_files, task_claim, task_release
from yiwang.workflow.views_handover import STALE, form_version, render_task

PER_PAGE = 20
BOX_NAMES = {"mine": "我的待办", "department": "部门待签收", "done": "已办", "copied": "抄阅"}
CLOCK_NAMES = {"": "全部", "normal": "正常", "warning": "预警", "overdue": "超期"}


@official_required
@require_http_methods(["GET"])
def inbox(request):
    box = request.GET.get("box", "mine")
    box = box if box in BOX_NAMES else "mine"
    status = request.GET.get("status", "")
    status = status if status in CLOCK_NAMES else ""
    process = request.GET.get("process", "")[:64]
    if box == "copied":  # 抄阅: copies received, not tasks
        rows = copy_inbox(actor=request.user)
    else:
        rows = selectors.task_inbox(actor=request.user, box=box, status=status, process=process)
    counts = selectors.task_counts(actor=request.user)
    page_obj = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    for row in page_obj if box != "copied" else ():
        row.state_name = selectors.state_name_of(row)
    return render(
        request,
        "workflow/inbox.html",
        {
            "box": box,
            "boxes": [(code, name, counts[code]) for code, name in BOX_NAMES.items()],
            "status": status,
            "clock_names": CLOCK_NAMES.items(),
            "process": process,
            "page_obj": page_obj,
        },
    )


@official_required
@require_http_methods(["GET", "POST"])
def task(request, task_id: int):
    error, fields, posted_action, status = "", {}, "", 200
    try:
        if request.method == "POST":
            found = selectors.task_get_for_actor(actor=request.user, task_id=task_id)
            version, op = form_version(request.POST.get("version")), request.POST.get("op")
            posted_action = request.POST.get("action", "")
            try:
                if op == "claim":
                    task_claim(actor=request.user, task=found, expected_version=version)
                    messages.success(request, "已签收")
                elif op == "release":
                    task_release(actor=request.user, task=found, expected_version=version)
                    messages.success(request, "已退签")
                else:
                    task_act_with_files(
                        actor=request.user,
                        task=found,
                        action_code=posted_action,
                        expected_version=version,
                        opinion=request.POST.get("opinion", ""),
                        reason=request.POST.get("reason", ""),
                        uploads=request.FILES.getlist("attachments"),
                    )
                    messages.success(request, "已办理")
                return redirect("workflow:task", task_id=task_id)
            except errors.Conflict:
                error, status = STALE, 409
            except errors.InvalidInput as invalid:
                error, fields, status = invalid.message, invalid.fields, 400
            except errors.PermissionDenied as denied:
                error, status = denied.message, 403
    except errors.NotFound:
        raise Http404() from None
    return render_task(
        request, task_id, error=error, fields=fields, posted_action=posted_action, status=status
    )
