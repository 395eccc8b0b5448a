"""我的证照 pages: the holder's list and licence, the PDF and signed JSON, a share link that
works and then expires, 用证记录 — and nothing of another holder's."""

from __future__ import annotations

import io
import json
import re
from datetime import datetime, timedelta

import pytest
import segno
import time_machine
from django.utils import timezone
from pypdf import PdfReader

from yiwang.core.audit.models import AuditRecord
from yiwang.licenses.rendering import QR_FORM
from yiwang.licenses.services.reuse import license_lookup
from yiwang.licenses.services.revising import license_revoke
from yiwang.licenses.services.verification import license_verify_signed
from yiwang.licenses.tests import library_fixtures
from yiwang.licenses.tests.library_fixtures import issue_food, issue_health

pytestmark = pytest.mark.django_db
library = library_fixtures.library  # the fixture, used by name
WALLET = "/me/licenses/"


def test_the_wallet_lists_only_the_holders_own_licences_with_their_status(client, library):
    mine = issue_health(library)
    revoked = issue_health(library, number="JK2026-0002")
    license_revoke(actor=library.approver, license=revoked, reason="重复颁发")
    theirs = issue_health(library, holder=library.other_citizen, number="JK2026-0099")
    client.force_login(library.citizen)
    html = client.get(WALLET).content.decode()
    assert f'href="{WALLET}{mine.pk}/"' in html and f'href="{WALLET}{revoked.pk}/"' in html
    assert f'href="{WALLET}{theirs.pk}/"' not in html and "JK2026-0099" not in html
    assert '<span class="status status-valid">有效</span>' in html
    assert '<span class="status status-revoked">已吊销</span>' in html


def test_another_holders_licence_and_its_files_are_not_found(client, library):
    theirs = issue_health(library, holder=library.other_citizen)
    client.force_login(library.citizen)
    for suffix in ("", "pdf/", "signed.json"):
        assert client.get(f"{WALLET}{theirs.pk}/{suffix}").status_code == 404
    assert client.post(f"{WALLET}{theirs.pk}/share/", {"hours": "1"}).status_code == 404


def test_the_wallet_needs_sign_in(client, library):
    response = client.get(WALLET)
    assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_the_detail_shows_the_licences_fields_and_the_masked_code_and_the_read_is_audited(client, library):
    issued = issue_health(library)
    client.force_login(library.citizen)
    response = client.get(f"{WALLET}{issued.pk}/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "<dt>从业类别</dt><dd>食品从业人员</dd>" in html
    id_number = library.citizen.id_number
    assert f"{id_number[:6]}********{id_number[-4:]}" in html and id_number not in html
    assert AuditRecord.objects.filter(action="licenses.license.read", actor_id=library.citizen.pk).exists()


def qr_matrix(reader: PdfReader) -> list[bytearray]:
    """The QR code's modules as drawn on the first page (as test_rendering reads them)."""
    page = reader.pages[0]
    form = page["/Resources"]["/XObject"][f"/FormXob.{QR_FORM}"].get_object()
    size = int(form["/BBox"][2])
    drawn = [bytearray(size) for _ in range(size)]
    for x, y, width in re.findall(rb"(\d+) (\d+) (\d+) 1 re", form.get_data()):
        for column in range(int(x), int(x) + int(width)):
            drawn[size - 1 - int(y)][column] = 1
    return drawn


def test_the_pdf_download_is_the_licence_with_its_title_identifier_and_qr_to_this_site(client, library):
    issued = issue_health(library)
    client.force_login(library.citizen)
    response = client.get(f"{WALLET}{issued.pk}/pdf/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "attachment;" in response["Content-Disposition"]
    reader = PdfReader(io.BytesIO(response.content))
    assert reader.metadata.title == f"健康证明 {issued.identifier}"
    text = re.sub(r"\s+", "", "".join(page.extract_text() for page in reader.pages))
    assert "健康证明" in text and issued.identifier in text and "食品从业人员" in text
    assert "已吊销" not in text
    verify_url = f"http://testserver/licenses/verify/{issued.identifier}/"
    assert qr_matrix(reader) == list(segno.make(verify_url, error="m", boost_error=False).matrix)
    assert AuditRecord.objects.filter(
        action="licenses.license.downloaded", actor_id=library.citizen.pk
    ).exists()


def test_a_revoked_licences_pdf_is_stamped_revoked(client, library):
    issued = issue_health(library)
    license_revoke(actor=library.approver, license=issued, reason="注销")
    client.force_login(library.citizen)
    reader = PdfReader(io.BytesIO(client.get(f"{WALLET}{issued.pk}/pdf/").content))
    assert "已吊销" in "".join(page.extract_text() for page in reader.pages)


def test_the_signed_json_download_verifies_offline(client, library):
    issued = issue_food(library)
    client.force_login(library.enterprise)
    response = client.get(f"{WALLET}{issued.pk}/signed.json")
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    document = json.loads(response.content)
    assert document["payload"]["identifier"] == issued.identifier
    assert license_verify_signed(document).status == "valid"


def share(client, license_id: int, hours: str):
    response = client.post(f"{WALLET}{license_id}/share/", {"hours": hours})
    return response, response.content.decode()


def test_a_share_link_is_shown_once_works_and_then_expires(client, library):
    start = timezone.make_aware(datetime(2026, 5, 4, 9, 0))
    with time_machine.travel(start, tick=False):
        issued = issue_health(library)
        client.force_login(library.citizen)
        response, html = share(client, issued.pk, "1")
        assert response.status_code == 200
        url = re.search(r'id="share-url" class="secret share-url" value="([^"]+)"', html).group(1)
        assert url.startswith("http://testserver/licenses/shared/")
        assert 'id="share-url"' not in client.get(f"{WALLET}{issued.pk}/").content.decode()  # once
        client.logout()
        opened = client.get(url)
        page = opened.content.decode()
        assert opened.status_code == 200
        assert "有效" in page and "张三丰" in page and "JK2026-0001" in page
        assert library.citizen.id_number not in page and "食品从业人员" not in page
    with time_machine.travel(start + timedelta(hours=1, minutes=1), tick=False):
        gone = client.get(url)
    assert gone.status_code == 410
    assert "链接已失效" in gone.content.decode()


def test_a_share_duration_outside_the_choices_is_named_on_its_field(client, library):
    issued = issue_health(library)
    client.force_login(library.citizen)
    response, html = share(client, issued.pk, "5000")
    assert response.status_code == 400
    assert '<p class="field-error" id="hours-error">链接有效时长应为1小时、1天或7天</p>' in html


def test_a_revoked_licence_cannot_be_shared(client, library):
    issued = issue_health(library)
    license_revoke(actor=library.approver, license=issued, reason="注销")
    client.force_login(library.citizen)
    assert "只能分享有效期内的有效证照" in client.get(f"{WALLET}{issued.pk}/").content.decode()
    response, html = share(client, issued.pk, "1")
    assert response.status_code == 409 and "只能分享有效期内的有效证照" in html


def test_the_holder_sees_who_used_the_licence_and_when(client, library):
    issued = issue_health(library)
    license_lookup(
        actor=library.clerk,
        holder=library.citizen,
        type_code=library.health_type.code,
        purpose="办理餐饮许可",
    )
    client.force_login(library.citizen)
    for page in (f"{WALLET}{issued.pk}/", f"{WALLET}uses/"):
        html = client.get(page).content.decode()
        assert "窗口人员" in html and "办理餐饮许可" in html


def test_the_navigation_offers_the_wallet_to_citizens_and_the_licences_to_issuing_officials(client, library):
    client.force_login(library.citizen)
    assert f'href="{WALLET}"' in client.get("/me/").content.decode()
    client.force_login(library.approver)
    html = client.get("/workbench/").content.decode()
    assert f'href="{WALLET}"' not in html and 'href="/workbench/licenses/"' in html
    client.force_login(library.clerk)  # uses licences, issues none
    assert 'href="/workbench/licenses/"' not in client.get("/workbench/").content.decode()
