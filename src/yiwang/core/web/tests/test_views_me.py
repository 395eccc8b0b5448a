"""我的信息: masked data, reveal, password, API tokens, enterprises."""

from __future__ import annotations

import pytest

from yiwang.core.accounts.models import ApiToken, EnterpriseAgent, User, UserKind
from yiwang.core.accounts.services.tokens import api_token_authenticate
from yiwang.core.audit.models import AuditRecord
from yiwang.core.tests.factories import (
    PASSWORD,
    create_citizen,
    create_department,
    create_enterprise,
    create_official,
    make_uscc,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed_in(client):
    citizen = create_citizen(display_name="赵六")
    client.force_login(citizen)
    return citizen


def test_me_needs_sign_in(client):
    assert client.get("/me/")["Location"].startswith("/login/?next=/me/")


def test_me_shows_id_number_and_phone_masked(client, signed_in):
    html = client.get("/me/").content.decode()

    assert signed_in.id_number_masked in html and signed_in.phone_masked in html
    assert signed_in.id_number not in html and signed_in.phone not in html
    assert "显示完整" in html


def test_reveal_own_id_number_with_htmx_returns_just_the_value(client, signed_in):
    response = client.post("/me/reveal/", {"field": "id_number"}, HTTP_HX_REQUEST="true")

    assert response.status_code == 200
    assert (
        response.content.decode().strip()
        == f'<span class="revealed" id="me-id_number">{signed_in.id_number}</span>'
    )


def test_reveal_of_own_data_is_recorded(client, signed_in):
    client.post("/me/reveal/", {"field": "id_number"}, HTTP_HX_REQUEST="true")

    record = AuditRecord.objects.get(action="core.personal_data.revealed")
    assert record.actor_id == signed_in.pk and record.target_id == str(signed_in.pk)
    assert record.changes["field"] == "id_number"
    assert record.channel == "page:/me/reveal/"


def test_reveal_without_javascript_renders_the_page_with_the_value(client, signed_in):
    html = client.post("/me/reveal/", {"field": "phone"}).content.decode()

    assert signed_in.phone in html
    assert signed_in.id_number not in html


def test_reveal_of_an_unknown_field_is_refused(client, signed_in):
    response = client.post("/me/reveal/", {"field": "password"})

    assert response.status_code == 422
    assert "只能查看身份证号或手机号码" in response.content.decode()


def test_password_change_keeps_the_session_and_takes_the_new_password(client, signed_in):
    response = client.post(
        "/me/password/",
        {
            "old_password": PASSWORD,
            "new_password": "Newer#2026pw",
            "new_password_confirm": "Newer#2026pw",
        },
        follow=True,
    )

    assert "密码已修改" in response.content.decode()
    assert client.get("/me/").status_code == 200  # still signed in
    signed_in.refresh_from_db()
    assert signed_in.check_password("Newer#2026pw")
    assert AuditRecord.objects.filter(
        action="core.user.password_changed", target_id=str(signed_in.pk)
    ).exists()


def test_password_change_with_wrong_old_password_is_shown_beside_it(client, signed_in):
    response = client.post(
        "/me/password/",
        {
            "old_password": "Wrong@2026",
            "new_password": "Newer#2026pw",
            "new_password_confirm": "Newer#2026pw",
        },
    )

    assert response.status_code == 422
    assert '<p class="field-error" id="old_password-error">原密码不正确</p>' in response.content.decode()
    signed_in.refresh_from_db()
    assert signed_in.check_password(PASSWORD)


def test_token_secret_is_shown_once_and_works(client, signed_in):
    response = client.post("/me/tokens/", {"token-name": "数据对接", "token-days": "30"})

    secret = response.context["new_secret"]
    assert "no-store" in response["Cache-Control"]
    assert secret.startswith("yw_") and secret in response.content.decode()
    assert api_token_authenticate(secret) == signed_in
    later = client.get("/me/").content.decode()
    assert secret not in later
    assert "数据对接" in later and "有效" in later


def test_token_with_bad_days_is_refused_beside_the_field(client, signed_in):
    response = client.post("/me/tokens/", {"token-name": "x", "token-days": "99999"})

    assert response.status_code == 422
    assert 'id="token-days-error"' in response.content.decode()
    assert not ApiToken.objects.exists()


def test_token_revoke_stops_it(client, signed_in):
    client.post("/me/tokens/", {"token-name": "临时", "token-days": "1"})
    token = ApiToken.objects.get()

    response = client.post(f"/me/tokens/{token.pk}/revoke/", follow=True)

    assert "已吊销" in response.content.decode()
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_someone_elses_token_cannot_be_revoked(client, signed_in):
    other = create_citizen()
    client.force_login(other)
    client.post("/me/tokens/", {"token-name": "他人", "token-days": "1"})
    token = ApiToken.objects.get()
    client.force_login(signed_in)

    assert client.post(f"/me/tokens/{token.pk}/revoke/").status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_citizen_registers_an_enterprise_and_sees_it(client, signed_in):
    uscc = make_uscc()

    response = client.post(
        "/me/enterprises/",
        {
            "enterprise-name": "示范软件有限公司",
            "enterprise-uscc": uscc,
            "enterprise-legal_representative": "赵六",
            "enterprise-username": "demosoft",
            "enterprise-phone": "",
            "enterprise-password": PASSWORD,
        },
        follow=True,
    )

    html = response.content.decode()
    assert "示范软件有限公司" in html and uscc in html
    enterprise = User.objects.get(username="demosoft")
    assert enterprise.kind == UserKind.ENTERPRISE
    assert EnterpriseAgent.objects.filter(enterprise=enterprise, agent=signed_in).exists()


def test_enterprise_with_wrong_uscc_check_digit_is_refused_beside_the_field(client, signed_in):
    uscc = make_uscc()
    wrong = uscc[:-1] + ("0" if uscc[-1] != "0" else "1")

    response = client.post(
        "/me/enterprises/",
        {
            "enterprise-name": "示范软件有限公司",
            "enterprise-uscc": wrong,
            "enterprise-legal_representative": "赵六",
            "enterprise-username": "demosoft",
            "enterprise-password": PASSWORD,
        },
    )

    assert response.status_code == 422
    assert (
        '<p class="field-error" id="enterprise-uscc-error">统一社会信用代码校验位错误</p>'
        in response.content.decode()
    )
    assert not User.objects.filter(username="demosoft").exists()


def test_enterprise_sees_its_agents(client):
    enterprise = create_enterprise(name="示范贸易有限公司")
    agent = create_citizen(display_name="钱七")
    EnterpriseAgent.objects.create(enterprise=enterprise, agent=agent)
    client.force_login(enterprise)

    html = client.get("/me/").content.decode()

    assert "经办人" in html and "钱七" in html
    assert "注册企业" not in html


def test_official_sees_their_posts(client):
    official = create_official(department=create_department("市民政局"), role="approver")
    client.force_login(official)

    html = client.get("/me/").content.decode()

    assert "市民政局" in html and "审批人员" in html
