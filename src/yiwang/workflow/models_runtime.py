"""Running processes: instances, their tasks (待办), the history of every move, and the spans
during which the clock stood still (补正, 特别程序).

Written only by `workflow/services/` (start, act, claim); `InstanceEvent` and `ClockPause` rows
are appended, never edited, except that a pause gets its `ended_at` when the clock runs again.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from yiwang.workflow.models import ProcessDefinitionVersion


class InstanceStatus(models.TextChoices):
    RUNNING = "running", "办理中"
    SUSPENDED = "suspended", "已挂起"
    COMPLETED = "completed", "已办结"
    TERMINATED = "terminated", "已终止"
    WITHDRAWN = "withdrawn", "已撤回"


class TaskStatus(models.TextChoices):
    OPEN = "open", "待签收"
    CLAIMED = "claimed", "已签收"
    DONE = "done", "已办理"
    CANCELLED = "cancelled", "已取消"


class EventKind(models.TextChoices):
    START = "start", "发起"
    CLAIM = "claim", "签收"
    RELEASE = "release", "退签"
    ACT = "act", "办理"
    AUTO = "auto", "自动流转"
    CANCEL = "cancel", "取消待办"
    TRANSFER = "transfer", "转办"
    DELEGATE = "delegate", "委托"
    REASSIGN = "reassign", "改派"
    COPY = "copy", "抄送"
    PRESS = "press", "督办"
    ACKNOWLEDGE = "acknowledge", "督办反馈"
    ACCOUNTABILITY = "accountability", "过错问责"


class ClockStatus(models.TextChoices):
    """The clock of a task or instance (issue 3 §4); computed by workflow/clock.py and the sweep."""

    NORMAL = "normal", "正常"
    WARNING = "warning", "预警"
    OVERDUE = "overdue", "超期"
    NONE = "none", "无时限"
    NO_CALENDAR = "no_calendar", "缺少日历"


class ProcessInstance(models.Model):
    definition = models.ForeignKey(
        ProcessDefinitionVersion,
        verbose_name="流程定义版本",
        on_delete=models.PROTECT,
        related_name="instances",
    )
    definition_code = models.CharField("流程代码", max_length=64, db_index=True)
    subject_type = models.CharField("办理对象类型", max_length=100)
    subject_id = models.CharField("办理对象编号", max_length=64)
    department = models.ForeignKey(
        "orgs.Department", verbose_name="主管部门", on_delete=models.PROTECT, related_name="process_instances"
    )
    initiator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="发起人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = models.CharField(
        "状态", max_length=16, choices=InstanceStatus.choices, default=InstanceStatus.RUNNING
    )
    outcome = models.CharField("办理结果", max_length=32, blank=True, default="")
    started_at = models.DateTimeField("发起时间")
    ended_at = models.DateTimeField("结束时间", null=True, blank=True)
    params = models.JSONField("发起参数", default=dict, blank=True)
    # Which branches have reached each join since its fork last opened: {join code: [branch keys]}.
    join_arrivals = models.JSONField("汇聚到达", default=dict, blank=True)
    version = models.PositiveIntegerField("版本", default=1)
    # The clock of the whole process (issue 3 §4); "" until its first task opens.
    # When the whole-process clock started: the first task, or the definition's `clock_from`.
    clock_started_at = models.DateTimeField("计时起点", null=True, blank=True)
    due_at = models.DateTimeField("办结时限", null=True, blank=True)
    warn_at = models.DateTimeField("预警时间", null=True, blank=True)
    clock_status = models.CharField(
        "计时状态", max_length=16, choices=ClockStatus.choices, blank=True, default="", db_index=True
    )
    warned_at = models.DateTimeField("预警于", null=True, blank=True)
    overdue_at = models.DateTimeField("超期于", null=True, blank=True)
    # 电子监察 (issue 3 §5): working days from start to end, paused spans excluded; set at the end.
    working_days_used = models.FloatField("实际用时（工作日）", null=True, blank=True)

    class Meta:
        verbose_name = "流程实例"
        verbose_name_plural = "流程实例"
        indexes = [
            models.Index(fields=["subject_type", "subject_id"], name="wf_instance_subject"),
            models.Index(fields=["status", "department"], name="wf_instance_status_dept"),
        ]

    def __str__(self) -> str:
        return f"{self.definition_code} #{self.pk}"


class Task(models.Model):
    instance = models.ForeignKey(
        ProcessInstance, verbose_name="流程实例", on_delete=models.PROTECT, related_name="tasks"
    )
    state = models.CharField("环节", max_length=64)
    branch = models.CharField("分支", max_length=64, blank=True, default="")
    status = models.CharField("状态", max_length=16, choices=TaskStatus.choices, default=TaskStatus.OPEN)
    candidate_roles = models.JSONField("候选角色", default=list, blank=True)
    # ",approver,window_clerk,": lets an inbox filter by role with one LIKE on every database
    # (JSON containment is not available on SQLite).
    role_keys = models.CharField("候选角色索引", max_length=255, blank=True, default="")
    candidate_department = models.ForeignKey(
        "orgs.Department",
        verbose_name="候选部门",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="办理人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    named = models.BooleanField("指定人员", default=False)
    created_at = models.DateTimeField("创建时间")
    claimed_at = models.DateTimeField("签收时间", null=True, blank=True)
    completed_at = models.DateTimeField("办理时间", null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="经办人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    action = models.CharField("所做操作", max_length=64, blank=True, default="")
    opinion = models.TextField("意见", blank=True, default="")
    version = models.PositiveIntegerField("版本", default=1)
    # The clock (issue 3 §4): set when the task opens, moved by pauses and by the sweep.
    due_at = models.DateTimeField("办理时限", null=True, blank=True)
    warn_at = models.DateTimeField("预警时间", null=True, blank=True)
    clock_status = models.CharField(
        "计时状态", max_length=16, choices=ClockStatus.choices, default=ClockStatus.NONE, db_index=True
    )
    # Set once each, by the sweep's conditional UPDATE: a notification is sent exactly once.
    warned_at = models.DateTimeField("预警于", null=True, blank=True)
    overdue_at = models.DateTimeField("超期于", null=True, blank=True)
    # 电子监察 (issue 3 §5): working days from opening to completion; set when the task is done.
    working_days_used = models.FloatField("实际用时（工作日）", null=True, blank=True)

    class Meta:
        verbose_name = "待办"
        verbose_name_plural = "待办"
        indexes = [
            models.Index(fields=["status", "assignee"], name="wf_task_status_assignee"),
            models.Index(fields=["status", "candidate_department"], name="wf_task_status_dept"),
            models.Index(fields=["instance", "status"], name="wf_task_instance_status"),
            # The inbox's two boxes, walked in due order to one page (bench/services_api.py).
            models.Index(
                fields=["candidate_department", "due_at", "created_at", "id"],
                condition=models.Q(status="open", assignee=None),
                name="wf_task_unclaimed_due",
            ),
            models.Index(
                fields=["assignee", "due_at", "created_at", "id"],
                condition=models.Q(status__in=["open", "claimed"]),
                name="wf_task_assigned_due",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.instance} · {self.state}"


class InstanceEvent(models.Model):
    """办理记录: one row per move, claim or cancellation; the timeline reads these."""

    instance = models.ForeignKey(
        ProcessInstance, verbose_name="流程实例", on_delete=models.PROTECT, related_name="events"
    )
    task = models.ForeignKey(
        Task, verbose_name="待办", null=True, blank=True, on_delete=models.PROTECT, related_name="events"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="操作人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    kind = models.CharField("类别", max_length=16, choices=EventKind.choices)
    action = models.CharField("操作", max_length=64, blank=True, default="")
    from_state = models.CharField("原环节", max_length=64, blank=True, default="")
    to_state = models.CharField("新环节", max_length=64, blank=True, default="")
    opinion = models.TextField("意见", blank=True, default="")
    reason = models.TextField("理由", blank=True, default="")
    attachments = models.JSONField("附件", default=list, blank=True)
    # What else the move names: {"to_department": id, "to_user": id, "notice": id, …}
    detail = models.JSONField("详情", default=dict, blank=True)
    at = models.DateTimeField("时间")

    class Meta:
        verbose_name = "办理记录"
        verbose_name_plural = "办理记录"
        ordering = ["instance", "id"]

    def __str__(self) -> str:
        return f"{self.instance} · {self.kind} {self.action}"


class ClockPause(models.Model):
    """A span during which the clock stands still; `ended_at` is empty while it lasts."""

    instance = models.ForeignKey(
        ProcessInstance, verbose_name="流程实例", on_delete=models.PROTECT, related_name="pauses"
    )
    task = models.ForeignKey(
        Task, verbose_name="挂起的待办", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    from_state = models.CharField("挂起前环节", max_length=64)
    branch = models.CharField("分支", max_length=64, blank=True, default="")
    started_at = models.DateTimeField("开始时间")
    ended_at = models.DateTimeField("结束时间", null=True, blank=True)
    reason = models.TextField("理由", blank=True, default="")

    class Meta:
        verbose_name = "计时暂停"
        verbose_name_plural = "计时暂停"
        ordering = ["instance", "started_at"]

    def __str__(self) -> str:
        return f"{self.instance} · {self.from_state}"
