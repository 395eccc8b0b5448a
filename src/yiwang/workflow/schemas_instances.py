"""Shapes of the instance API (/api/v1/workflow/instances): the timeline (issue 3 §6)."""

from datetime import datetime

from django.urls import reverse
from ninja import Schema


class FileLinkOut(Schema):
    id: int
    name: str
    size: int
    url: str  # the download page (signed-in browser)
    content_url: str  # the API download (/api/v1/files/{id}/content)

    @staticmethod
    def resolve_content_url(obj) -> str:
        return reverse("api:file_content", kwargs={"attachment_id": obj.id})


class StepOut(Schema):
    task_id: int
    state: str
    state_name: str
    branch: str
    branch_name: str
    department: str
    status: str
    status_name: str
    who: str
    opened_at: datetime
    claimed_at: datetime | None
    completed_at: datetime | None
    action: str
    action_name: str
    action_kind: str
    opinion: str
    reason: str
    attachments: list[FileLinkOut]
    allowed: str
    used: float | None
    due_at: datetime | None
    clock_status: str
    clock_name: str


class DetailOut(Schema):
    label: str
    value: str


class TimelineEventOut(Schema):
    id: int
    kind: str
    kind_name: str
    actor: str
    at: datetime
    state_name: str
    to_state_name: str
    action_name: str
    opinion: str
    opinion_label: str
    reason: str
    details: list[DetailOut]

    @staticmethod
    def resolve_details(obj) -> list[dict]:
        return [{"label": label, "value": value} for label, value in obj.details]


class TimelineOut(Schema):
    instance_id: int
    process_code: str
    process_name: str
    version: int
    subject_type: str
    subject_id: str
    department: str
    initiator: str
    status: str
    status_name: str
    outcome: str
    outcome_name: str
    started_at: datetime
    ended_at: datetime | None
    allowed: str
    used: float | None
    due_at: datetime | None
    clock_status: str
    clock_name: str
    steps: list[StepOut]
    events: list[TimelineEventOut]
