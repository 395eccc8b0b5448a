"""The licence PDF verifies offline (issue 4 §4): it carries the signed licence JSON as the
attachment `license.json`, and the 证照核验 page and the API accept the PDF as well as the JSON."""

from __future__ import annotations

import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from pypdf import PdfReader, PdfWriter

from yiwang.licenses.services.revising import license_revoke
from yiwang.licenses.services.verification import MAX_PDF_BYTES
from yiwang.licenses.tests import library_fixtures
from yiwang.licenses.tests.library_fixtures import issue_food, issue_health
from yiwang.licenses.tests.test_pages_public import reason, verdict

pytestmark = pytest.mark.django_db
library = library_fixtures.library  # the fixture, used by name
VERIFY = "/licenses/verify/"
API_VERIFY_FILE = "/api/v1/licenses/verify/file"
WALLET = "/me/licenses/"
NO_SIGNED_DATA = "该PDF不含电子证照签名数据"


def downloads(client, holder, license_) -> tuple[bytes, bytes]:
    """The holder's PDF and signed JSON downloads of the licence."""
    client.force_login(holder)
    pdf = client.get(f"{WALLET}{license_.pk}/pdf/")
    signed = client.get(f"{WALLET}{license_.pk}/signed.json")
    assert pdf.status_code == 200 and signed.status_code == 200
    client.logout()
    return pdf.content, signed.content


def rebuilt(pdf: bytes, attachment: bytes | None) -> bytes:
    """The same pages in a new PDF, with `attachment` as its license.json (or none)."""
    writer = PdfWriter()
    for page in PdfReader(io.BytesIO(pdf)).pages:
        writer.add_page(page)
    if attachment is not None:
        writer.add_attachment("license.json", attachment)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def upload_page(client, content: bytes, name: str = "证照.pdf"):
    file = SimpleUploadedFile(name, content, content_type="application/pdf")
    response = client.post(VERIFY, {"document": file})
    return response, response.content.decode()


def upload_api(content: bytes, name: str = "证照.pdf"):
    file = SimpleUploadedFile(name, content, content_type="application/pdf")
    return Client().post(API_VERIFY_FILE, {"document": file})


def test_the_downloaded_pdf_carries_the_signed_json_download_as_license_json(client, library):
    pdf, signed = downloads(client, library.enterprise, issue_food(library))
    attachments = PdfReader(io.BytesIO(pdf)).attachments
    assert list(attachments) == ["license.json"]
    assert attachments["license.json"] == [signed]
    assert json.loads(attachments["license.json"][0])["payload"]["holder_name"] == "示范餐饮有限公司"


def test_the_downloaded_pdf_verifies_valid_on_the_page_and_through_the_api(client, library):
    issued = issue_food(library)
    pdf, _ = downloads(client, library.enterprise, issued)
    response, html = upload_page(client, pdf)
    assert response.status_code == 200
    assert verdict(html) == "有效" and "签名验证通过" in reason(html)
    assert issued.identifier in html and "示范餐饮有限公司" in html
    answer = upload_api(pdf)
    assert answer.status_code == 200
    assert answer.json()["status"] == "valid" and answer.json()["status_label"] == "有效"
    assert answer.json()["identifier"] == issued.identifier


def test_the_api_file_endpoint_also_takes_the_signed_json(client, library):
    _, signed = downloads(client, library.enterprise, issue_food(library))
    assert upload_api(signed, "licence.json").json()["status"] == "valid"


def test_a_pdf_whose_embedded_json_was_altered_is_forged(client, library):
    pdf, signed = downloads(client, library.enterprise, issue_food(library))
    document = json.loads(signed)
    document["payload"]["valid_until"] = "2099-12-31"
    altered = rebuilt(pdf, json.dumps(document, ensure_ascii=False).encode())
    response, html = upload_page(client, altered)
    assert response.status_code == 200
    assert verdict(html) == "伪造或无效" and "签名无效" in reason(html)
    answer = upload_api(altered).json()
    assert answer["status"] == "forged" and "签名无效" in answer["reason"]


def test_a_pdf_without_the_signed_data_says_so(client, library):
    pdf, _ = downloads(client, library.citizen, issue_health(library))
    bare = rebuilt(pdf, None)
    response, html = upload_page(client, bare)
    assert response.status_code == 200
    assert verdict(html) == "伪造或无效" and reason(html) == NO_SIGNED_DATA
    answer = upload_api(bare).json()
    assert answer["status"] == "forged" and answer["reason"] == NO_SIGNED_DATA


def test_a_garbage_file_is_refused_with_a_clear_reason_never_a_500(client, db):
    broken_pdf = b"%PDF-1.7\n" + b"\x00\xff garbage " * 50
    response, html = upload_page(client, broken_pdf)
    assert response.status_code == 400
    assert '<p class="field-error" id="document-error">无法读取该PDF文件（文件已损坏或格式无效）</p>' in html
    answer = upload_api(broken_pdf)
    assert answer.status_code in (400, 422)
    assert answer.json()["error"]["fields"]["document"] == "无法读取该PDF文件（文件已损坏或格式无效）"
    response, html = upload_page(client, b"\x89PNG not a licence", "seal.png")
    assert response.status_code == 400 and "不是有效的 JSON 签名证照文件" in html
    assert (
        "不是有效的 JSON 签名证照文件" in upload_api(b"GIF89a", "x.gif").json()["error"]["fields"]["document"]
    )
    assert Client().post(API_VERIFY_FILE, {}).status_code == 422


def test_a_pdf_larger_than_the_limit_is_refused(client, db):
    huge = b"%PDF-1.7\n" + b"0" * MAX_PDF_BYTES
    answer = upload_api(huge)
    assert answer.status_code in (400, 422) and "PDF文件过大" in answer.json()["error"]["fields"]["document"]
    response, html = upload_page(client, huge)
    assert response.status_code == 400 and "文件过大" in html


def test_a_revoked_licences_pdf_says_revoked(client, library):
    issued = issue_health(library)
    pdf, _ = downloads(client, library.citizen, issued)
    license_revoke(actor=library.approver, license=issued, reason="注销")
    response, html = upload_page(client, pdf)
    assert verdict(html) == "已吊销" and "被颁发机构吊销" in reason(html)
    assert upload_api(pdf).json()["status"] == "revoked"
    # Downloaded after the revocation, the stamped PDF says the same.
    stamped, _ = downloads(client, library.citizen, issued)
    assert upload_api(stamped).json()["status"] == "revoked"
