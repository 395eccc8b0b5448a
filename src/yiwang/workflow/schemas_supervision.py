"""Shapes of the 电子监察 API (/api/v1/workflow/supervision)."""

from datetime import date, datetime

from ninja import Field, Schema

from yiwang.workflow.models_supervision import AccountabilityKind

PROCESS_CODE = r"^([a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*)?$"  # as loader.PROCESS_CODE, or empty
ID_MAX = 2**63 - 1
KINDS = "^(" + "|".join(AccountabilityKind.values) + ")$"


class OverdueFilterIn(Schema):
    department: int | None = Field(None, ge=1, le=ID_MAX, description="部门编号（含下级部门）")
    process: str = Field("", max_length=64, pattern=PROCESS_CODE, description="流程代码")


class FiguresFilterIn(OverdueFilterIn):
    start: date | None = Field(None, description="统计起始日期（默认本月1日）")
    end: date | None = Field(None, description="统计截止日期（含当日，默认今天）")


class ExportFilterIn(FiguresFilterIn):
    what: str = Field("figures", pattern="^(figures|overdue)$", description="figures | overdue")
    format: str = Field("xlsx", pattern="^(csv|xlsx)$", description="csv | xlsx")


class PeriodOut(Schema):
    start: date
    end: date


class FigureRowOut(Schema):
    key: int | str | None
    name: str
    open: int
    warning: int
    overdue: int
    completed: int
    on_time: int
    early: int
    on_time_rate: float | None
    early_rate: float | None
    avg_working_days: float | None


class FiguresOut(Schema):
    period: PeriodOut
    by_department: list[FigureRowOut]
    by_process: list[FigureRowOut]
    totals: FigureRowOut
    process_totals: FigureRowOut


class OverdueOut(Schema):
    task_id: int
    instance_id: int
    process: str
    process_name: str
    state_name: str
    department_id: int
    department: str
    responsible: str
    responsible_id: int | None
    due_at: datetime | None
    overdue_working_days: float | None
    notices: int
    pending_notice: bool


class NoticeFilterIn(Schema):
    box: str = Field("received", pattern="^(received|sent)$", description="received | sent")
    pending: bool = Field(False, description="只看待反馈的督办")


class NoticeIn(Schema):
    instance: int = Field(..., ge=1, le=ID_MAX)
    task: int | None = Field(None, ge=1, le=ID_MAX)
    message: str = Field(..., max_length=2000)
    respond_by: date | None = None


class AcknowledgeIn(Schema):
    version: int
    reply: str = Field(..., max_length=2000)


class NoticeOut(Schema):
    id: int
    instance_id: int
    process: str
    task_id: int | None
    department_id: int
    department: str
    sender_id: int
    sender: str
    message: str
    respond_by: datetime | None
    created_at: datetime
    acknowledged_at: datetime | None
    acknowledged_by_id: int | None
    acknowledged_by: str
    reply: str
    pending: bool
    version: int

    @staticmethod
    def resolve_process(obj) -> str:
        return obj.instance.definition_code

    @staticmethod
    def resolve_department(obj) -> str:
        return obj.department.name

    @staticmethod
    def resolve_sender(obj) -> str:
        return obj.sender.display_name

    @staticmethod
    def resolve_acknowledged_by(obj) -> str:
        return obj.acknowledged_by.display_name if obj.acknowledged_by_id else ""

    @staticmethod
    def resolve_pending(obj) -> bool:
        return obj.acknowledged_at is None


class AccountabilityFilterIn(Schema):
    department: int | None = Field(None, ge=1, le=ID_MAX, description="部门编号（含下级部门）")


class AccountabilityIn(Schema):
    instance: int = Field(..., ge=1, le=ID_MAX)
    task: int | None = Field(None, ge=1, le=ID_MAX)
    kind: str = Field(..., pattern=KINDS, description="overdue | wrong | other")
    reason: str = Field(..., max_length=2000)
    responsible: int | None = Field(None, ge=1, le=ID_MAX, description="责任人（默认为该待办的办理人）")


class AccountabilityOut(Schema):
    id: int
    instance_id: int
    process: str
    task_id: int | None
    department_id: int
    department: str
    responsible_id: int | None
    responsible: str
    kind: str
    kind_name: str
    reason: str
    recorded_by_id: int
    recorded_by: str
    recorded_at: datetime

    @staticmethod
    def resolve_process(obj) -> str:
        return obj.instance.definition_code

    @staticmethod
    def resolve_department(obj) -> str:
        return obj.department.name

    @staticmethod
    def resolve_responsible(obj) -> str:
        return obj.responsible.display_name if obj.responsible_id else ""

    @staticmethod
    def resolve_kind_name(obj) -> str:
        return obj.get_kind_display()

    @staticmethod
    def resolve_recorded_by(obj) -> str:
        return obj.recorded_by.display_name
