"""审计日志: append-only, hash-chained records of every state change (等保 2.0 安全审计).

Records are spread over `YIWANG_AUDIT_CHAINS` independent chains. A writer locks the head
row of one chain for the rest of its transaction, so concurrent transactions on different
chains never wait for each other; within a chain, `seq` has no gaps, so a deleted record is
as visible as an altered one.
"""

from __future__ import annotations

from django.db import models

GENESIS_HASH = "0" * 64


class AuditChain(models.Model):
    number = models.PositiveSmallIntegerField("链号", primary_key=True)
    last_seq = models.BigIntegerField("末条序号", default=0)
    last_hash = models.CharField("末条摘要", max_length=64, default=GENESIS_HASH)

    class Meta:
        verbose_name = "审计链"
        verbose_name_plural = "审计链"

    def __str__(self) -> str:
        return f"审计链 {self.number}（末条序号 {self.last_seq}）"


class AuditRecord(models.Model):
    chain = models.PositiveSmallIntegerField("链号")
    seq = models.BigIntegerField("序号")
    created_at = models.DateTimeField("时间", db_index=True)
    actor_id = models.BigIntegerField("操作人ID", null=True, blank=True, db_index=True)
    actor_name = models.CharField("操作人", max_length=128, blank=True, default="")
    action = models.CharField("操作代码", max_length=64, db_index=True)
    target_type = models.CharField("对象类型", max_length=64, blank=True, default="")
    target_id = models.CharField("对象ID", max_length=64, blank=True, default="")
    target_repr = models.CharField("对象", max_length=255, blank=True, default="")
    changes = models.JSONField("变更摘要", default=dict, blank=True)
    client_address = models.GenericIPAddressField("客户端地址", null=True, blank=True)
    channel = models.CharField("渠道", max_length=255, blank=True, default="")
    prev_hash = models.CharField("前一条摘要", max_length=64)
    hash = models.CharField("摘要（HMAC-SM3）", max_length=64)

    class Meta:
        verbose_name = "审计记录"
        verbose_name_plural = "审计记录"
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["chain", "seq"], name="audit_chain_seq_unique")]
        indexes = [models.Index(fields=["target_type", "target_id"], name="audit_target_idx")]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M:%S} {self.actor_name} {self.action} {self.target_repr}"
