"""/api/v1/messages: the caller's own inbox. Another person's message is a 404.

Fixed paths (`unread-count`, `read-all`) are declared before `/{message_id}`: Django matches
URL patterns in order, and `{message_id}` would otherwise swallow them.
"""

from ninja import Router
from ninja.pagination import paginate

from yiwang.core.notify import selectors, services
from yiwang.core.notify.schemas import MessageOut, ReadAllOut, UnreadCountOut

router = Router(tags=["notify"])


@router.get("/", response=list[MessageOut], summary="我的消息")
@paginate
def message_list(request, unread: bool = False):
    """Newest first; `unread=true` keeps only unread messages."""
    return selectors.message_list(user=request.auth, unread_only=unread)


@router.get("/unread-count", response=UnreadCountOut, summary="未读消息数")
def message_unread_count(request):
    return {"count": selectors.message_unread_count(user=request.auth)}


@router.post("/read-all", response=ReadAllOut, summary="全部标为已读")
def message_mark_all_read(request):
    return {"marked": services.message_mark_all_read(actor=request.auth)}


@router.get("/{message_id}", response=MessageOut, summary="消息详情")
def message_get(request, message_id: int):
    return selectors.message_get(user=request.auth, message_id=message_id)


@router.post("/{message_id}/read", response=MessageOut, summary="标为已读")
def message_mark_read(request, message_id: int):
    message = selectors.message_get(user=request.auth, message_id=message_id)
    return services.message_mark_read(actor=request.auth, message=message)
