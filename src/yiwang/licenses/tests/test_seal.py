"""电子印章: a key manager uploads the issuer's seal image, a refused image is named on its
field, another department's admin cannot touch it, and the holder's PDF carries that image."""

from __future__ import annotations

import io
import os
import re

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw
from pypdf import PdfReader

from yiwang.core.audit.models import AuditRecord
from yiwang.core.errors import InvalidInput, PermissionDenied
from yiwang.core.files.models import Attachment
from yiwang.core.tests import factories
from yiwang.licenses.models import IssuerSeal
from yiwang.licenses.services.seals import issuer_seal_set
from yiwang.licenses.tests import library_fixtures
from yiwang.licenses.tests.library_fixtures import issue_health

pytestmark = pytest.mark.django_db
library = library_fixtures.library  # the fixture, used by name
PAGE = "/workbench/licenses/seal/"


@pytest.fixture(autouse=True)
def _memory_storage(settings):
    # Blobs go to Django's in-memory storage: nothing is written under var/ by the tests.
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    }


def seal_png(width: int = 317, height: int = 301, *, transparent: bool = True) -> bytes:
    image = Image.new("RGBA", (width, height), (0, 0, 0, 0) if transparent else (255, 255, 255, 255))
    ImageDraw.Draw(image).ellipse((8, 8, width - 8, height - 8), outline=(230, 0, 18, 255), width=12)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def upload(content: bytes, name: str = "seal.png", content_type: str = "image/png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


def field_error(html: str, field_id: str) -> str:
    found = re.search(rf'<p class="field-error" id="{re.escape(field_id)}-error">([^<]*)</p>', html)
    return found.group(1) if found else ""


def pdf_images(content: bytes) -> list:
    page = PdfReader(io.BytesIO(content)).pages[0]
    objects = [ref.get_object() for ref in page["/Resources"]["/XObject"].values()]
    return [o for o in objects if o["/Subtype"] == "/Image"]


def test_a_key_manager_uploads_the_seal_and_sees_it_previewed(client, library):
    client.force_login(library.market_admin)
    page = client.get(PAGE)
    assert page.status_code == 200
    html = page.content.decode()
    assert "市市场监督管理局" in html and "尚未上传电子印章" in html and "data:image/png;base64," in html
    response = client.post(f"{PAGE}{library.market.pk}/", {"file": upload(seal_png())})
    assert response.status_code == 302 and response["Location"] == PAGE
    seal = IssuerSeal.objects.get(department=library.market)
    assert (seal.width, seal.height, seal.transparent, seal.updated_by) == (
        317,
        301,
        True,
        library.market_admin,
    )
    html = client.get(PAGE).content.decode()
    preview = f'src="/files/{seal.attachment_id}/"'
    assert preview in html and "317×301" in html and "尚未上传电子印章" not in html
    image = client.get(f"/files/{seal.attachment_id}/")
    assert image.status_code == 200 and image["Content-Type"] == "image/png"
    record = AuditRecord.objects.get(action="licenses.seal.set")
    assert record.actor_id == library.market_admin.pk and record.changes["replaced"] is None


def test_replacing_the_seal_detaches_the_old_image_and_an_opaque_one_is_flagged(client, library):
    first = issuer_seal_set(actor=library.market_admin, department=library.market, upload=upload(seal_png()))
    old_attachment = first.attachment_id
    client.force_login(library.market_admin)
    response = client.post(
        f"{PAGE}{library.market.pk}/", {"file": upload(seal_png(200, 200, transparent=False))}
    )
    assert response.status_code == 302
    seal = IssuerSeal.objects.get(department=library.market)
    assert seal.attachment_id != old_attachment and not Attachment.objects.filter(pk=old_attachment).exists()
    assert (seal.width, seal.transparent) == (200, False)
    assert "建议改用透明背景" in client.get(PAGE).content.decode()
    assert AuditRecord.objects.filter(action="licenses.seal.set").count() == 2


@pytest.mark.parametrize(
    ("content", "name", "reason"),
    [
        (None, "seal.jpg", "印章图片应为PNG格式，所选文件是JPEG图片"),
        (b"GIF-like but no image " * 100, "seal.png", "印章图片应为PNG格式，所选文件不是可识别的图片"),
        ("noise", "seal.png", "印章图片不能超过512KB"),
        ("strip", "seal.png", "印章图片应接近正方形（所选图片为400×100）"),
        ("tiny", "seal.png", "印章图片的边长应在64–2048像素之间（所选图片为32×32）"),
    ],
)
def test_a_refused_image_is_named_on_its_field(client, library, content, name, reason):
    if content is None:
        out = io.BytesIO()
        Image.new("RGB", (300, 300), (230, 0, 18)).save(out, format="JPEG")
        content = out.getvalue()
    elif content == "noise":
        content = seal_png_of(Image.frombytes("RGBA", (600, 600), os.urandom(600 * 600 * 4)))
    elif content == "strip":
        content = seal_png(400, 100)
    elif content == "tiny":
        content = seal_png(32, 32)
    client.force_login(library.market_admin)
    response = client.post(f"{PAGE}{library.market.pk}/", {"file": upload(content, name)})
    assert response.status_code == 400
    html = response.content.decode()
    assert field_error(html, f"file-{library.market.pk}").startswith(reason)
    assert not IssuerSeal.objects.exists() and not Attachment.objects.exists()


def seal_png_of(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def test_no_file_is_named_on_the_field(client, library):
    client.force_login(library.market_admin)
    response = client.post(f"{PAGE}{library.market.pk}/", {})
    assert response.status_code == 400
    assert field_error(response.content.decode(), f"file-{library.market.pk}") == "请选择印章图片（PNG）"


def test_another_departments_admin_cannot_see_or_set_the_seal(client, library):
    police_admin = factories.create_official(department=library.police, role="dept_admin")
    issuer_seal_set(actor=library.market_admin, department=library.market, upload=upload(seal_png()))
    seal = IssuerSeal.objects.get()
    client.force_login(police_admin)
    assert "市市场监督管理局" not in client.get(PAGE).content.decode()
    response = client.post(f"{PAGE}{library.market.pk}/", {"file": upload(seal_png(100, 100))})
    assert response.status_code == 404
    assert client.get(f"/files/{seal.attachment_id}/").status_code == 404
    with pytest.raises(PermissionDenied, match="licenses.key.manage"):
        issuer_seal_set(actor=police_admin, department=library.market, upload=upload(seal_png(100, 100)))
    assert IssuerSeal.objects.get().width == 317


def test_an_official_without_key_management_gets_403_and_a_citizen_404(client, library):
    client.force_login(library.approver)  # issues for the market, keeps no keys
    assert client.get(PAGE).status_code == 403
    assert client.post(f"{PAGE}{library.market.pk}/", {"file": upload(seal_png())}).status_code == 403
    client.force_login(library.citizen)
    assert client.get(PAGE).status_code == 404


def test_the_holders_pdf_embeds_the_uploaded_seal_image(client, library):
    issued = issue_health(library)
    client.force_login(library.citizen)
    before = client.get(f"/me/licenses/{issued.pk}/pdf/")
    assert pdf_images(before.content) == []  # the default seal is drawn, not an image
    issuer_seal_set(actor=library.market_admin, department=library.market, upload=upload(seal_png()))
    after = client.get(f"/me/licenses/{issued.pk}/pdf/")
    images = pdf_images(after.content)
    assert len(images) == 1
    assert (images[0]["/Width"], images[0]["/Height"]) == (317, 301) and "/SMask" in images[0]
    # The holder may open the seal file too: the PDF shows it anyway.
    seal = IssuerSeal.objects.get()
    assert client.get(f"/files/{seal.attachment_id}/").status_code == 200
    client.force_login(library.other_citizen)  # holds nothing from this issuer
    assert client.get(f"/files/{seal.attachment_id}/").status_code == 404


def test_a_seal_whose_file_is_lost_falls_back_to_the_default(client, library, caplog):
    issued = issue_health(library)
    seal = issuer_seal_set(actor=library.market_admin, department=library.market, upload=upload(seal_png()))
    default_storage.delete(seal.attachment.file.storage_name)
    client.force_login(library.citizen)
    response = client.get(f"/me/licenses/{issued.pk}/pdf/")
    assert response.status_code == 200 and pdf_images(response.content) == []
    assert any("电子印章图片" in r.getMessage() for r in caplog.records)


def test_the_service_refuses_a_missing_upload(library):
    with pytest.raises(InvalidInput) as refused:
        issuer_seal_set(actor=library.market_admin, department=library.market, upload=None)
    assert refused.value.fields == {"file": "请选择印章图片（PNG）"}
