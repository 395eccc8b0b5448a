"""The timeline where people see it (issue 3 §6): the fragment on the task page and on any
subject's page, the instance page, and GET /api/v1/workflow/instances/{id}."""

from __future__ import annotations

import re

import pytest
import time_machine
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from yiwang.core.tests import factories
from yiwang.workflow.models_supervision import CarbonCopy
from yiwang.workflow.tests import runtime_fixtures, timeline_flow
from yiwang.workflow.tests.runtime_fixtures import start
from yiwang.workflow.tests.timeline_flow import at, walk

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("memory_storage")]
staff = runtime_fixtures.staff  # the fixtures, used by name
memory_storage = timeline_flow.memory_storage


@pytest.fixture
def stranger(city):
    department = factories.create_department("市教育局", division=city)
    return factories.create_official(department=department, role="approver", display_name="局外人")


def api_url(instance) -> str:
    return f"/api/v1/workflow/instances/{instance.pk}"


def test_task_page_shows_the_timeline_with_opinions_files_and_time_used(client, staff):
    done = walk(staff)
    client.force_login(staff.decider)
    with time_machine.travel(at(11, 9), tick=False):
        html = client.get(reverse("workflow:task", args=[done.decision.pk])).content.decode()
    assert "办理记录 · 并联审批（示例）" in html
    assert "缺少营业执照副本" in html and "消防设施符合要求" in html and "材料齐全，同意" in html
    assert '<time datetime="2026-11-04T10:00:00+08:00">2026-11-04 10:00</time>' in html
    assert re.search(r'class="clock-normal">已用2\.0个工作日 / 时限5个工作日', html)
    assert reverse("workflow:instance", args=[done.instance.pk]) in html
    link = re.search(r'<a href="(/files/\d+/)">营业执照副本\.pdf</a>', html)
    assert link is not None
    assert client.get(link[1]).status_code == 200  # the decider may download what they are shown


def test_instance_page_links_my_open_task_and_shows_the_timeline(client, staff):
    done = walk(staff)
    url = reverse("workflow:instance", args=[done.instance.pk])
    client.force_login(staff.decider)
    html = client.get(url).content.decode()
    assert f'<a href="{reverse("workflow:task", args=[done.decision.pk])}">审批决定</a>（待签收）' in html
    assert "市场监管局审查" in html and "营业执照副本.pdf" in html
    client.force_login(staff.fire_approver)
    html = client.get(url).content.decode()
    assert "此流程中没有需要您办理的待办。" in html and "消防审查员" in html


def test_an_official_of_an_unrelated_department_gets_404_on_the_page_and_the_api(client, staff, stranger):
    instance = start(staff)
    client.force_login(stranger)
    assert client.get(reverse("workflow:instance", args=[instance.pk])).status_code == 404
    response = client.get(api_url(instance))
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_an_official_it_was_copied_to_lands_on_the_instance_page(client, staff, stranger):
    instance = start(staff)
    CarbonCopy.objects.create(
        instance=instance, recipient=stranger, sender=staff.clerk, note="请知悉", created_at=timezone.now()
    )
    client.force_login(stranger)
    response = client.get(reverse("workflow:instance", args=[instance.pk]))
    assert response.status_code == 200
    assert "办理记录 · 并联审批（示例）" in response.content.decode()


def test_citizens_have_no_instance_page(client, staff, citizen):
    client.force_login(citizen)
    assert client.get(reverse("workflow:instance", args=[start(staff).pk])).status_code == 404


def test_the_api_returns_the_timeline(client, staff):
    done = walk(staff)
    client.force_login(staff.market_approver)
    with time_machine.travel(at(11, 9), tick=False):
        response = client.get(api_url(done.instance))
    assert response.status_code == 200
    body = response.json()
    assert (body["process_name"], body["allowed"], body["used"]) == ("并联审批（示例）", "20个工作日", 3.0)
    fire = body["steps"][1]
    assert (fire["state_name"], fire["who"], fire["used"], fire["allowed"]) == (
        "消防审查",
        "消防审查员",
        2.0,
        "5个工作日",
    )
    (file,) = body["steps"][2]["attachments"]
    assert file["name"] == "营业执照副本.pdf"
    assert file["content_url"] == f"/api/v1/files/{file['id']}/content"
    assert [e["kind"] for e in body["events"]] == ["start", "auto"]


def render_subject_timeline(user, subject) -> str:
    request = RequestFactory().get("/")
    request.user = user
    template = Template("{% load workflow %}{% workflow_timeline subject %}")
    return template.render(Context({"request": request, "subject": subject})).strip()


def test_the_subject_fragment_shows_every_instance_the_viewer_may_see(staff, stranger):
    first, second = start(staff), start(staff)
    html = render_subject_timeline(staff.fire_approver, staff.subject_dept)
    assert html.count('<section class="timeline"') == 2
    for instance in (first, second):
        assert f'id="timeline-{instance.pk}-h"' in html
    assert render_subject_timeline(stranger, staff.subject_dept) == ""
