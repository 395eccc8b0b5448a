from datetime import datetime

from django.urls import reverse
from ninja import Schema


class AttachmentOut(Schema):
    id: int
    name: str
    size: int
    content_type: str
    extension: str
    sha256: str
    owner_type: str
    owner_id: str
    uploaded_by_id: int | None
    created_at: datetime
    content_url: str

    @staticmethod
    def resolve_size(obj) -> int:
        return obj.file.size

    @staticmethod
    def resolve_content_type(obj) -> str:
        return obj.file.content_type

    @staticmethod
    def resolve_extension(obj) -> str:
        return obj.file.extension

    @staticmethod
    def resolve_sha256(obj) -> str:
        return obj.file_id

    @staticmethod
    def resolve_content_url(obj) -> str:
        return reverse("api:file_content", kwargs={"attachment_id": obj.pk})
