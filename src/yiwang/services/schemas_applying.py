"""In/Out schemas of /api/v1/services — 申请. Shapes only: the services check every value and
name each bad one in Chinese ("form.<code>", "materials.<code>"). Personal data in the form
(身份证号, 电话) is only ever sent back masked."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.urls import reverse
from ninja import Field, Schema

from yiwang.core.schema_types import Text
from yiwang.services.services.applying_form import form_answers

_ID = {"ge": 1, "le": 2**63 - 1}


class ApplicationCreateIn(Schema):
    item_id: int = Field(**_ID, description="事项ID（已发布）")
    applicant_id: int | None = Field(
        None, **_ID, description="申请人：缺省为本人；企业经办人填企业的用户ID；窗口代办可填申请人用户ID"
    )
    channel: Text = Field("online", max_length=16, description="online 网上申请 | window 窗口申请")
    window_id: int | None = Field(None, **_ID, description="窗口申请：受理窗口ID")
    applicant_id_number: Text = Field(
        "", max_length=18, description="窗口申请：申请人身份证号（与姓名同时填写）"
    )
    applicant_name: Text = Field("", max_length=128, description="窗口申请：申请人姓名")
    applicant_uscc: Text = Field("", max_length=18, description="窗口申请：企业统一社会信用代码")


class ApplicationSaveIn(Schema):
    form: dict[str, Any] = Field(
        default_factory=dict, max_length=100, description="字段代码 → 填写内容；未给出的字段保持原值"
    )
    delivery_method: Text | None = Field(None, max_length=16, description="electronic | mail | window")
    delivery_address: Text | None = Field(None, max_length=255)
    version: int = Field(ge=1, le=2**31 - 1, description="读取时的版本；已被修改时返回409")


class SubmitIn(Schema):
    client_token: Text = Field("", max_length=64, description="客户端生成的提交令牌：重复提交返回同一办件")


class WithdrawIn(Schema):
    reason: Text = Field(max_length=500)


class ResubmitIn(Schema):
    note: Text = Field("", max_length=2000)


class ReuseIn(Schema):
    personal_material_id: int = Field(**_ID)


class FileOut(Schema):
    id: int
    name: str
    size: int = Field(alias="file.size")
    created_at: datetime
    url: str

    @staticmethod
    def resolve_url(attachment) -> str:
        return reverse("files:download", args=[attachment.pk])


class MaterialOut(Schema):
    code: str
    name: str
    required: bool
    is_key: bool
    source: str
    source_label: str
    provided_by: str
    license_id: int | None
    problem: str
    files: list[FileOut]

    @staticmethod
    def resolve_source_label(material) -> str:
        return material.get_source_display()

    @staticmethod
    def resolve_files(material) -> list:
        return list(material.files.select_related("file").all())


class ApplicationOut(Schema):
    id: int
    number: str | None
    status: str
    status_label: str
    item_id: int
    item_name: str = Field(alias="item_version.name")
    applicant_id: int
    applicant_name: str = Field(alias="applicant.display_name")
    channel: str
    created_at: datetime
    submitted_at: datetime | None
    due_at: datetime | None
    outcome: str
    version: int

    @staticmethod
    def resolve_status_label(application) -> str:
        return application.get_status_display()


class AnswerOut(Schema):
    code: str
    label: str
    value: str = Field(description="身份证号、电话等个人信息已脱敏")
    sensitive: bool
    required: bool


class ProgressStepOut(Schema):
    name: str
    department: str
    started_at: datetime
    ended_at: datetime | None
    status_name: str
    action_name: str


class CorrectionOut(Schema):
    code: str
    name: str
    problem: str


class ProgressOut(Schema):
    due_at: datetime | None
    promised: str
    used_working_days: float | None
    clock_paused: bool
    steps: list[ProgressStepOut]
    correction_note: str
    corrections: list[CorrectionOut]
    not_accepted_reason: str
    decision_reason: str
    decision_basis: str


class ApplicationDetailOut(ApplicationOut):
    delivery_method: str
    delivery_address: str
    form: list[AnswerOut]
    materials: list[MaterialOut]
    license_id: int | None
    progress: ProgressOut | None = None

    @staticmethod
    def resolve_form(application) -> list:
        return form_answers(application)

    @staticmethod
    def resolve_materials(application) -> list:
        return list(application.materials.all())

    @staticmethod
    def resolve_progress(application):
        from yiwang.services.selectors_applications import application_progress

        return application_progress(application=application) if application.instance_id else None


class MaterialFilters(Schema):
    code: Text = Field("", max_length=64, description="只看某一材料代码")
    principal_id: int | None = Field(None, **_ID, description="企业经办人查看企业的材料：企业的用户ID")


class PersonalMaterialOut(Schema):
    id: int
    code: str
    name: str
    file_name: str = Field(alias="attachment.name")
    size: int = Field(alias="attachment.file.size")
    created_at: datetime
    last_used_at: datetime | None
    use_count: int
