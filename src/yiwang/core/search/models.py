"""The search document: one row per indexed object, holding its segmented text.

The full-text index itself is not a Django field, because it differs per database
(migration 0002): on SQLite an external-content FTS5 table `search_document_fts` kept in step
by triggers; on PostgreSQL a generated `search_vector tsvector` column with a GIN index.
Caution for later migrations: on SQLite, Django rebuilds a table to alter a column, which
drops the triggers — re-create them (0002's SQL) in the same migration.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone


class SearchDocument(models.Model):
    kind = models.CharField("对象类型", max_length=32)
    object_id = models.PositiveBigIntegerField("对象ID")
    # Space-separated index terms (segment.index_terms): what the database indexes.
    title_tokens = models.TextField("标题分词", default="")
    keyword_tokens = models.TextField("关键词分词", default="")
    body_tokens = models.TextField("正文分词", default="")
    # ",name:value," filter keys (department, subject …); see services.search(tags=...).
    tags = models.TextField("筛选标签", default=",")
    # The readable text the snippet is cut from (not segmented).
    display_text = models.TextField("摘要原文", default="")
    popularity = models.PositiveIntegerField("热度", default=0)
    # 1 + ln(1 + popularity) / 10: multiplies the relevance score (services.boost_for).
    boost = models.FloatField("热度加权", default=1.0)
    updated_at = models.DateTimeField("索引时间", default=timezone.now)

    class Meta:
        verbose_name = "检索文档"
        verbose_name_plural = "检索文档"
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id"], name="search_document_object_unique")
        ]

    def __str__(self) -> str:
        return f"{self.kind}:{self.object_id}"
