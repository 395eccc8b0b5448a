"""Writes of attachments: permission from the owner registry first, then content checks,
then the change, then the audit row — one transaction (STYLE.md, the shape of a write).

Blobs are content-addressed (DESIGN.md, Files): stored once under a path derived from their
SHA-256 through Django's default storage, so S3 replaces the disk by configuration. The blob is
written before the database row; if the transaction then rolls back, an unreferenced blob is
left behind, which is harmless (the next upload of the same content reuses it) and is what a
purge job cleans, never a dangling row pointing at nothing.
"""

from __future__ import annotations

import hashlib
import unicodedata

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction

from yiwang.core.audit import services as audit
from yiwang.core.errors import InvalidInput, NotFound, PermissionDenied, invalid
from yiwang.core.files.models import Attachment, StoredFile
from yiwang.core.files.owners import owner_type_get
from yiwang.core.files.permissions import can_file_attach, can_file_detach, can_file_view
from yiwang.core.files.sniff import KNOWN, Kind, canonical_extension, sniff

_NAME_MAX = 255


def storage_name_for(sha256: str, extension: str) -> str:
    """`files/ab/cd/abcd…<64 hex>.pdf`: two fan-out levels keep directories small."""
    return f"files/{sha256[:2]}/{sha256[2:4]}/{sha256}.{extension}"


def allowed_types() -> list[str]:
    """settings.UPLOAD_TYPES in order, keeping only the kinds the sniffer can recognise."""
    allowed: list[str] = []
    for item in settings.UPLOAD_TYPES:
        extension = canonical_extension(item.strip())
        if extension in KNOWN and extension not in allowed:
            allowed.append(extension)
    return allowed


def size_text(limit: int) -> str:
    if limit % (1024 * 1024) == 0:
        return f"{limit // (1024 * 1024)}MB"
    if limit % 1024 == 0:
        return f"{limit // 1024}KB"
    return f"{limit}字节"


def _clean_owner(owner_type, owner_id) -> tuple[str, str]:
    owner_type = str(owner_type or "").strip()
    owner_id = str(owner_id if owner_id is not None else "").strip()
    errors: dict[str, str] = {}
    if not owner_type:
        errors["owner_type"] = "所属对象类型不能为空"
    elif owner_type_get(owner_type) is None:
        errors["owner_type"] = f"未知的所属对象类型：{owner_type[:64]}"
    if not owner_id:
        errors["owner_id"] = "所属对象ID不能为空"
    elif len(owner_id) > 64:
        errors["owner_id"] = "所属对象ID不能超过64个字符"
    if errors:
        raise InvalidInput(next(iter(errors.values())), fields=errors)
    return owner_type, owner_id


def clean_file_name(name: str) -> str:
    """The base name without any directory, control or bidi-override characters (a U+202E can
    make `gpj.exe` read as `exe.jpg`), at most 255 characters with the extension kept."""
    name = str(name or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch) not in ("Cc", "Cf")).strip().strip(".")
    if len(name) > _NAME_MAX:
        stem, dot, extension = name.rpartition(".")
        extension = extension[:16] if dot else ""
        name = (stem if dot else name)[: _NAME_MAX - len(extension) - 1] + (
            f".{extension}" if extension else ""
        )
    return name


def _checked_kind(upload: File, name: str) -> Kind:
    """Size, type and name checks, each with a Chinese message on the `file` field."""
    limit = settings.UPLOAD_MAX_BYTES
    size = upload.size
    if not size:
        raise invalid("file", "文件为空")
    if size > limit:
        raise invalid("file", f"文件超过{size_text(limit)}上限")
    allowed = allowed_types()
    kind = sniff(upload)
    if kind is None or kind.extension not in allowed:
        raise invalid("file", f"不支持的文件类型：仅允许 {'、'.join(allowed)}")
    _, dot, claimed = name.rpartition(".")
    if dot and canonical_extension(claimed) != kind.extension:
        raise invalid(
            "file", f"文件内容与扩展名不符：内容为 {kind.extension} 文件，扩展名却是 .{claimed[:16]}"
        )
    return kind


def _digest(upload: File) -> tuple[str, int]:
    digest = hashlib.sha256()
    size = 0
    for chunk in upload.chunks():
        digest.update(chunk)
        size += len(chunk)
    upload.seek(0)
    return digest.hexdigest(), size


def _store(upload: File, *, sha256: str, size: int, kind: Kind) -> tuple[StoredFile, bool]:
    stored = StoredFile.objects.filter(pk=sha256).first()
    if stored is not None:
        return stored, False
    storage_name = storage_name_for(sha256, kind.extension)
    if not default_storage.exists(storage_name):
        storage_name = default_storage.save(storage_name, upload)
    return StoredFile.objects.get_or_create(
        sha256=sha256,
        defaults={
            "size": size,
            "content_type": kind.content_type,
            "extension": kind.extension,
            "storage_name": storage_name,
        },
    )


@transaction.atomic
def file_attach(*, actor, owner_type: str, owner_id, upload) -> Attachment:
    """Attach an uploaded file (a Django `UploadedFile` or any `File`) to an owning object."""
    owner_type, owner_id = _clean_owner(owner_type, owner_id)
    if not can_file_view(actor, owner_type=owner_type, owner_id=owner_id):
        raise NotFound()
    if not can_file_attach(actor, owner_type=owner_type, owner_id=owner_id):
        raise PermissionDenied("没有权限向该对象添加附件")
    if upload is None:
        raise invalid("file", "请选择要上传的文件")
    if not isinstance(upload, File):
        upload = File(upload, name=getattr(upload, "name", ""))
    name = clean_file_name(upload.name)
    kind = _checked_kind(upload, name)
    sha256, size = _digest(upload)
    if size > settings.UPLOAD_MAX_BYTES:  # the declared size may lie; the bytes read do not
        raise invalid("file", f"文件超过{size_text(settings.UPLOAD_MAX_BYTES)}上限")
    if "." not in name:
        name = f"{name or '附件'}.{kind.extension}"
    stored, created = _store(upload, sha256=sha256, size=size, kind=kind)
    attachment = Attachment(
        file=stored, owner_type=owner_type, owner_id=owner_id, name=name, uploaded_by=actor
    )
    attachment.full_clean()
    attachment.save()
    audit.record(
        actor=actor,
        action="core.file.attached",
        target=attachment,
        changes={
            "owner_type": owner_type,
            "owner_id": owner_id,
            "name": name,
            "sha256": sha256,
            "size": size,
            "content_type": kind.content_type,
            "new_blob": created,
        },
    )
    return attachment


@transaction.atomic
def file_detach(*, actor, attachment: Attachment) -> None:
    """Remove an attachment from its owner. The blob stays: other attachments may share it."""
    if not can_file_view(actor, owner_type=attachment.owner_type, owner_id=attachment.owner_id):
        raise NotFound()
    if not can_file_detach(actor, attachment):
        raise PermissionDenied("没有权限删除该附件")
    audit.record(
        actor=actor,
        action="core.file.detached",
        target=attachment,
        changes={
            "owner_type": attachment.owner_type,
            "owner_id": attachment.owner_id,
            "name": attachment.name,
            "sha256": attachment.file_id,
        },
    )
    attachment.delete()


@transaction.atomic
def file_copy(*, actor, attachment: Attachment, owner_type: str, owner_id, name: str = "") -> Attachment:
    """Attach a file the actor may see to another owner without uploading it again: a new
    attachment row on the same stored blob (我的材料 reused in an application)."""
    if not can_file_view(actor, owner_type=attachment.owner_type, owner_id=attachment.owner_id):
        raise NotFound()
    owner_type, owner_id = _clean_owner(owner_type, owner_id)
    if not can_file_view(actor, owner_type=owner_type, owner_id=owner_id):
        raise NotFound()
    if not can_file_attach(actor, owner_type=owner_type, owner_id=owner_id):
        raise PermissionDenied("没有权限向该对象添加附件")
    copy = Attachment(
        file_id=attachment.file_id,
        owner_type=owner_type,
        owner_id=owner_id,
        name=clean_file_name(name) if name else attachment.name,
        uploaded_by=actor,
    )
    copy.full_clean()
    copy.save()
    audit.record(
        actor=actor,
        action="core.file.copied",
        target=copy,
        changes={
            "from": attachment.pk,
            "owner_type": owner_type,
            "owner_id": owner_id,
            "sha256": copy.file_id,
        },
    )
    return copy
