"""法人注册 by a signed-in citizen, and the agents (经办人) who act for an enterprise."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from yiwang.core.accounts.models import EnterpriseAgent, User
from yiwang.core.audit.models import AuditRecord
from yiwang.core.tests import factories


def enterprise(**overrides):
    data = {
        "name": "示范科技有限公司",
        "uscc": factories.make_uscc(),
        "legal_representative": "李四",
        "username": "demo_ent",
        "password": factories.PASSWORD,
    }
    data.update(overrides)
    return data


def post_json(client, url, data):
    return client.post(url, data, content_type="application/json")


def wrong_check_digit(uscc: str) -> str:
    from yiwang.core.codes import USCC_ALPHABET

    wrong = USCC_ALPHABET[(USCC_ALPHABET.index(uscc[-1]) + 1) % 31]
    return uscc[:-1] + wrong


def test_citizen_registers_an_enterprise_and_becomes_its_agent(client, citizen):
    client.force_login(citizen)
    data = enterprise()

    response = post_json(client, "/api/v1/enterprises", data)

    assert response.status_code == 201
    assert response.json()["kind"] == "enterprise" and response.json()["uscc"] == data["uscc"]
    created = User.objects.get(username="demo_ent")
    assert EnterpriseAgent.objects.filter(enterprise=created, agent=citizen).exists()
    assert AuditRecord.objects.filter(action="core.enterprise.registered", actor_id=citizen.pk).exists()


def test_wrong_uscc_check_digit_is_named(client, citizen):
    client.force_login(citizen)

    response = post_json(
        client, "/api/v1/enterprises", enterprise(uscc=wrong_check_digit(factories.make_uscc()))
    )

    assert response.status_code == 422
    assert response.json()["error"]["fields"] == {"uscc": "统一社会信用代码校验位错误"}


def test_duplicate_uscc_is_refused(client, citizen):
    existing = factories.create_enterprise()
    client.force_login(citizen)

    response = post_json(client, "/api/v1/enterprises", enterprise(uscc=existing.uscc))

    assert response.json()["error"]["fields"]["uscc"] == "该统一社会信用代码已注册"


def test_only_citizens_register_enterprises(client, department):
    official = factories.create_official(department=department, role="handler")
    client.force_login(official)

    assert post_json(client, "/api/v1/enterprises", enterprise()).status_code == 403


def test_agent_adds_another_citizen_by_name_and_id_number(client, citizen):
    client.force_login(citizen)
    ent_id = post_json(client, "/api/v1/enterprises", enterprise()).json()["id"]
    colleague = factories.create_citizen(display_name="周八", id_number="11010519491231002X")
    url = f"/api/v1/enterprises/{ent_id}/agents"

    wrong_name = post_json(client, url, {"id_number": "11010519491231002X", "display_name": "别人"})
    added = post_json(client, url, {"id_number": "11010519491231002X", "display_name": "周八"})

    assert wrong_name.json()["error"]["fields"] == {"id_number": "未找到姓名与身份证号相符的个人用户"}
    assert added.status_code == 201
    assert added.json()["agent_id"] == colleague.pk


def test_a_stranger_or_an_expired_agent_cannot_add_agents(client, citizen):
    ent = factories.create_enterprise()
    expired = factories.create_citizen()
    EnterpriseAgent.objects.create(
        enterprise=ent, agent=expired, valid_until=timezone.localdate() - timedelta(days=1)
    )
    target = factories.create_citizen(display_name="吴九")
    body = {"id_number": target.id_number, "display_name": "吴九"}

    client.force_login(citizen)
    assert post_json(client, f"/api/v1/enterprises/{ent.pk}/agents", body).status_code == 404
    client.force_login(expired)
    assert post_json(client, f"/api/v1/enterprises/{ent.pk}/agents", body).status_code == 404
    assert not EnterpriseAgent.objects.filter(agent=target).exists()
