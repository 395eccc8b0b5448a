"""电子印章: an issuing department's seal image, set or replaced by its key managers.

The image must be a PNG (the PDF needs its alpha channel to lay the seal over the issuer's
name like ink), at most 512 KiB, 64–2048 pixels a side and near square (the PDF draws it in
a 42 mm square; a long strip would shrink to an unreadable line). A transparent background is
recommended, not required: the page says so when the image has none.

The file is stored through core.files (owner type `licenses.seal`), so it is sniffed, hashed
and audited like any upload; the previous image is detached, and the seal row points at the
new one. Only key managers may do this (licenses.key.manage): the seal vouches for the
department as its keys do.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from django.core.files import File
from django.db import transaction
from django.utils import timezone
from PIL import Image, UnidentifiedImageError

from yiwang.core.audit import services as audit
from yiwang.core.errors import PermissionDenied, invalid
from yiwang.core.files.services import file_attach, file_detach
from yiwang.core.orgs.models import Department
from yiwang.licenses.models import IssuerSeal
from yiwang.licenses.owner_types import SEAL_OWNER
from yiwang.licenses.permissions import can_signing_key_manage

MAX_SEAL_BYTES = 512 * 1024
MIN_SIDE, MAX_SIDE = 64, 2048  # pixels
MAX_ASPECT = 1.25  # longer side / shorter side
FIELD = "file"


@dataclass(frozen=True)
class SealImage:
    width: int
    height: int
    transparent: bool  # some pixel is not fully opaque


def _read_capped(upload) -> bytes:
    upload.seek(0)
    data = upload.read(MAX_SEAL_BYTES + 1)
    upload.seek(0)
    return data


def seal_image_inspect(upload) -> SealImage:
    """The checks on a seal image, each refusal named on the `file` field."""
    if upload is None:
        raise invalid(FIELD, "请选择印章图片（PNG）")
    declared = getattr(upload, "size", None)
    if declared is not None and declared > MAX_SEAL_BYTES:
        raise invalid(FIELD, f"印章图片不能超过512KB（所选文件约{-(-declared // 1024)}KB）")
    data = _read_capped(upload)
    if not data:
        raise invalid(FIELD, "印章图片是空文件")
    if len(data) > MAX_SEAL_BYTES:  # the declared size may lie; the bytes read do not
        raise invalid(FIELD, "印章图片不能超过512KB")
    try:
        image = Image.open(io.BytesIO(data))
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
        raise invalid(FIELD, "印章图片应为PNG格式，所选文件不是可识别的图片") from None
    with image:
        if image.format != "PNG":
            raise invalid(FIELD, f"印章图片应为PNG格式，所选文件是{image.format}图片")
        width, height = image.size  # from the header, before any pixel is decoded
        if not (MIN_SIDE <= width <= MAX_SIDE and MIN_SIDE <= height <= MAX_SIDE):
            raise invalid(
                FIELD, f"印章图片的边长应在{MIN_SIDE}–{MAX_SIDE}像素之间（所选图片为{width}×{height}）"
            )
        if max(width, height) > MAX_ASPECT * min(width, height):
            raise invalid(FIELD, f"印章图片应接近正方形（所选图片为{width}×{height}）")
        try:
            image.load()
        except (OSError, ValueError, SyntaxError):
            raise invalid(FIELD, "PNG文件已损坏，无法读取") from None
        has_alpha = image.mode in ("RGBA", "LA", "PA", "RGBa", "La") or "transparency" in image.info
        transparent = has_alpha and image.convert("RGBA").getchannel("A").getextrema()[0] < 255
    return SealImage(width=width, height=height, transparent=transparent)


@transaction.atomic
def issuer_seal_set(*, actor, department: Department, upload) -> IssuerSeal:
    """Set or replace the department's seal image; the old image is detached."""
    if department is None:
        raise invalid("department_id", "请指定颁发机构")
    if not can_signing_key_manage(actor, department):
        raise PermissionDenied(f"没有管理“{department.name}”电子印章的权限（licenses.key.manage）")
    checked = seal_image_inspect(upload)
    if not isinstance(upload, File):
        upload = File(upload, name=getattr(upload, "name", "") or "seal.png")
    # One replacement at a time per department: two managers' uploads are ordered, not lost.
    Department.objects.select_for_update().filter(pk=department.pk).first()
    attachment = file_attach(actor=actor, owner_type=SEAL_OWNER, owner_id=department.pk, upload=upload)
    seal = IssuerSeal.objects.select_related("attachment").filter(department=department).first()
    old = seal.attachment if seal is not None else None
    if seal is None:
        seal = IssuerSeal(department=department, attachment=attachment)
    seal.attachment = attachment
    seal.width, seal.height, seal.transparent = checked.width, checked.height, checked.transparent
    seal.updated_by, seal.updated_at = actor, timezone.now()
    seal.full_clean()
    seal.save()
    if old is not None and old.pk != attachment.pk:
        file_detach(actor=actor, attachment=old)
    audit.record(
        actor=actor,
        action="licenses.seal.set",
        target=seal,
        changes={
            "department": department.pk,
            "sha256": attachment.file_id,
            "size": f"{checked.width}x{checked.height}",
            "transparent": checked.transparent,
            "replaced": old.file_id if old is not None else None,
        },
    )
    return seal
