"""In/Out schemas of the organisations API. Codes are checked with `yiwang.core.codes` here
and again in the services (forms and imports call those too)."""

from __future__ import annotations

from typing import Any

from ninja import Field, Schema
from pydantic import field_validator

from yiwang.core import codes
from yiwang.core.orgs.models import DepartmentKind, DivisionLevel
from yiwang.core.schema_types import Text, checked_code

_ID = {"ge": 1, "le": 2**63 - 1}


# --- divisions -------------------------------------------------------------------------------
class DivisionFilters(Schema):
    parent: Text | None = Field(None, max_length=12, description="上级区划代码")
    level: DivisionLevel | None = None
    q: Text = Field("", max_length=64, description="名称或代码前缀")


class DivisionCreateIn(Schema):
    code: Text = Field(max_length=12, description="GB/T 2260 六位代码或十二位统计用区划代码")
    name: Text = Field(max_length=64)
    parent_code: Text | None = Field(None, max_length=12, description="上级区划代码；省级可空")

    @field_validator("code")
    @classmethod
    def check_code(cls, value: str) -> str:
        return checked_code(codes.validate_division_code, value)


class DivisionUpdateIn(Schema):
    version: int | None = Field(None, ge=1, description="读取时的版本；不一致时返回409")
    name: Text = Field(max_length=64)


class DivisionOut(Schema):
    code: str
    name: str
    level: str
    level_label: str
    parent_code: str | None
    version: int

    @staticmethod
    def resolve_level_label(division) -> str:
        return division.get_level_display()

    @staticmethod
    def resolve_parent_code(division) -> str | None:
        return division.parent.code if division.parent_id else None


# --- departments -----------------------------------------------------------------------------
class DepartmentFilters(Schema):
    division: Text | None = Field(None, max_length=12, description="所属区划代码")
    parent: int | None = Field(None, **_ID, description="上级部门ID")
    q: Text = Field("", max_length=64, description="名称")
    include_inactive: bool = False


class DepartmentCreateIn(Schema):
    name: Text = Field(max_length=128)
    division_code: Text = Field(max_length=12)
    parent_id: int | None = Field(None, **_ID)
    kind: DepartmentKind = DepartmentKind.GOVERNMENT
    uscc: Text | None = Field(None, max_length=32, description="统一社会信用代码（GB 32100）")
    short_name: Text = Field("", max_length=32)
    sort_order: int = Field(100, ge=0, le=32767)

    @field_validator("uscc")
    @classmethod
    def check_uscc(cls, value: str | None) -> str | None:
        return checked_code(codes.validate_uscc, value)


class DepartmentUpdateIn(Schema):
    version: int = Field(ge=1, description="读取时的版本；已被他人修改时返回409")
    name: Text | None = Field(None, max_length=128)
    short_name: Text | None = Field(None, max_length=32)
    is_active: bool | None = None
    sort_order: int | None = Field(None, ge=0, le=32767)


class DepartmentOut(Schema):
    id: int
    name: str
    short_name: str
    uscc: str | None
    uscc_flagged: str = Field(description="历史数据导入时保留的代码告警（如校验位错误）；为空表示无告警")
    division_code: Text = Field(alias="division.code")
    division_name: Text = Field(alias="division.name")
    parent_id: int | None
    kind: str
    kind_label: str
    path: str
    is_active: bool
    sort_order: int
    version: int

    @staticmethod
    def resolve_kind_label(department) -> str:
        return department.get_kind_display()


class DepartmentMoveIn(Schema):
    """机构改革: the new parent (null: a top-level department) and the version the editor read."""

    parent_id: int | None = Field(**_ID, description="新的上级部门ID；null表示移为顶级部门")
    version: int = Field(ge=1, description="读取时的版本；已被他人修改时返回409")


class DepartmentReclassifyIn(Schema):
    version: int = Field(ge=1, description="读取时的版本；已被他人修改时返回409")
    kind: DepartmentKind | None = Field(None, description="部门类型；不传表示不变")
    uscc: Text | None = Field(
        None, max_length=32, description="统一社会信用代码（GB 32100）；不传表示不变，空字符串表示清除"
    )

    @field_validator("uscc")
    @classmethod
    def check_uscc(cls, value: str | None) -> str | None:
        return checked_code(codes.validate_uscc, value)


# --- grids -----------------------------------------------------------------------------------
class GridFilters(Schema):
    division: Text | None = Field(None, max_length=12, description="区划代码前缀")
    department: int | None = Field(None, **_ID)


class GridCreateIn(Schema):
    code: Text = Field(max_length=32, description="单元网格编码（CJ/T 213）")
    name: Text = Field(max_length=64)
    division_code: Text = Field(max_length=12)
    department_id: int | None = Field(None, **_ID)
    boundary: dict[str, Any] | None = Field(None, description="GeoJSON Polygon（RFC 7946）")

    @field_validator("code")
    @classmethod
    def check_code(cls, value: str) -> str:
        return checked_code(codes.validate_grid_code, value)


class GridUpdateIn(Schema):
    version: int | None = Field(None, ge=1)
    name: Text | None = Field(None, max_length=64)
    department_id: int | None = Field(None, **_ID, description="空值表示取消责任部门（须显式给出）")
    boundary: dict[str, Any] | None = None


class GridOut(Schema):
    code: str
    name: str
    division_code: Text = Field(alias="division.code")
    department_id: int | None
    boundary: dict[str, Any] | None
    version: int


# --- imports -----------------------------------------------------------------------------------
class ImportRowOut(Schema):
    line: int = Field(description="文件中的行号（表头为第1行）")
    status: str = Field(description="created | flagged | unchanged | failed")
    status_label: str
    key: str = Field(description="该行的区划代码或部门名称")
    reason: str
    fields: dict[str, str] = Field(description="列名 → 原因")


class ImportReportOut(Schema):
    kind: str
    total: int
    created: int = Field(description="新建的行（含已标记的行）")
    unchanged: int
    failed: int
    flagged: int
    rows: list[ImportRowOut]

    @staticmethod
    def resolve_rows(report) -> list:
        return report.sorted_rows()
