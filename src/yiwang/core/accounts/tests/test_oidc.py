"""Login through the provincial identity provider, end to end against a provider running on
127.0.0.1 (tests/oidc_provider.py): Django's test client plays the browser, `requests` follows
it to the provider and back."""

from __future__ import annotations

import html
import re
import time
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from django.urls import resolve

from yiwang.core import personal_data
from yiwang.core.accounts import oidc
from yiwang.core.accounts.models import User, UserKind
from yiwang.core.accounts.tests.oidc_provider import new_rsa_key, oidc_provider  # noqa: F401
from yiwang.core.audit.models import AuditRecord
from yiwang.core.errors import InvalidInput
from yiwang.core.tests import factories

BACKEND = "yiwang.core.accounts.oidc.ProvincialOIDCBackend"
FAILED = "/login/?oidc=failed"


@pytest.fixture
def provider(db, settings, oidc_provider):  # noqa: F811
    """The platform configured for the local provider, as YIWANG_OIDC_* would configure it."""
    settings.OIDC_ENABLED = True
    for name, value in oidc_provider.django_settings().items():
        setattr(settings, name, value)
    settings.OIDC_TIMEOUT = 5
    settings.AUTHENTICATION_BACKENDS = [*settings.AUTHENTICATION_BACKENDS, BACKEND]
    return oidc_provider


def sign_in(client, provider, start="/oidc/authenticate/"):
    """Click the provincial button, let the provider log the identity in, come back."""
    to_provider = client.get(start)
    assert to_provider.status_code == 302
    assert to_provider["Location"].startswith(provider.issuer + "/authorize?")
    at_provider = requests.get(to_provider["Location"], allow_redirects=False, timeout=5)
    assert at_provider.status_code == 302
    back = urlsplit(at_provider.headers["Location"])
    assert f"{back.scheme}://{back.netloc}{back.path}" == "http://testserver/oidc/callback/"
    query = {name: values[0] for name, values in parse_qs(back.query).items()}
    return client.get("/oidc/callback/", {"code": query["code"], "state": query["state"]})


def signed_in_user(client) -> User | None:
    user_id = client.session.get("_auth_user_id")
    return User.objects.get(pk=user_id) if user_id else None


def test_first_login_creates_a_citizen_from_the_provider_identity(client, provider):
    response = sign_in(client, provider)

    assert response.status_code == 302 and response["Location"] == "/"
    user = signed_in_user(client)
    assert user.kind == UserKind.CITIZEN
    assert user.display_name == "李四"
    assert user.id_number_masked == "330102********1230"
    assert user.oidc_subject == "prov-0001"
    assert user.username.startswith("oidc_") and "prov-0001" not in user.username
    assert not user.has_usable_password()
    me = client.get("/me/").content.decode()
    assert "李四" in me and "330102********1230" in me
    assert AuditRecord.objects.filter(action="core.user.registered_oidc", target_id=str(user.pk)).count() == 1


def test_second_login_with_the_same_subject_reuses_the_account(client, provider):
    sign_in(client, provider)
    first = signed_in_user(client)
    client.logout()

    response = sign_in(client, provider)

    assert response["Location"] == "/"
    assert signed_in_user(client) == first
    assert User.objects.filter(kind=UserKind.CITIZEN).count() == 1
    assert AuditRecord.objects.filter(action__startswith="core.user.registered").count() == 1


def test_citizen_registered_with_the_same_id_number_is_linked_not_duplicated(client, provider):
    registered = factories.create_citizen(
        username="lisi", display_name="李四", id_number=provider.identity["id_number"]
    )

    sign_in(client, provider)

    assert signed_in_user(client) == registered
    registered.refresh_from_db()
    assert registered.oidc_subject == "prov-0001"
    assert registered.check_password(factories.PASSWORD)  # the password still works too
    assert User.objects.filter(kind=UserKind.CITIZEN).count() == 1
    assert AuditRecord.objects.filter(action="core.user.oidc_linked", target_id=str(registered.pk)).exists()


def _foreign_key(provider):
    provider.signing_key = new_rsa_key()  # same kid as the published key, different key


def _unsigned(provider):
    provider.algorithm = "none"


def _claims(**claims):
    return lambda provider: provider.id_token_claims.update(claims)


@pytest.mark.parametrize(
    "forge",
    [
        pytest.param(_foreign_key, id="signed-by-another-key"),
        pytest.param(_unsigned, id="alg-none"),
        pytest.param(_claims(aud="another-client"), id="issued-to-another-client"),
        pytest.param(_claims(iss="http://127.0.0.1:1"), id="another-issuer"),
        pytest.param(_claims(exp=int(time.time()) - 60, iat=int(time.time()) - 400), id="expired"),
        pytest.param(_claims(exp=None), id="no-expiry"),
        pytest.param(_claims(nonce="replayed-nonce"), id="nonce-of-another-login"),
        pytest.param(lambda p: p.userinfo_claims.update(sub="prov-9999"), id="userinfo-of-another-person"),
    ],
)
def test_forged_or_misdirected_token_does_not_log_in(client, provider, forge):
    forge(provider)

    response = sign_in(client, provider)

    assert response.status_code == 302 and response["Location"] == FAILED
    assert signed_in_user(client) is None
    assert not User.objects.exists()
    page = client.get(FAILED).content.decode()
    assert "统一身份认证登录未成功" in page


def test_invalid_id_number_claim_is_refused_and_logged(client, provider, caplog):
    provider.identity["id_number"] = "330102199003071231"  # check digit off by one

    response = sign_in(client, provider)

    assert response["Location"] == FAILED
    assert signed_in_user(client) is None
    assert not User.objects.exists()
    refusals = [r.getMessage() for r in caplog.records if r.name == "yiwang.core.accounts.oidc"]
    assert any("身份证号校验位错误" in message for message in refusals)
    assert not any("330102199003071231" in message for message in refusals)  # no personal data in logs


@pytest.mark.parametrize("kind", ["official", "enterprise"])
def test_subject_bound_to_an_official_or_enterprise_is_refused(client, provider, department, kind):
    if kind == "official":
        account = factories.create_official(department=department, role="sys_admin", city_wide=True)
    else:
        account = factories.create_enterprise()
    User.objects.filter(pk=account.pk).update(oidc_subject="prov-0001")

    response = sign_in(client, provider)

    assert response["Location"] == FAILED
    assert signed_in_user(client) is None
    assert not User.objects.filter(kind=UserKind.CITIZEN).exists()


def test_id_number_already_bound_to_another_subject_is_refused(client, provider):
    citizen = factories.create_citizen(id_number=provider.identity["id_number"])
    User.objects.filter(pk=citizen.pk).update(oidc_subject="prov-0002")

    response = sign_in(client, provider)

    assert response["Location"] == FAILED
    assert User.objects.count() == 1
    citizen.refresh_from_db()
    assert citizen.oidc_subject == "prov-0002"


def test_provider_changing_the_id_number_of_a_known_subject_is_refused(client, provider):
    sign_in(client, provider)
    client.logout()
    provider.identity["id_number"] = "330102198511110027"

    response = sign_in(client, provider)

    assert response["Location"] == FAILED
    assert signed_in_user(client) is None
    assert User.objects.count() == 1


def test_deactivated_citizen_cannot_log_in_through_the_provider(client, provider):
    sign_in(client, provider)
    client.logout()
    User.objects.update(is_active=False)

    assert sign_in(client, provider)["Location"] == FAILED
    assert signed_in_user(client) is None


def test_deactivating_a_citizen_ends_their_provincial_session(client, provider):
    sign_in(client, provider)
    assert client.get("/me/").status_code == 200

    User.objects.update(is_active=False)

    assert client.get("/me/").status_code == 302  # back to the login page


def test_code_the_provider_rejects_ends_on_the_login_page(client, provider):
    to_provider = client.get("/oidc/authenticate/")
    state = parse_qs(urlsplit(to_provider["Location"]).query)["state"][0]

    response = client.get("/oidc/callback/", {"code": "made-up", "state": state})

    assert response["Location"] == FAILED
    assert provider.token_requests == 1
    assert signed_in_user(client) is None


def test_callback_with_a_state_this_session_never_issued_ends_on_the_login_page(client, provider):
    client.get("/oidc/authenticate/")

    response = client.get("/oidc/callback/", {"code": "anything", "state": "forged-state"})

    assert response.status_code == 302 and response["Location"] == FAILED
    assert provider.token_requests == 0


def test_citizen_cancelling_at_the_provider_ends_on_the_login_page(client, provider):
    to_provider = client.get("/oidc/authenticate/")
    state = parse_qs(urlsplit(to_provider["Location"]).query)["state"][0]

    response = client.get("/oidc/callback/", {"error": "access_denied", "state": state})

    assert response["Location"] == FAILED
    assert provider.token_requests == 0


def test_login_with_pkce(client, provider, settings):
    settings.OIDC_USE_PKCE = True

    to_provider = client.get("/oidc/authenticate/")
    assert "code_challenge_method=S256" in to_provider["Location"]
    assert sign_in(client, provider)["Location"] == "/"


def test_claim_names_follow_the_settings(client, provider, settings):
    settings.OIDC_ID_NUMBER_CLAIM = "sfzh"
    settings.OIDC_NAME_CLAIM = "xm"
    provider.identity = {"sub": "prov-0100", "xm": "王五", "sfzh": "330102198511110027"}

    sign_in(client, provider)

    user = signed_in_user(client)
    assert user.display_name == "王五"
    assert user.id_number_masked == personal_data.mask_id_number("330102198511110027")


def test_provider_without_userinfo_endpoint_is_read_from_the_id_token(client, provider, settings):
    settings.OIDC_OP_USER_ENDPOINT = ""

    sign_in(client, provider)

    assert signed_in_user(client).display_name == "李四"


def test_new_citizen_without_a_name_is_refused_and_nothing_is_written(db):
    with pytest.raises(InvalidInput) as refused:
        oidc.citizen_from_identity_provider(subject="prov-7", id_number="330102198511110027", name=" ")

    assert refused.value.fields == {"name": "统一身份认证未提供姓名"}
    assert not User.objects.exists() and not AuditRecord.objects.exists()


def test_username_typed_by_someone_else_does_not_block_the_provider_login(db):
    squatter = factories.create_citizen(username=oidc._username_for("prov-8"))

    user = oidc.citizen_from_identity_provider(subject="prov-8", id_number="330102198511110027", name="赵六")

    assert user != squatter and user.username.startswith(squatter.username + "_")


def test_login_page_button_starts_the_provincial_login(client, provider):
    page = client.get("/login/?next=/me/").content.decode()
    assert "使用省统一身份认证平台登录" in page
    button = re.search(r'href="(/oidc/authenticate/[^"]*)"', page).group(1)

    response = sign_in(client, provider, start=html.unescape(button))

    assert response["Location"] == "/me/"
    assert signed_in_user(client).display_name == "李四"


def test_provincial_login_is_off_when_no_provider_is_configured(client, db, settings):
    settings.OIDC_ENABLED = False

    assert client.get("/oidc/authenticate/").status_code == 404
    assert client.get("/oidc/callback/", {"code": "x", "state": "y"}).status_code == 404
    assert "/oidc/authenticate/" not in client.get("/login/").content.decode()


def test_oidc_urls_use_the_platform_views():
    # Wired by OIDC_AUTHENTICATE_CLASS / OIDC_CALLBACK_CLASS: without them the library's own
    # views redirect in a loop when no provider is configured and answer a stale callback with 400.
    assert resolve("/oidc/authenticate/").func.view_class is oidc.ProvincialAuthenticationRequestView
    assert resolve("/oidc/callback/").func.view_class is oidc.ProvincialCallbackView
