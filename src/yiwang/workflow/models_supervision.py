"""抄阅, 督办 and 过错问责: what people add around a running process (issue 3 §3, §5).

Written only by `workflow/services/` (copies, supervision); every write is also an
`InstanceEvent`, so the timeline shows it, and an audit record.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from yiwang.workflow.models_runtime import ProcessInstance, Task


class CarbonCopy(models.Model):
    """抄阅: an instance copied to an official for information; they read it, they do not act."""

    instance = models.ForeignKey(
        ProcessInstance, verbose_name="流程实例", on_delete=models.PROTECT, related_name="copies"
    )
    task = models.ForeignKey(
        Task, verbose_name="抄送时的待办", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="抄送给", on_delete=models.PROTECT, related_name="+"
    )
    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="抄送人", on_delete=models.PROTECT, related_name="+"
    )
    note = models.TextField("附言", blank=True, default="")
    created_at = models.DateTimeField("抄送时间")
    read_at = models.DateTimeField("阅读时间", null=True, blank=True)

    class Meta:
        verbose_name = "抄阅"
        verbose_name_plural = "抄阅"
        indexes = [models.Index(fields=["recipient", "read_at"], name="wf_copy_recipient_read")]

    def __str__(self) -> str:
        return f"{self.instance} → {self.recipient_id}"


class SupervisionNotice(models.Model):
    """督办: a pressing notice from 监察人员 to the department responsible, which must acknowledge."""

    instance = models.ForeignKey(
        ProcessInstance, verbose_name="流程实例", on_delete=models.PROTECT, related_name="notices"
    )
    task = models.ForeignKey(
        Task, verbose_name="督办的待办", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    department = models.ForeignKey(
        "orgs.Department", verbose_name="被督办部门", on_delete=models.PROTECT, related_name="+"
    )
    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="督办人", on_delete=models.PROTECT, related_name="+"
    )
    message = models.TextField("督办意见")
    respond_by = models.DateTimeField("反馈时限", null=True, blank=True)
    created_at = models.DateTimeField("督办时间")
    acknowledged_at = models.DateTimeField("反馈时间", null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="反馈人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reply = models.TextField("反馈意见", blank=True, default="")
    version = models.PositiveIntegerField("版本", default=1)

    class Meta:
        verbose_name = "督办"
        verbose_name_plural = "督办"
        indexes = [models.Index(fields=["department", "acknowledged_at"], name="wf_notice_dept_ack")]

    def __str__(self) -> str:
        return f"督办 {self.instance} → {self.department_id}"


class AccountabilityKind(models.TextChoices):
    OVERDUE = "overdue", "超期办理"
    WRONG = "wrong", "违规或不当办理"
    OTHER = "other", "其他过错"


class Accountability(models.Model):
    """过错问责: a late or wrongly handled case marked for accountability, with its reason.

    Append-only: a record is never edited or deleted; a correction is a new record."""

    instance = models.ForeignKey(
        ProcessInstance, verbose_name="流程实例", on_delete=models.PROTECT, related_name="accountabilities"
    )
    task = models.ForeignKey(
        Task, verbose_name="涉及待办", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    department = models.ForeignKey(
        "orgs.Department", verbose_name="责任部门", on_delete=models.PROTECT, related_name="+"
    )
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="责任人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    kind = models.CharField("过错类型", max_length=16, choices=AccountabilityKind.choices)
    reason = models.TextField("问责理由")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="记录人", on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField("记录时间")

    class Meta:
        verbose_name = "过错问责"
        verbose_name_plural = "过错问责"
        ordering = ["-recorded_at", "-id"]

    def __str__(self) -> str:
        return f"问责 {self.instance} · {self.get_kind_display()}"
