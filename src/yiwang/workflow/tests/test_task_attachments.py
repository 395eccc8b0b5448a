"""附件 on the task page and in the act API (issue 3 §2): an action that requires attachments
(补正完成) is done from the page with a file; files are checked by core.files; an id of a file
that is not the actor's upload to this task is refused."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from yiwang.core.files.models import Attachment
from yiwang.core.files.services import file_attach
from yiwang.core.files.tests.samples import EXE, PDF
from yiwang.core.tests import factories
from yiwang.workflow.models_runtime import InstanceEvent, InstanceStatus, Task, TaskStatus
from yiwang.workflow.owner_types import TASK_OWNER
from yiwang.workflow.services.runtime import task_act
from yiwang.workflow.tests import runtime_fixtures
from yiwang.workflow.tests.runtime_fixtures import open_task, start

pytestmark = pytest.mark.django_db
staff = runtime_fixtures.staff  # the fixture, used by name
API = "/api/v1"


@pytest.fixture(autouse=True)
def _memory_storage(settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    }


@pytest.fixture
def waiting(staff) -> Task:
    """补正中: the market review asked for more material; the window clerk must supply it."""
    review = open_task(start(staff), "market_review")
    task_act(
        actor=staff.market_approver,
        task=review,
        action_code="market_ask_supplement",
        expected_version=review.version,
        reason="缺少营业执照",
    )
    return open_task(review.instance, "market_supplement")


def pdf(name="营业执照.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def test_supplement_done_from_the_page_with_a_file(client, staff, waiting):
    client.force_login(staff.clerk)
    url = reverse("workflow:task", args=[waiting.pk])
    html = client.get(url).content.decode()
    assert 'enctype="multipart/form-data"' in html and 'id="attachments-market_supplemented"' in html
    response = client.post(
        url, {"op": "act", "action": "market_supplemented", "version": waiting.version, "attachments": pdf()}
    )
    assert response.status_code == 302
    waiting.refresh_from_db()
    assert waiting.status == TaskStatus.DONE
    attachment = Attachment.objects.get(owner_type=TASK_OWNER, owner_id=str(waiting.pk))
    assert (attachment.name, attachment.uploaded_by) == ("营业执照.pdf", staff.clerk)
    event = InstanceEvent.objects.get(task=waiting, action="market_supplemented")
    assert event.attachments == [attachment.pk]
    assert waiting.instance.__class__.objects.get(pk=waiting.instance_id).status == InstanceStatus.RUNNING
    assert open_task(waiting.instance, "market_review").status == TaskStatus.OPEN  # the review runs again
    # Whoever sees the instance may download it; an official of an unrelated department may not.
    assert client.get(reverse("files:download", args=[attachment.pk])).status_code == 200
    client.force_login(factories.create_official(role="approver"))
    assert client.get(reverse("files:download", args=[attachment.pk])).status_code == 404


def test_missing_or_rejected_file_is_shown_on_the_field_and_nothing_is_kept(client, staff, waiting):
    client.force_login(staff.clerk)
    url = reverse("workflow:task", args=[waiting.pk])
    missing = client.post(url, {"op": "act", "action": "market_supplemented", "version": waiting.version})
    assert missing.status_code == 400
    assert 'id="attachments-market_supplemented-error"' in missing.content.decode()
    assert "请上传附件" in missing.content.decode()
    exe = SimpleUploadedFile("执照.pdf", EXE, content_type="application/pdf")
    rejected = client.post(
        url, {"op": "act", "action": "market_supplemented", "version": waiting.version, "attachments": exe}
    )
    assert rejected.status_code == 400
    html = rejected.content.decode()
    assert 'id="attachments-market_supplemented-error"' in html and "不支持的文件类型" in html
    assert 'aria-invalid="true"' in html
    assert not Attachment.objects.exists()
    assert Task.objects.get(pk=waiting.pk).status == TaskStatus.OPEN


def test_a_refused_action_keeps_no_uploaded_file(client, staff, waiting):
    client.force_login(staff.clerk)
    url = reverse("workflow:task", args=[waiting.pk])
    stale = client.post(
        url,
        {"op": "act", "action": "market_supplemented", "version": waiting.version + 1, "attachments": pdf()},
    )
    assert stale.status_code == 409
    assert not Attachment.objects.exists()


def test_api_act_accepts_the_actors_upload_to_the_task(client, staff, waiting):
    client.force_login(staff.clerk)
    uploaded = client.post(
        f"{API}/files/", {"owner_type": TASK_OWNER, "owner_id": str(waiting.pk), "file": pdf()}
    )
    assert uploaded.status_code == 201, uploaded.json()
    response = client.post(
        f"{API}/workflow/tasks/{waiting.pk}/act",
        {"action": "market_supplemented", "version": waiting.version, "attachments": [uploaded.json()["id"]]},
        content_type="application/json",
    )
    assert response.status_code == 200, response.json()
    assert InstanceEvent.objects.get(task=waiting, action="market_supplemented").attachments == [
        uploaded.json()["id"]
    ]


def test_api_act_refuses_files_that_are_not_the_actors_upload_to_this_task(client, staff, waiting):
    own_id = file_attach(
        actor=staff.clerk, owner_type="accounts.user", owner_id=str(staff.clerk.pk), upload=pdf()
    ).pk
    other_clerk = factories.create_official(department=staff.subject_dept, role="window_clerk")
    others = file_attach(actor=other_clerk, owner_type=TASK_OWNER, owner_id=str(waiting.pk), upload=pdf()).pk
    client.force_login(staff.clerk)
    for ids in ([own_id], [others], [10**12]):
        response = client.post(
            f"{API}/workflow/tasks/{waiting.pk}/act",
            {"action": "market_supplemented", "version": waiting.version, "attachments": ids},
            content_type="application/json",
        )
        assert response.status_code == 422, response.json()
        assert str(ids[0]) in response.json()["error"]["fields"]["attachments"]
    assert Task.objects.get(pk=waiting.pk).status == TaskStatus.OPEN


def test_only_who_may_work_the_task_attaches_to_it(client, staff, waiting):
    client.force_login(staff.market_approver)  # sees the instance, does not hold the clerk's role
    response = client.post(
        f"{API}/files/", {"owner_type": TASK_OWNER, "owner_id": str(waiting.pk), "file": pdf()}
    )
    assert response.status_code == 403
    client.force_login(staff.clerk)
    response = client.post(f"{API}/files/", {"owner_type": TASK_OWNER, "owner_id": "007", "file": pdf()})
    assert response.status_code == 404
