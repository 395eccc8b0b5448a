"""In/Out schemas of the portal's public reads (/api/v1/services/search, /life-events,
/departments). Shapes only: services/search.py checks every filter again and names it in Chinese."""

from __future__ import annotations

from ninja import Field, Schema

from yiwang.core.pagination import MAX_OFFSET
from yiwang.core.schema_types import Text


class SearchIn(Schema):
    # Longer than the service's 100 characters, so the service's Chinese message is the one seen.
    q: Text = Field("", max_length=1000, description="检索词（中文分词，按名称、关键词和热度排序）")
    subject: Text = Field("", max_length=16, description="服务对象：citizen 个人 | enterprise 法人")
    department: int | None = Field(None, ge=1, le=2**63 - 1, description="实施部门ID")
    life_event: Text = Field("", max_length=32, description="人生事件代码")
    theme: Text = Field("", max_length=32, description="主题代码")
    limit: int = Field(20, ge=1, le=50)
    offset: int = Field(0, ge=0, le=MAX_OFFSET)


class SnippetPartOut(Schema):
    text: str
    match: bool


class SearchHitOut(Schema):
    kind: str = Field(description="item 事项 | bundle 一件事")
    id: int
    name: str
    department: str = Field(description="实施部门（一件事：牵头部门）")
    snippet: str = Field(description="摘要（纯文本）")
    snippet_parts: list[SnippetPartOut] = Field(description="摘要分段，match=true 为命中词")
    badges: list[str]
    score: float
    url: str = Field(description="办事指南或一件事页面；尚无页面时为空")


class SearchPageOut(Schema):
    items: list[SearchHitOut]
    count: int
    searchable: bool = Field(description="检索词中没有文字或数字（空、标点、表情）时为 false")


class SubjectIn(Schema):
    subject: Text = Field("", max_length=16, description="服务对象：citizen 个人 | enterprise 法人")


class CategoryOut(Schema):
    code: str
    label: str
    group: str = Field(description="citizen 人生事件 | enterprise 企业生命周期")
    count: int = Field(description="已发布事项数")


class DepartmentCountOut(Schema):
    id: int
    name: str
    count: int = Field(description="已发布事项数")
