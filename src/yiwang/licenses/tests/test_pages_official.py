"""The officials' licence pages: the list in scope with its filters, 颁发 with every error named
on its field, 吊销 and 变更 — and nothing of another department's licences."""

from __future__ import annotations

import re

import pytest

from yiwang.core.tests import factories
from yiwang.licenses.models import License, LicenseStatus
from yiwang.licenses.services.revising import license_revoke
from yiwang.licenses.services.verification import license_verify_identifier
from yiwang.licenses.tests import library_fixtures
from yiwang.licenses.tests.library_fixtures import issue_food, issue_health

pytestmark = pytest.mark.django_db
library = library_fixtures.library  # the fixture, used by name
LIST = "/workbench/licenses/"
ISSUE = "/workbench/licenses/issue/"


def field_error(html: str, field_id: str) -> str:
    found = re.search(rf'<p class="field-error" id="{re.escape(field_id)}-error">([^<]*)</p>', html)
    return found.group(1) if found else ""


def test_the_list_shows_the_departments_licences_filtered_by_status_and_identifier(client, library):
    food = issue_food(library)
    health = issue_health(library)
    license_revoke(actor=library.approver, license=health, reason="注销")
    client.force_login(library.approver)
    html = client.get(LIST).content.decode()
    assert food.identifier in html and health.identifier in html
    html = client.get(LIST, {"status": "revoked"}).content.decode()
    assert health.identifier in html and food.identifier not in html
    html = client.get(LIST, {"q": food.identifier[-12:].lower()}).content.decode()
    assert food.identifier in html and health.identifier not in html
    html = client.get(LIST, {"type": library.health_type.pk}).content.decode()
    assert health.identifier in html and food.identifier not in html


def test_the_list_query_count_does_not_grow_with_the_rows(client, library, django_assert_max_num_queries):
    for number in range(5):
        issue_health(library, number=f"JK-{number}")
    client.force_login(library.approver)
    with django_assert_max_num_queries(8):
        assert client.get(LIST).status_code == 200


def test_an_official_of_another_department_sees_none_of_its_licences(client, library):
    issued = issue_food(library)
    client.force_login(library.police_approver)
    assert issued.identifier not in client.get(LIST).content.decode()
    assert client.get(f"{LIST}{issued.pk}/").status_code == 404
    response = client.post(f"{LIST}{issued.pk}/revoke/", {"revoke-reason": "越权"})
    assert response.status_code == 404
    assert License.objects.get(pk=issued.pk).status == LicenseStatus.VALID


def test_who_may_not_issue_or_revoke_gets_403_and_citizens_404(client, library):
    client.force_login(library.clerk)  # uses licences, issues none
    assert client.get(LIST).status_code == 403
    assert client.get(ISSUE).status_code == 403
    client.force_login(library.citizen)
    assert client.get(LIST).status_code == 404


def test_the_issue_form_offers_the_types_then_an_input_per_field(client, library):
    client.force_login(library.approver)
    html = client.get(ISSUE).content.decode()
    assert "食品经营许可证" in html and "健康证明" in html and 'name="number"' not in html
    html = client.get(ISSUE, {"type": library.food_type.pk}).content.decode()
    for label in (
        "持证单位统一社会信用代码",
        "证照编号",
        "经营项目",
        "主体业态",
        "注册资本（万元）",
        "成立日期",
    ):
        assert f">{label}" in html
    assert '<select name="data_category"' in html and 'type="date" name="data_founded_on"' in html


def test_issuing_with_everything_missing_names_every_field(client, library):
    client.force_login(library.approver)
    response = client.post(f"{ISSUE}?type={library.food_type.pk}", {})
    html = response.content.decode()
    assert response.status_code == 400
    assert field_error(html, "holder_code") == "请填写持证单位统一社会信用代码"
    assert field_error(html, "number") == "请填写证照编号"
    assert field_error(html, "data_business_scope") == "请填写经营项目"
    assert field_error(html, "data_category") == "请选择主体业态"
    assert field_error(html, "data_capital") == ""  # optional
    assert '<input type="text" name="holder_code"' in html and 'aria-invalid="true"' in html
    assert not License.objects.exists()


def valid_food_form(library, **changes) -> dict:
    form = {
        "holder_code": library.enterprise.uscc,
        "number": "JY-PAGE-1",
        "data_business_scope": "热食类食品制售",
        "data_category": "餐饮服务经营者",
        "data_capital": "100.5",
    }
    return {**form, **changes}


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"holder_code": "91330100MA2ABCDE1X"}, "holder_code", "校验"),
        ({"holder_code": factories.make_uscc()}, "holder_code", "未找到该持证主体的账号"),
        ({"data_capital": "很多"}, "data_capital", "“注册资本（万元）”应为数字"),
        ({"data_founded_on": "2026-13-01"}, "data_founded_on", "成立日期应按 年-月-日 填写"),
        (
            {"valid_from": "2026-05-01", "valid_until": "2026-04-01"},
            "valid_until",
            "有效期截止不能早于有效期起始",
        ),
    ],
    ids=["uscc-check", "no-such-holder", "number", "date", "dates-order"],
)
def test_issuing_with_a_bad_value_names_its_field(client, library, changes, field, message):
    client.force_login(library.approver)
    response = client.post(f"{ISSUE}?type={library.food_type.pk}", valid_food_form(library, **changes))
    assert response.status_code == 400
    assert message in field_error(response.content.decode(), field)


def test_a_citizen_cannot_hold_a_legal_persons_licence(client, library):
    client.force_login(library.approver)
    form = valid_food_form(library, holder_code=library.citizen.id_number)
    html = client.post(f"{ISSUE}?type={library.food_type.pk}", form).content.decode()
    assert field_error(html, "holder_code") == "“食品经营许可证”的持证主体应为法人（企业）账号"


def test_issuing_through_the_page_signs_a_valid_licence_and_shows_it(client, library):
    client.force_login(library.approver)
    response = client.post(f"{ISSUE}?type={library.food_type.pk}", valid_food_form(library), follow=True)
    issued = License.objects.get()
    assert response.redirect_chain[-1][0] == f"{LIST}{issued.pk}/"
    html = response.content.decode()
    assert f"已颁发电子证照 {issued.identifier}" in html
    assert (
        "<dt>经营项目</dt><dd>热食类食品制售</dd>" in html
        and "<dt>注册资本（万元）</dt><dd>100.5</dd>" in html
    )
    assert (issued.holder_id, issued.number) == (library.enterprise.pk, "JY-PAGE-1")
    assert license_verify_identifier(issued.identifier).status == "valid"


def test_revoking_needs_a_reason_then_verifiers_see_it_at_once(client, library):
    issued = issue_food(library)
    client.force_login(library.approver)
    response = client.post(f"{LIST}{issued.pk}/revoke/", {"revoke-reason": "  "})
    assert response.status_code == 400
    assert field_error(response.content.decode(), "revoke-reason") == "请填写吊销原因"
    response = client.post(f"{LIST}{issued.pk}/revoke/", {"revoke-reason": "经营者申请注销"}, follow=True)
    assert "证照已吊销" in response.content.decode()
    assert 'name="revoke-reason"' not in response.content.decode()  # nothing more to revoke
    assert client.get(f"/licenses/verify/{issued.identifier}/").content.decode().count("已吊销") >= 1
    assert license_verify_identifier(issued.identifier).status == "revoked"


def test_a_new_version_from_the_page_supersedes_the_old_one(client, library):
    old = issue_food(library)
    client.force_login(library.approver)
    html = client.get(f"{LIST}{old.pk}/").content.decode()
    assert 'value="热食类食品制售"' in html  # the 变更 form starts from the current content
    form = {
        "revise-number": old.number,
        "revise-valid_from": old.valid_from.isoformat(),
        "revise-valid_until": old.valid_until.isoformat(),
        "revise-data_business_scope": "热食类、冷食类食品制售",
        "revise-data_category": "餐饮服务经营者",
        "revise-reason": "增加经营项目",
    }
    response = client.post(f"{LIST}{old.pk}/revise/", form, follow=True)
    new = License.objects.get(series=old.series, version=2)
    assert response.redirect_chain[-1][0] == f"{LIST}{new.pk}/"
    assert "<dt>经营项目</dt><dd>热食类、冷食类食品制售</dd>" in response.content.decode()
    assert license_verify_identifier(old.identifier).status == "superseded"
    response = client.post(f"{LIST}{new.pk}/revise/", {**form, "revise-data_category": "其他"})
    assert response.status_code == 400
    assert field_error(response.content.decode(), "revise-data_category") == "主体业态不在可选项中"
