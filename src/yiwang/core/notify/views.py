"""我的消息 pages: the inbox, a message (opening it marks it read), and 全部标为已读."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from yiwang.core.errors import NotFound
from yiwang.core.notify import selectors, services

PAGE_SIZE = 20


@login_required
def inbox(request):
    unread_only = request.GET.get("unread") == "1"
    page_obj = Paginator(
        selectors.message_list(user=request.user, unread_only=unread_only), PAGE_SIZE
    ).get_page(request.GET.get("page"))
    return render(request, "notify/inbox.html", {"page_obj": page_obj, "unread_only": unread_only})


@login_required
def detail(request, message_id: int):
    try:
        message = selectors.message_get(user=request.user, message_id=message_id)
    except NotFound:
        raise Http404() from None
    message = services.message_mark_read(actor=request.user, message=message)
    return render(request, "notify/detail.html", {"message": message})


@login_required
@require_POST
def read_all(request):
    services.message_mark_all_read(actor=request.user)
    return redirect("notify:inbox")
