"""/api/v1/files: attach (multipart), list an owner's files, info, download, detach."""

from django.http import HttpResponse
from ninja import File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from yiwang.core.files import selectors, services
from yiwang.core.files.responses import attachment_download
from yiwang.core.files.schemas import AttachmentOut

router = Router(tags=["files"])


class OwnerQuery(Schema):
    owner_type: str
    owner_id: str


@router.post("/", response={201: AttachmentOut}, summary="上传附件")
def file_attach(request, owner_type: Form[str], owner_id: Form[str], file: File[UploadedFile | None] = None):
    """multipart/form-data: `owner_type`, `owner_id`, `file`. The type is read from the content.
    (`file` is optional here only so that a missing file gets the service's Chinese message.)"""
    attachment = services.file_attach(
        actor=request.auth, owner_type=owner_type, owner_id=owner_id, upload=file
    )
    return Status(201, attachment)


@router.get("/", response=list[AttachmentOut], summary="某对象的附件")
@paginate
def attachment_list(request, owner: Query[OwnerQuery]):
    return selectors.attachment_list(actor=request.auth, owner_type=owner.owner_type, owner_id=owner.owner_id)


@router.get("/{attachment_id}", response=AttachmentOut, summary="附件信息")
def attachment_get(request, attachment_id: int):
    return selectors.attachment_get(actor=request.auth, attachment_id=attachment_id)


@router.get("/{attachment_id}/content", url_name="file_content", summary="下载附件")
def attachment_content(request, attachment_id: int):
    return attachment_download(selectors.attachment_get(actor=request.auth, attachment_id=attachment_id))


@router.delete("/{attachment_id}", response={204: None}, summary="删除附件")
def file_detach(request, attachment_id: int):
    attachment = selectors.attachment_get(actor=request.auth, attachment_id=attachment_id)
    services.file_detach(actor=request.auth, attachment=attachment)
    return HttpResponse(status=204)
