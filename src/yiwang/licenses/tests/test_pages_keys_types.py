"""The workbench's 签名密钥 and 证照类型 pages: generate, rotate and revoke a department's keys
(never another department's, never a private key shown), and create and edit licence types
with every refusal beside its input and a stale edit told so."""

from __future__ import annotations

import re

import pytest

from yiwang.core.tests import factories
from yiwang.licenses.models import KeyStatus, LicenseType, SigningKey
from yiwang.licenses.services.verification import license_verify_identifier
from yiwang.licenses.tests import library_fixtures
from yiwang.licenses.tests.library_fixtures import issue_food

pytestmark = pytest.mark.django_db
library = library_fixtures.library  # the fixture, used by name
KEYS = "/workbench/licenses/keys/"
TYPES = "/workbench/licenses/types/"


def field_error(html: str, field_id: str) -> str:
    found = re.search(rf'<p class="field-error" id="{re.escape(field_id)}-error">([^<]*)</p>', html)
    return found.group(1) if found else ""


def test_the_keys_page_lists_the_departments_keys_without_any_private_key(client, library):
    client.force_login(library.market_admin)
    html = client.get(KEYS).content.decode()
    assert library.key.key_id in html and library.key.fingerprint in html and "在用" in html
    assert "PRIVATE KEY" not in html and library.key.private_pem_encrypted not in html
    assert "吊销后该密钥签发的所有证照核验为伪造" in html
    list_html = client.get("/workbench/licenses/").content.decode()
    assert f'href="{KEYS}"' in list_html and f'href="{TYPES}"' not in list_html
    client.force_login(library.sys_admin)
    list_html = client.get("/workbench/licenses/").content.decode()
    assert f'href="{KEYS}"' in list_html and f'href="{TYPES}"' in list_html


def test_generating_an_ed25519_key_then_rotating_the_sm2_key_retires_the_old_one(client, library):
    client.force_login(library.market_admin)
    url = f"{KEYS}{library.market.pk}/generate/"
    response = client.post(url, {"algorithm": "Ed25519"}, follow=True)
    assert response.status_code == 200 and "已为“市市场监督管理局”生成签名密钥" in response.content.decode()
    assert SigningKey.objects.filter(department=library.market, status=KeyStatus.ACTIVE).count() == 2
    client.post(url, {"algorithm": "SM2-SM3"})
    old = SigningKey.objects.get(pk=library.key.pk)
    assert old.status == KeyStatus.RETIRED and old.retired_at is not None
    active_sm2 = SigningKey.objects.get(department=library.market, algorithm="SM2-SM3", status="active")
    html = client.get(KEYS).content.decode()
    assert active_sm2.key_id in html and "已轮换" in html


def test_an_unknown_algorithm_is_named_on_its_field(client, library):
    client.force_login(library.market_admin)
    response = client.post(f"{KEYS}{library.market.pk}/generate/", {"algorithm": "RSA"})
    assert response.status_code == 400
    html = response.content.decode()
    assert field_error(html, f"algorithm-{library.market.pk}") == "签名算法应为 SM2-SM3 或 Ed25519"


def test_revoking_needs_a_reason_then_its_licences_verify_as_forged(client, library):
    issued = issue_food(library)
    client.force_login(library.market_admin)
    url = f"{KEYS}{library.key.pk}/revoke/"
    response = client.post(url, {"reason": "  "})
    assert response.status_code == 400
    assert field_error(response.content.decode(), f"reason-key{library.key.pk}") == "请填写吊销原因"
    assert SigningKey.objects.get(pk=library.key.pk).status == KeyStatus.ACTIVE
    response = client.post(url, {"reason": "私钥疑似泄露"}, follow=True)
    assert "核验时将显示为伪造" in response.content.decode()
    key = SigningKey.objects.get(pk=library.key.pk)
    assert key.status == KeyStatus.REVOKED and key.revoked_reason == "私钥疑似泄露"
    result = license_verify_identifier(issued.identifier)
    assert (result.status, result.reason) == ("forged", "签名密钥已吊销")
    again = client.post(url, {"reason": "再次吊销"})
    assert again.status_code == 409 and "已于" in again.content.decode()


def test_another_departments_admin_can_neither_see_nor_touch_the_keys(client, library):
    police_admin = factories.create_official(department=library.police, role="dept_admin")
    client.force_login(police_admin)
    html = client.get(KEYS).content.decode()
    assert "市公安局" in html and library.key.key_id not in html
    assert client.post(f"{KEYS}{library.market.pk}/generate/", {"algorithm": "SM2-SM3"}).status_code == 404
    assert client.post(f"{KEYS}{library.key.pk}/revoke/", {"reason": "越权"}).status_code == 404
    assert SigningKey.objects.get(pk=library.key.pk).status == KeyStatus.ACTIVE
    client.force_login(library.approver)  # issues licences, holds no key
    assert client.get(KEYS).status_code == 403
    assert client.get(TYPES).status_code == 403
    client.force_login(library.market_admin)  # keys yes, types no
    assert client.get(f"{TYPES}new/").status_code == 403


def test_creating_a_type_with_errors_names_each_field(client, library):
    client.force_login(library.sys_admin)
    listed = client.get(TYPES).content.decode()
    assert "食品经营许可证" in listed and "健康证明" in listed
    assert 'name="fields_text"' in client.get(f"{TYPES}new/").content.decode()
    response = client.post(f"{TYPES}new/", {})
    html = response.content.decode()
    assert response.status_code == 400
    assert field_error(html, "code") == "请填写证照类型代码"
    assert field_error(html, "name") == "请填写证照名称"
    assert field_error(html, "issuers") == "请至少选择一个颁发机构"
    form = {
        "code": f"{library.market.uscc}01X",
        "name": "犬只登记证",
        "holder_kind": "citizen",
        "defining_department": library.market.pk,
        "issuers": [library.market.pk],
        "fields_text": "breed|犬种|text|是\nBad Name|毛色|text\ncolour|毛色|colour\nsize|体型|enum|是|",
        "validity_kind": "years",
        "validity_count": "2",
        "accent": "blue",
        "order": "breed,tail",
    }
    response = client.post(f"{TYPES}new/", form)
    html = response.content.decode()
    assert response.status_code == 400
    assert "21位" in field_error(html, "code")
    errors = field_error(html, "fields_text")
    assert (
        "第2行：名称应为小写字母开头" in errors and "第3行：类型应为" in errors and "第4行：枚举项" in errors
    )
    assert field_error(html, "accent") == "主色应为 #rrggbb 形式的颜色"
    assert not LicenseType.objects.filter(name="犬只登记证").exists()
    form.update(
        code=f"{library.market.uscc}010",
        fields_text="breed|犬种|text|是\nsize|体型|enum|否|大型,中型,小型",
        accent="#336699",
        order="size,breed",
        replaces="犬只免疫证明\n照片",
    )
    response = client.post(f"{TYPES}new/", form, follow=True)
    assert "已新增证照类型“犬只登记证”" in response.content.decode()
    created = LicenseType.objects.get(code=form["code"])
    assert created.fields[1] == {
        "name": "size",
        "label": "体型",
        "type": "enum",
        "required": False,
        "choices": ["大型", "中型", "小型"],
    }
    assert created.validity == {"years": 2} and created.layout == {
        "accent": "#336699",
        "order": ["size", "breed"],
    }
    assert created.replaces == ["犬只免疫证明", "照片"]


def edit_form(client, url) -> dict:
    html = client.get(url).content.decode()
    version = re.search(r'name="version" value="(\d+)"', html).group(1)
    return {
        "name": "健康证明（食品从业）",
        "fields_text": re.search(r'name="fields_text"[^>]*>\s*([^<]*)</textarea>', html).group(1),
        "validity_kind": "long_term",
        "version": version,
        "is_active": "on",
    }


def test_editing_a_type_keeps_its_code_and_a_stale_version_gets_409(client, library):
    client.force_login(library.sys_admin)
    url = f"{TYPES}{library.health_type.pk}/"
    form = edit_form(client, url)
    form["issuers"] = [library.market.pk]
    response = client.post(url, {**form, "code": "X"}, follow=True)
    assert "已保存证照类型" in response.content.decode()
    edited = LicenseType.objects.get(pk=library.health_type.pk)
    assert edited.name == "健康证明（食品从业）" and edited.validity == {"long_term": True}
    assert edited.code == library.health_type.code and edited.version == library.health_type.version + 1
    stale = client.post(url, {**form, "name": "健康证明（旧页面）"})  # the version read before
    assert stale.status_code == 409
    assert "已被他人修改" in stale.content.decode()
    assert LicenseType.objects.get(pk=library.health_type.pk).name == "健康证明（食品从业）"
