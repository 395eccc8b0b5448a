"""撤回 a share link: only its holder may, at once and audited; the wallet lists the links with a
撤回 button, the API has the same, and the link's page then says 链接已失效 (410)."""

from __future__ import annotations

import json
import re

import pytest
from django.test import Client

from yiwang.core.audit.models import AuditRecord
from yiwang.core.errors import NotFound
from yiwang.licenses.models import ShareLink
from yiwang.licenses.services.wallet import share_link_create, share_link_resolve, share_link_revoke
from yiwang.licenses.tests import library_fixtures
from yiwang.licenses.tests.library_fixtures import issue_food, issue_health

pytestmark = pytest.mark.django_db
library = library_fixtures.library  # the fixture, used by name
WALLET = "/me/licenses/"
API = "/api/v1/licenses"


def test_the_holder_withdraws_a_link_and_it_stops_working_at_once(library):
    issued = issue_health(library)
    link, token = share_link_create(actor=library.citizen, license=issued, hours=24)
    assert share_link_resolve(token).number == "JK2026-0001"
    share_link_revoke(actor=library.citizen, link=link)
    with pytest.raises(NotFound):
        share_link_resolve(token)
    assert ShareLink.objects.get().revoked_at is not None
    record = AuditRecord.objects.get(action="licenses.share.revoked")
    assert record.actor_id == library.citizen.pk and record.changes["share_link"] == link.pk
    share_link_revoke(actor=library.citizen, link=link)  # again: nothing more happens
    assert AuditRecord.objects.filter(action="licenses.share.revoked").count() == 1


def test_no_one_but_the_holder_withdraws_a_link(library):
    issued = issue_health(library)
    link, token = share_link_create(actor=library.citizen, license=issued)
    for actor in (library.other_citizen, library.approver, None):
        with pytest.raises(NotFound):
            share_link_revoke(actor=actor, link=link)
    assert share_link_resolve(token).holder_name == "张三丰"


def test_the_wallet_lists_the_links_and_withdrawing_one_makes_its_page_say_invalid(client, library):
    issued = issue_health(library)
    client.force_login(library.citizen)
    html = client.post(f"{WALLET}{issued.pk}/share/", {"hours": "24"}).content.decode()
    url = re.search(r'id="share-url" class="secret share-url" value="([^"]+)"', html).group(1)
    link = ShareLink.objects.get()
    revoke = f"{WALLET}{issued.pk}/shares/{link.pk}/revoke/"
    html = client.get(f"{WALLET}{issued.pk}/").content.decode()
    assert f'action="{revoke}"' in html and "可打开" in html and ">撤回</button>" in html
    response = client.post(revoke)
    assert response.status_code == 302 and response["Location"] == f"{WALLET}{issued.pk}/"
    html = client.get(f"{WALLET}{issued.pk}/").content.decode()
    assert "核验链接已撤回" in html and "已撤回（" in html and f'action="{revoke}"' not in html
    client.logout()
    gone = client.get(url)
    assert gone.status_code == 410 and "链接已失效" in gone.content.decode()


def test_another_holders_link_cannot_be_withdrawn_from_the_wallet(client, library):
    issued = issue_health(library)
    link, token = share_link_create(actor=library.citizen, license=issued)
    mine = issue_health(library, holder=library.other_citizen, number="JK2026-0099")
    client.force_login(library.other_citizen)
    assert client.post(f"{WALLET}{issued.pk}/shares/{link.pk}/revoke/").status_code == 404
    assert client.post(f"{WALLET}{mine.pk}/shares/{link.pk}/revoke/").status_code == 404  # not this licence's
    assert client.get(f"{WALLET}{issued.pk}/shares/{link.pk}/revoke/").status_code == 405
    assert share_link_resolve(token).number == "JK2026-0001"


def test_the_api_lists_and_withdraws_links(library):
    issued = issue_food(library)
    holder = Client()
    holder.force_login(library.enterprise)
    created = holder.post(
        f"{API}/{issued.pk}/share", json.dumps({"hours": 2}), content_type="application/json"
    )
    assert created.status_code == 201
    share_id, url = created.json()["id"], created.json()["url"]
    listed = holder.get(f"{API}/{issued.pk}/shares").json()
    assert [(item["id"], item["active"]) for item in listed["items"]] == [(share_id, True)]
    assert "token" not in listed["items"][0]

    other = Client()
    other.force_login(library.other_citizen)
    assert other.post(f"{API}/shares/{share_id}/revoke").status_code == 404
    assert other.get(f"{API}/{issued.pk}/shares").status_code == 404

    revoked = holder.post(f"{API}/shares/{share_id}/revoke")
    assert revoked.status_code == 200
    body = revoked.json()
    assert body["id"] == share_id and body["active"] is False and body["revoked_at"]
    assert Client().get(url).status_code == 404
    assert holder.post(f"{API}/shares/999999/revoke").status_code == 404
