"""Documents the platform writes itself (受理回执, 决定文书) kept as attachments of the
application (owner type `services.application`), so the applicant's pages and the officials'
pages download them like any other file of the application.

`core.files.services.file_attach` is for uploads: it sniffs and size-checks what a person
sends and asks the owner registry whether that person may attach. A generated PDF is neither
untrusted nor attached by a person's choice — it is made inside the move that the handling
service (or the workflow task page) already permitted — so it is stored here, the same way:
content-addressed under `storage_name_for` (one blob per SHA-256) and audited.
"""

from __future__ import annotations

import hashlib

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from yiwang.core.audit import services as audit
from yiwang.core.files.models import Attachment, StoredFile
from yiwang.core.files.services import storage_name_for

APPLICATION_OWNER = "services.application"
PDF_TYPE = "application/pdf"


def attach_generated_pdf(*, actor, application, name: str, data: bytes) -> Attachment:
    """Store `data` (a PDF made by the platform) and attach it to `application`."""
    if not data.startswith(b"%PDF-"):
        raise ValueError("generated document is not a PDF")
    sha256 = hashlib.sha256(data).hexdigest()
    stored = StoredFile.objects.filter(pk=sha256).first()
    if stored is None:
        storage_name = storage_name_for(sha256, "pdf")
        if not default_storage.exists(storage_name):
            storage_name = default_storage.save(storage_name, ContentFile(data))
        stored, _ = StoredFile.objects.get_or_create(
            sha256=sha256,
            defaults={
                "size": len(data),
                "content_type": PDF_TYPE,
                "extension": "pdf",
                "storage_name": storage_name,
            },
        )
    authenticated = actor is not None and getattr(actor, "is_authenticated", False)
    attachment = Attachment.objects.create(
        file=stored,
        owner_type=APPLICATION_OWNER,
        owner_id=str(application.pk),
        name=name,
        uploaded_by=actor if authenticated else None,
    )
    audit.record(
        actor=actor,
        action="services.application.document_generated",
        target=attachment,
        changes={"application": application.pk, "name": name, "sha256": sha256, "size": len(data)},
    )
    return attachment


def read_attachment_bytes(attachment: Attachment) -> bytes:
    with default_storage.open(attachment.file.storage_name, "rb") as handle:
        return handle.read()
