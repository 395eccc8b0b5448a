"""抄阅 (issue 3 §3): an official copies an instance to colleagues; they find it in their 抄阅 box,
may read the instance, and mark it read — through services, API and pages."""

from __future__ import annotations

import pytest
from django.urls import reverse

from yiwang.core.errors import InvalidInput, NotFound
from yiwang.core.notify.models import Message
from yiwang.core.tests import factories
from yiwang.workflow.models_runtime import EventKind, InstanceEvent
from yiwang.workflow.models_supervision import CarbonCopy
from yiwang.workflow.permissions import can_instance_see
from yiwang.workflow.selectors_copies import copy_inbox
from yiwang.workflow.selectors_runtime import task_counts
from yiwang.workflow.services.runtime import copy_mark_read, instance_copy
from yiwang.workflow.tests import runtime_fixtures
from yiwang.workflow.tests.runtime_fixtures import open_task, start

pytestmark = pytest.mark.django_db
staff = runtime_fixtures.staff  # the fixture, used by name
API = "/api/v1/workflow"


def instance_url(instance) -> str:
    return reverse("workflow:instance", args=[instance.pk])


@pytest.fixture
def reader(city):
    """An official of an unrelated department: sees nothing of the instance until copied."""
    department = factories.create_department("市档案馆", division=city)
    return factories.create_official(department=department, role="approver", display_name="档案员")


def test_copy_reaches_the_recipients_box_and_lets_them_read_the_instance(staff, reader):
    instance = start(staff)
    task = open_task(instance, "market_review")
    assert not can_instance_see(reader, instance)
    [copy] = instance_copy(
        actor=staff.market_approver, instance=instance, recipients=[reader.pk], note="请阅", task=task
    )
    assert list(copy_inbox(actor=reader)) == [copy]
    assert task_counts(actor=reader)["copied"] == 1
    assert can_instance_see(reader, instance)
    event = InstanceEvent.objects.get(instance=instance, kind=EventKind.COPY)
    assert event.detail == {"recipients": [reader.pk]} and event.task == task
    message = Message.objects.get(recipient=reader)
    assert "抄阅" in message.title and "请阅" in message.body
    assert message.link == instance_url(instance)


@pytest.mark.parametrize(
    ("recipients", "expected"),
    [
        ([], "请选择抄送人员"),
        ("self", "不能抄送给自己"),
        ("twice", "抄送人员重复"),
        ("citizen", "不是在职的工作人员"),
        ("inactive", "不是在职的工作人员"),
        ([10**12], "不是在职的工作人员：1000000000000"),
        (["x"], "须为人员编号"),
        ("many", "最多抄送20人"),
    ],
)
def test_copy_refuses_wrong_recipients_naming_them(staff, reader, citizen, recipients, expected):
    inactive = factories.create_official(department=staff.market, role="approver")
    inactive.is_active = False
    inactive.save()
    named = {
        "self": [staff.market_approver.pk],
        "twice": [reader.pk, reader.pk],
        "citizen": [reader.pk, citizen.pk],
        "inactive": [inactive.pk],
        "many": [reader.pk] * 21,
    }
    recipients = named[recipients] if isinstance(recipients, str) else recipients
    with pytest.raises(InvalidInput) as refused:
        instance_copy(actor=staff.market_approver, instance=start(staff), recipients=recipients)
    assert expected in refused.value.fields["recipients"]
    if citizen.pk in recipients:  # the wrong one is named, the right one is not
        assert str(citizen.pk) in refused.value.fields["recipients"]
        assert str(reader.pk) not in refused.value.fields["recipients"]
    assert not CarbonCopy.objects.exists()


def test_who_may_not_see_the_instance_cannot_copy_it(staff, reader):
    with pytest.raises(NotFound):
        instance_copy(actor=reader, instance=start(staff), recipients=[staff.market_approver.pk])


def test_mark_read_is_the_recipients_only_and_keeps_the_first_time(staff, reader):
    [copy] = instance_copy(actor=staff.market_approver, instance=start(staff), recipients=[reader.pk])
    with pytest.raises(NotFound):
        copy_mark_read(actor=staff.fire_approver, copy=copy)
    first = copy_mark_read(actor=reader, copy=copy).read_at
    assert first is not None
    assert copy_mark_read(actor=reader, copy=copy).read_at == first
    assert task_counts(actor=reader)["copied"] == 0


def test_copied_box_lists_unread_first_then_newest(staff, reader):
    first, second, third = (
        instance_copy(actor=staff.market_approver, instance=start(staff), recipients=[reader.pk])[0]
        for _ in range(3)
    )
    copy_mark_read(actor=reader, copy=third)
    assert list(copy_inbox(actor=reader)) == [second, first, third]


def test_counts_take_one_indexed_query_per_box(staff, reader, django_assert_max_num_queries):
    instance_copy(actor=staff.market_approver, instance=start(staff), recipients=[reader.pk])
    reader._yiwang_workflow_posts = [("approver", "/0/", False)]  # posts already loaded, as on a page
    # Three task boxes, the departments under the post (once per request), the unread copies.
    with django_assert_max_num_queries(5):
        assert task_counts(actor=reader) == {"mine": 0, "department": 0, "done": 0, "copied": 1}


# --- API -------------------------------------------------------------------------------------
def test_api_copy_list_and_read(client, staff, reader):
    instance = start(staff)
    client.force_login(staff.market_approver)
    response = client.post(
        f"{API}/instances/{instance.pk}/copies",
        {"recipients": [reader.pk], "note": "供参考", "task": open_task(instance, "market_review").pk},
        content_type="application/json",
    )
    assert response.status_code == 201, response.json()
    [made] = response.json()
    assert (made["instance_id"], made["sender"], made["read_at"]) == (instance.pk, "市场审查员", None)
    client.force_login(reader)
    listed = client.get(f"{API}/copies").json()
    assert listed["count"] == 1 and listed["items"][0]["note"] == "供参考"
    assert client.get(f"{API}/tasks/counts").json()["copied"] == 1
    read = client.post(f"{API}/copies/{made['id']}/read")
    assert read.status_code == 200 and read.json()["read_at"]
    assert client.get(f"{API}/tasks/counts").json()["copied"] == 0


def test_api_bad_ids_are_404_or_422_in_the_envelope(client, staff, reader):
    instance = start(staff)
    client.force_login(staff.market_approver)
    for bad in ("abc", "0", "99999999999999999999"):
        response = client.post(
            f"{API}/instances/{bad}/copies", {"recipients": [reader.pk]}, content_type="application/json"
        )
        assert response.status_code == 404 and response.json()["error"]["code"] == "not_found"
        assert client.post(f"{API}/copies/{bad}/read").status_code == 404
    response = client.post(
        f"{API}/instances/{instance.pk}/copies",
        {"recipients": [reader.pk], "task": 10**15},
        content_type="application/json",
    )
    assert response.status_code == 422 and "task" in response.json()["error"]["fields"]
    response = client.post(
        f"{API}/instances/{instance.pk}/copies", {"recipients": [2**70]}, content_type="application/json"
    )
    assert response.status_code == 422 and "recipients" in response.json()["error"]["fields"]
    [copy] = instance_copy(actor=staff.market_approver, instance=instance, recipients=[reader.pk])
    assert client.post(f"{API}/copies/{copy.pk}/read").status_code == 404  # the sender is not the reader
    client.force_login(reader)
    response = client.post(
        f"{API}/instances/{start(staff).pk}/copies",
        {"recipients": [staff.decider.pk]},
        content_type="application/json",
    )
    assert response.status_code == 404


# --- Pages -----------------------------------------------------------------------------------
def test_copy_from_the_task_page_by_choice_and_username(client, staff, reader):
    task = open_task(start(staff), "market_review")
    colleague = factories.create_official(department=staff.market, role="approver", display_name="市场同事")
    client.force_login(staff.market_approver)
    url = reverse("workflow:task", args=[task.pk])
    assert f'<option value="{colleague.pk}">' in client.get(url).content.decode()
    response = client.post(
        reverse("workflow:task_copy", args=[task.pk]),
        {"recipients": [colleague.pk], "usernames": f" {reader.username}，", "note": "阅"},
    )
    assert response.status_code == 302 and response.url == url
    assert set(CarbonCopy.objects.values_list("recipient_id", flat=True)) == {colleague.pk, reader.pk}
    refused = client.post(reverse("workflow:task_copy", args=[task.pk]), {"usernames": "nobody_here"})
    assert refused.status_code == 400
    html = refused.content.decode()
    assert 'id="copy-recipients-error"' in html and "nobody_here" in html


def test_copied_tab_lists_copies_with_unread_count_and_marks_read(client, staff, reader):
    instance = start(staff)
    [copy] = instance_copy(
        actor=staff.market_approver, instance=instance, recipients=[reader.pk], note="请阅知"
    )
    client.force_login(reader)
    html = client.get(reverse("workflow:inbox"), {"box": "copied"}).content.decode()
    assert "抄阅（1）" in html and "请阅知" in html and "未读" in html
    assert instance_url(instance) in html
    response = client.post(reverse("workflow:copy_read", args=[copy.pk]))
    assert response.status_code == 302
    html = client.get(response.url).content.decode()
    assert "抄阅（0）" in html and "已读" in html
    client.force_login(staff.fire_approver)
    assert client.post(reverse("workflow:copy_read", args=[copy.pk])).status_code == 404


def test_opening_the_copied_instance_marks_the_copy_read_and_the_workbench_says_so(client, staff, reader):
    instance = start(staff)
    instance_copy(actor=staff.market_approver, instance=instance, recipients=[reader.pk])
    client.force_login(reader)
    assert "1 件未读" in client.get(reverse("web:workbench")).content.decode()

    assert client.get(instance_url(instance)).status_code == 200

    assert CarbonCopy.objects.get(recipient=reader).read_at is not None
    assert "件未读" not in client.get(reverse("web:workbench")).content.decode()
