"""In/Out schemas of the audit API. Filters are parsed by `audit.filters`, as on the page."""

from __future__ import annotations

from datetime import datetime

from ninja import Field, Schema
from pydantic import field_validator

from yiwang.core.audit import filters


class AuditFilterIn(Schema):
    action: str | None = Field(None, description="操作代码前缀，如 `core.user.`")
    actor_name: str | None = Field(None, description="操作人（部分匹配）")
    target_type: str | None = Field(None, description="对象类型，如 `accounts.user`")
    target_id: str | None = Field(None, description="对象ID")
    since: str | None = Field(None, description="起始时间，ISO 8601：YYYY-MM-DD 或 YYYY-MM-DDTHH:MM")
    until: str | None = Field(None, description="截止时间（含当日），ISO 8601")
    client_address: str | None = Field(None, description="客户端地址（IPv4/IPv6）")

    @field_validator("action", "actor_name", "target_type", "target_id")
    @classmethod
    def _text(cls, value, info):
        return filters.parse_text(info.field_name, value)

    @field_validator("since", "until")
    @classmethod
    def _moment(cls, value, info):
        return filters.parse_moment(info.field_name, value)

    @field_validator("client_address")
    @classmethod
    def _address(cls, value):
        return filters.parse_address(value)


class AuditRecordOut(Schema):
    id: int
    chain: int
    seq: int
    created_at: datetime
    actor_id: int | None
    actor_name: str
    action: str
    target_type: str
    target_id: str
    target_repr: str
    changes: dict
    client_address: str | None
    channel: str
    prev_hash: str
    hash: str


class ProblemOut(Schema):
    chain: int
    seq: int
    record_id: int | None
    kind: str = Field(description="altered / missing / broken_link / head_mismatch / no_head")
    kind_label: str
    detail: str


class VerifyReportOut(Schema):
    intact: bool
    chains: int
    records: int
    problems: list[ProblemOut] = Field(description="每条链的第一个问题 / the first problem of each chain")
