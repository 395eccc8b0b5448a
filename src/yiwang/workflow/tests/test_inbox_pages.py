"""待办 pages (issue 3 §3): the inbox with its boxes and clock colours, and acting on a task."""

from __future__ import annotations

import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from yiwang.workflow.models_runtime import Task, TaskStatus
from yiwang.workflow.services.runtime import task_claim
from yiwang.workflow.sweep import clock_sweep
from yiwang.workflow.tests import runtime_fixtures
from yiwang.workflow.tests.runtime_fixtures import open_task, start

pytestmark = pytest.mark.django_db
staff = runtime_fixtures.staff  # the fixture, used by name
SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(month: int, day: int, hour: int = 10) -> datetime:
    return datetime(2026, month, day, hour, tzinfo=SHANGHAI)


def test_inbox_shows_an_overdue_task_with_the_overdue_class(client, staff):
    with time_machine.travel(at(9, 30), tick=False):
        task = open_task(start(staff), "market_review")
        task_claim(actor=staff.market_approver, task=task, expected_version=task.version)
    clock_sweep(now=at(10, 14))
    client.force_login(staff.market_approver)
    html = client.get(reverse("workflow:inbox")).content.decode()
    assert reverse("workflow:task", args=[task.pk]) in html
    assert re.search(r'class="clock-overdue"[^<]*<time[^>]*>2026-10-1', html)
    assert "超期" in html
    assert "我的待办（1）" in html


def test_department_box_lists_only_my_departments_branch(client, staff):
    instance = start(staff)
    client.force_login(staff.fire_approver)
    html = client.get(reverse("workflow:inbox"), {"box": "department"}).content.decode()
    assert reverse("workflow:task", args=[open_task(instance, "fire_review").pk]) in html
    assert reverse("workflow:task", args=[open_task(instance, "market_review").pk]) not in html
    assert "部门待签收（1）" in html


def test_claim_and_act_through_the_page_form(client, staff):
    task = open_task(start(staff), "market_review")
    client.force_login(staff.market_approver)
    url = reverse("workflow:task", args=[task.pk])
    assert client.post(url, {"op": "claim", "version": task.version}).status_code == 302
    task.refresh_from_db()
    assert task.status == TaskStatus.CLAIMED and task.assignee == staff.market_approver
    response = client.post(
        url, {"op": "act", "action": "market_agree", "version": task.version, "opinion": "材料齐全"}
    )
    assert response.status_code == 302
    task.refresh_from_db()
    assert task.status == TaskStatus.DONE and task.opinion == "材料齐全"
    assert "材料齐全" in client.get(url).content.decode()


def test_missing_opinion_shows_the_field_error_beside_the_field(client, staff):
    task = open_task(start(staff), "market_review")
    client.force_login(staff.market_approver)
    url = reverse("workflow:task", args=[task.pk])
    response = client.post(url, {"op": "act", "action": "market_agree", "version": task.version})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="opinion-market_agree-error"' in html and "请填写意见" in html
    assert Task.objects.get(pk=task.pk).status == TaskStatus.OPEN


def test_stale_version_says_someone_else_handled_it(client, staff):
    task = open_task(start(staff), "market_review")
    client.force_login(staff.market_approver)
    url = reverse("workflow:task", args=[task.pk])
    response = client.post(url, {"op": "claim", "version": task.version + 1})
    assert response.status_code == 409
    assert "该待办已被他人处理，请刷新" in response.content.decode()


def test_other_departments_task_and_citizens_get_404(client, staff, citizen):
    task = open_task(start(staff), "market_review")
    url = reverse("workflow:task", args=[task.pk])
    client.force_login(staff.fire_approver)
    assert client.get(url).status_code == 404
    assert client.post(url, {"op": "claim", "version": task.version}).status_code == 404
    client.force_login(citizen)
    assert client.get(reverse("workflow:inbox")).status_code == 404


def test_inbox_query_count_does_not_grow_with_tasks(client, staff, django_assert_max_num_queries):
    for _ in range(5):
        start(staff)
    client.force_login(staff.market_approver)
    # session, user, posts, counts, page count, page rows (+ messages/context of the base page)
    with django_assert_max_num_queries(12):
        html = client.get(reverse("workflow:inbox"), {"box": "department"}).content.decode()
    assert "部门待签收（5）" in html


def test_workbench_panel_shows_counts_and_next_tasks(client, staff):
    task = open_task(start(staff), "market_review")
    task_claim(actor=staff.market_approver, task=task, expected_version=task.version)
    client.force_login(staff.market_approver)
    html = client.get(reverse("web:workbench")).content.decode()
    assert "我的待办（1）" in html
    assert reverse("workflow:task", args=[task.pk]) in html
