"""Stored process definitions: every version of every process file, as it was loaded.

A running instance keeps the version it started with (issue 3), so a version is never changed
or deleted: a changed file becomes a new version, and `is_current` moves to it.
"""

from __future__ import annotations

from django.db import models


class ProcessDefinitionVersion(models.Model):
    code = models.CharField("流程代码", max_length=64)
    version = models.PositiveIntegerField("版本")
    name = models.CharField("流程名称", max_length=128)
    content_sha256 = models.CharField("内容摘要（SHA-256）", max_length=64)
    source = models.CharField("来源文件", max_length=255)
    text = models.TextField("定义原文（YAML）")
    loaded_at = models.DateTimeField("载入时间")
    is_current = models.BooleanField("当前版本", default=True)

    class Meta:
        verbose_name = "流程定义版本"
        verbose_name_plural = "流程定义版本"
        ordering = ["code", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="workflow_definition_version_unique"),
            models.UniqueConstraint(
                fields=["code", "content_sha256"], name="workflow_definition_content_unique"
            ),
            models.UniqueConstraint(
                fields=["code"], condition=models.Q(is_current=True), name="workflow_definition_one_current"
            ),
            models.CheckConstraint(
                condition=models.Q(version__gte=1), name="workflow_definition_version_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.code} v{self.version}）"


from yiwang.workflow.models_runtime import ClockPause, InstanceEvent, ProcessInstance, Task  # noqa: E402, F401
from yiwang.workflow.models_supervision import Accountability, CarbonCopy, SupervisionNotice  # noqa: E402, F401
