"""In/Out schemas of the 好差评 and figures API. Shapes only: the services check every value
again and name each bad field in Chinese (`level`, `indicators.efficiency`, `comment`)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from ninja import Field, Schema

from yiwang.core.schema_types import Text


class OnlineRatingIn(Schema):
    level: Any = Field(description="总体评价 1–5（5 非常满意 … 1 非常不满意；2、1 为差评）")
    indicators: Any = Field(
        description="分项评价，五项均须 1–5：overall 整体满意度, efficiency 办事效率, "
        "guide_accuracy 办事指南精确度, convenience 办事便捷度, usability 平台操作性"
    )
    comment: Text = Field("", max_length=2000, description="评价内容（≤500字；差评须说明原因，至少5个字）")


class WindowRatingIn(Schema):
    token: Text = Field(max_length=512, description="受理回执二维码中的评价令牌")
    level: Any = Field(description="评价 1–5")
    comment: Text = Field("", max_length=2000)


class RatingOut(Schema):
    id: int
    application_id: int
    channel: str
    level: int
    level_label: str
    indicators: dict
    comment: str
    created_at: datetime
    rectification_id: int | None

    @staticmethod
    def resolve_level_label(obj) -> str:
        return obj.get_level_display()

    @staticmethod
    def resolve_rectification_id(obj) -> int | None:
        rectification = getattr(obj, "rectification", None) if obj.is_bad else None
        return rectification.pk if rectification is not None else None


class WindowRatingOut(Schema):
    """What the phone is told: no name, no comment echoed back beyond the level."""

    id: int
    level: int
    level_label: str
    created_at: datetime

    @staticmethod
    def resolve_level_label(obj) -> str:
        return obj.get_level_display()


class PublicSummaryOut(Schema):
    id: int
    name: str
    count: int
    average: float | None = Field(description="平均分（一位小数）")
    good_rate: float | None = Field(description="好评率（4、5分占比，0–1）")
    bad_count: int
    rectified_rate: float | None = Field(description="整改率（0–1）")


class SummaryOut(PublicSummaryOut):
    revisit_rate: float | None = Field(description="实名差评回访率（0–1）")


class SummaryFilters(Schema):
    by: str = Field("item", description="item | department | window")
    date_from: date | None = None
    date_to: date | None = None
    department: int | None = Field(None, ge=1, le=2**63 - 1)


class PublicSummaryFilters(Schema):
    by: str = Field("department", description="department | item")


class RectificationOut(Schema):
    id: int
    status: str
    status_label: str
    department_id: int
    department_name: str
    rating_id: int
    level: int
    comment: str
    item_name: str
    application_id: int
    application_number: str | None
    due_at: datetime | None
    clock_status: str
    response: str
    unfounded: bool
    appeal_reason: str
    appeal_decision: str
    revisit_result: str
    revisit_note: str
    created_at: datetime
    closed_at: datetime | None

    @staticmethod
    def resolve_status_label(obj) -> str:
        return obj.get_status_display()

    @staticmethod
    def resolve_department_name(obj) -> str:
        return obj.department.name

    @staticmethod
    def resolve_level(obj) -> int:
        return obj.rating.level

    @staticmethod
    def resolve_comment(obj) -> str:
        return obj.rating.comment

    @staticmethod
    def resolve_item_name(obj) -> str:
        return obj.rating.item.name

    @staticmethod
    def resolve_application_id(obj) -> int:
        return obj.rating.application_id

    @staticmethod
    def resolve_application_number(obj) -> str | None:
        return obj.rating.application.number

    @staticmethod
    def resolve_clock_status(obj) -> str:
        return obj.instance.clock_status if obj.instance_id else ""


class RectificationFilters(Schema):
    status: str = Field("", description="open | appealing | revisiting | closed | revoked")


class RespondIn(Schema):
    text: Text = Field(max_length=2000, description="整改情况，或情况说明（差评不实）")
    unfounded: bool = False


class AppealIn(Schema):
    reason: Text = Field(max_length=2000)


class ReviewAppealIn(Schema):
    upheld: bool = Field(description="true 申诉成立（差评不计）；false 申诉不成立，退回整改")
    opinion: Text = Field(max_length=2000)


class RevisitIn(Schema):
    satisfied: bool = Field(description="true 回访满意，整改办结；false 不满意，重新整改")
    note: Text = Field(max_length=2000)


class FiguresFilters(Schema):
    date_from: date | None = Field(None, alias="from")
    date_to: date | None = Field(None, alias="to")
    department: int | None = Field(None, ge=1, le=2**63 - 1)


class SatisfactionOut(Schema):
    ratings: int
    average_level: float | None
    good_rate: float | None
    bad_count: int
    rectified_rate: float | None


class FiguresOut(Schema):
    period: dict[str, date]
    department: str = Field(description="所选部门（空：查看范围内全部）")
    items: int
    online_items: int
    online_rate: float | None = Field(description="网上可办率")
    immediate_items: int
    immediate_item_rate: float | None = Field(description="即办率（事项）")
    compression_ratio: float | None = Field(description="承诺时限压缩比")
    applications: int
    channels: dict[str, int]
    immediate_applications: int
    immediate_application_rate: float | None = Field(description="即办率（办件）")
    completed: int
    on_time: int
    on_time_rate: float | None = Field(description="按时办结率")
    avg_working_days_used: float | None
    avg_promised_working_days: float | None
    satisfaction: SatisfactionOut
