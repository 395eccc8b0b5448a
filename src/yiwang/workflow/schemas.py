"""Shapes of the inbox API (/api/v1/workflow)."""

from datetime import datetime

from ninja import Field, Schema


class InboxFilterIn(Schema):
    box: str = Field("mine", pattern="^(mine|department|done)$", description="mine | department | done")
    status: str = Field("", pattern="^(|normal|warning|overdue)$", description="计时状态")
    process: str = Field("", max_length=64, description="流程代码")
    due_before: datetime | None = None


class TaskOut(Schema):
    id: int
    instance_id: int
    process: str
    state: str
    state_name: str
    status: str
    subject_type: str
    subject_id: str
    candidate_department_id: int | None
    assignee_id: int | None
    created_at: datetime
    due_at: datetime | None
    clock_status: str
    version: int

    # Mapping only: the names live on the instance and in its definition version.
    @staticmethod
    def resolve_process(obj) -> str:
        return obj.instance.definition_code

    @staticmethod
    def resolve_state_name(obj) -> str:
        from yiwang.workflow.selectors_runtime import state_name_of

        return state_name_of(obj)

    @staticmethod
    def resolve_subject_type(obj) -> str:
        return obj.instance.subject_type

    @staticmethod
    def resolve_subject_id(obj) -> str:
        return obj.instance.subject_id


class CountsOut(Schema):
    mine: int
    department: int
    done: int
    copied: int = Field(0, description="未读抄阅")


class ActionOut(Schema):
    code: str
    name: str
    kind: str
    requires: list[str]


class EventOut(Schema):
    kind: str
    action: str
    actor: str
    from_state: str
    to_state: str
    opinion: str
    reason: str
    at: datetime


class TaskDetailOut(TaskOut):
    process_name: str
    instance_status: str
    instance_version: int
    actions: list[ActionOut]
    history: list[EventOut]


class VersionIn(Schema):
    version: int


class ActIn(Schema):
    action: str = Field(..., min_length=1, max_length=64)
    version: int
    opinion: str = Field("", max_length=2000)
    reason: str = Field("", max_length=2000)
    attachments: list[int] = []


# --- 转办 / 委托 / 改派 and 抄阅 (issue 3 §2, §3) ------------------------------------------------
class TransferIn(Schema):
    version: int
    department: int = Field(..., description="转办至部门的编号")
    reason: str = Field("", max_length=2000)


class HandoverIn(Schema):
    version: int
    to_user: int = Field(..., description="委托/改派给的人员编号")
    reason: str = Field("", max_length=2000)


class CopyIn(Schema):
    recipients: list[int] = Field(..., description="抄送人员编号（1–20人）")
    note: str = Field("", max_length=2000)
    task: int | None = Field(None, description="抄送时所在的待办（可选）")


class CopyOut(Schema):
    id: int
    instance_id: int
    task_id: int | None
    process: str
    subject_type: str
    subject_id: str
    sender: str
    note: str
    created_at: datetime
    read_at: datetime | None

    @staticmethod
    def resolve_process(obj) -> str:
        return obj.instance.definition_code

    @staticmethod
    def resolve_subject_type(obj) -> str:
        return obj.instance.subject_type

    @staticmethod
    def resolve_subject_id(obj) -> str:
        return obj.instance.subject_id

    @staticmethod
    def resolve_sender(obj) -> str:
        return obj.sender.display_name
