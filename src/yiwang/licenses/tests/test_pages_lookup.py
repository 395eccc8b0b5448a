"""用证查询 on the workbench: an official with licenses.use finds a holder's valid licence by
code, type and purpose — or 未找到有效证照 — every look-up logged, the holder seeing the use."""

from __future__ import annotations

import re

import pytest

from yiwang.core.audit.models import AuditRecord
from yiwang.core.tests import factories
from yiwang.licenses.models import LicenseUse
from yiwang.licenses.services.revising import license_revoke
from yiwang.licenses.tests import library_fixtures
from yiwang.licenses.tests.library_fixtures import issue_food, issue_health

pytestmark = pytest.mark.django_db
library = library_fixtures.library  # the fixture, used by name
PAGE = "/workbench/licenses/lookup/"


def field_error(html: str, field_id: str) -> str:
    found = re.search(rf'<p class="field-error" id="{re.escape(field_id)}-error">([^<]*)</p>', html)
    return found.group(1) if found else ""


def look_up(client, lib, **overrides):
    data = {
        "holder_code": lib.enterprise.uscc,
        "type": lib.food_type.code,
        "purpose": "办理食品经营许可",
        **overrides,
    }
    response = client.post(PAGE, data)
    return response, response.content.decode()


def test_a_window_clerk_finds_the_valid_licence_with_its_fields(client, library):
    issued = issue_food(library)
    client.force_login(library.clerk)  # another department: 免提交 crosses departments
    page = client.get(PAGE)
    assert page.status_code == 200 and f'<option value="{library.food_type.code}">' in page.content.decode()
    response, html = look_up(client, library)
    assert response.status_code == 200
    assert issued.identifier in html and "JY23301000000001" in html and "市市场监督管理局" in html
    assert (
        "<dt>经营项目</dt><dd>热食类食品制售</dd>" in html
        and "<dt>主体业态</dt><dd>餐饮服务经营者</dd>" in html
    )
    assert '<span class="status status-valid">有效</span>' in html and library.enterprise.uscc in html
    assert "no-store" in response["Cache-Control"]
    use = LicenseUse.objects.get()
    assert (use.license, use.used_by, use.purpose) == (issued, library.clerk, "办理食品经营许可")


def test_nothing_valid_is_reported_and_the_look_up_still_logged(client, library):
    issued = issue_health(library)
    license_revoke(actor=library.approver, license=issued, reason="注销")
    client.force_login(library.clerk)
    response, html = look_up(
        client, library, holder_code=library.citizen.id_number, type=library.health_type.code
    )
    assert response.status_code == 200 and "未找到有效证照" in html and issued.identifier not in html
    assert not LicenseUse.objects.exists()
    record = AuditRecord.objects.get(action="licenses.license.looked_up")
    assert record.actor_id == library.clerk.pk and record.changes["purpose"] == "办理食品经营许可"


def test_a_wrong_code_is_named_on_its_field(client, library):
    client.force_login(library.clerk)
    uscc = library.enterprise.uscc
    wrong = uscc[:-1] + ("0" if uscc[-1] != "0" else "1")
    response, html = look_up(client, library, holder_code=wrong)
    assert response.status_code == 400 and field_error(html, "holder_code") == "统一社会信用代码校验位错误"
    id_number = library.citizen.id_number
    wrong_id = id_number[:-1] + ("0" if id_number[-1] != "0" else "1")
    response, html = look_up(client, library, holder_code=wrong_id, type=library.health_type.code)
    assert field_error(html, "holder_code") == "身份证号校验位错误"
    response, html = look_up(client, library, holder_code=id_number)  # a person's code for a firm's licence
    assert field_error(html, "holder_code") == "该证照的持证主体是法人，请填写统一社会信用代码"
    response, html = look_up(client, library, holder_code=factories.make_uscc())
    assert field_error(html, "holder_code") == "未找到该持证主体的账号"
    assert not AuditRecord.objects.filter(action__startswith="licenses.license.").exists()


def test_purpose_and_type_are_required(client, library):
    client.force_login(library.clerk)
    response, html = look_up(client, library, purpose=" ", type="")
    assert response.status_code == 400
    assert field_error(html, "purpose") == "请填写用证事由" and field_error(html, "type") == "请选择证照类型"
    response, html = look_up(client, library, type="NOPE")
    assert field_error(html, "type") == "证照类型不存在"


def test_a_citizen_cannot_open_the_page_and_an_official_without_the_right_gets_403(client, library):
    client.force_login(library.citizen)
    assert client.get(PAGE).status_code == 404
    assert look_up(client, library)[0].status_code == 404
    client.force_login(factories.create_official(department=library.police, role="handler"))
    assert client.get(PAGE).status_code == 403
    assert look_up(client, library)[0].status_code == 403
    assert not AuditRecord.objects.filter(action__startswith="licenses.license.").exists()


def test_the_holder_sees_the_use_in_their_records(client, library):
    issued = issue_food(library)
    client.force_login(library.clerk)
    look_up(client, library, purpose="办理食品经营许可延续")
    client.force_login(library.enterprise)
    for page in (f"/me/licenses/{issued.pk}/", "/me/licenses/uses/"):
        html = client.get(page).content.decode()
        assert "窗口人员" in html and "办理食品经营许可延续" in html


def test_the_clerk_finds_the_page_in_the_navigation(client, library):
    client.force_login(library.clerk)
    assert f'href="{PAGE}"' in client.get("/workbench/").content.decode()
    client.force_login(library.approver)
    assert f'href="{PAGE}"' in client.get("/workbench/licenses/").content.decode()
