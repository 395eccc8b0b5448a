"""工作台: officials only; an honest 待办 placeholder, latest messages, posts."""

from __future__ import annotations

import pytest

from yiwang.core.notify.models import Message
from yiwang.core.tests.factories import create_citizen, create_department, create_enterprise, create_official

pytestmark = pytest.mark.django_db


def test_workbench_needs_sign_in(client):
    assert client.get("/workbench/")["Location"].startswith("/login/?next=/workbench/")


@pytest.mark.parametrize("make_user", [create_citizen, create_enterprise])
def test_workbench_does_not_exist_for_citizens_and_enterprises(client, make_user):
    client.force_login(make_user())

    assert client.get("/workbench/").status_code == 404


def test_official_sees_placeholder_messages_and_posts(client):
    official = create_official(
        department=create_department("市市场监督管理局"), role="window_clerk", city_wide=True
    )
    Message.objects.create(recipient=official, title="新的办件待受理")
    client.force_login(official)

    response = client.get("/workbench/")

    html = response.content.decode()
    assert response.status_code == 200
    assert "我的待办（0）" in html and "暂无分配给您的待办" in html
    assert "新的办件待受理" in html and "未读" in html
    assert "市市场监督管理局" in html and "窗口人员" in html and "全市" in html
