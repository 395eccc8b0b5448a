"""好差评 (STANDARDS.md §5; 国办发〔2019〕51号, GB/T 39734/39735-2020).

Levels 5 非常满意 … 1 非常不满意; 2 and 1 are 差评. Channels built here: 一事一评 (online,
after 办结) and 一次一评 (at the window, through the QR code on the receipt). Every 差评 opens
a `Rectification` handled as a workflow instance (`services.rectification`) in the rated
department, with a configurable deadline (default 15 working days), 回访 and 申诉复核.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone


class RatingChannel(models.TextChoices):
    ONLINE = "online", "一事一评"
    WINDOW = "window", "一次一评"


class RatingLevel(models.IntegerChoices):
    VERY_SATISFIED = 5, "非常满意"
    SATISFIED = 4, "满意"
    BASIC = 3, "基本满意"
    DISSATISFIED = 2, "不满意"
    VERY_DISSATISFIED = 1, "非常不满意"


BAD_LEVELS = (RatingLevel.DISSATISFIED, RatingLevel.VERY_DISSATISFIED)  # 差评

# Online indicators (STANDARDS §5), each rated 1–5.
INDICATORS = {
    "overall": "整体满意度",
    "efficiency": "办事效率",
    "guide_accuracy": "办事指南精确度",
    "convenience": "办事便捷度",
    "usability": "平台操作性",
}


class Rating(models.Model):
    application = models.ForeignKey(
        "services.Application", verbose_name="办件", on_delete=models.PROTECT, related_name="ratings"
    )
    item = models.ForeignKey(
        "services.ServiceItem", verbose_name="事项", on_delete=models.PROTECT, related_name="+"
    )
    department = models.ForeignKey(
        "orgs.Department", verbose_name="被评部门", on_delete=models.PROTECT, related_name="+"
    )
    window = models.ForeignKey(
        "services.ServiceWindow",
        verbose_name="被评窗口",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    channel = models.CharField("评价渠道", max_length=16, choices=RatingChannel.choices)
    level = models.PositiveSmallIntegerField("评价等级", choices=RatingLevel.choices)
    indicators = models.JSONField("分项评价", default=dict, blank=True)  # {INDICATORS key: 1–5}
    comment = models.TextField("评价内容", blank=True, default="")
    rater = models.ForeignKey(
        "accounts.User",
        verbose_name="评价人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField("评价时间", default=timezone.now)

    class Meta:
        verbose_name = "好差评"
        verbose_name_plural = "好差评"
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["department", "created_at"], name="rating_department_created"),
            models.Index(fields=["item", "created_at"], name="rating_item_created"),
        ]
        constraints = [
            # 一事一评 and 一次一评: one rating per application per channel.
            models.UniqueConstraint(fields=["application", "channel"], name="rating_once_per_channel"),
            models.CheckConstraint(condition=Q(level__gte=1) & Q(level__lte=5), name="rating_level_range"),
        ]

    def __str__(self) -> str:
        return f"{self.get_level_display()}（{self.get_channel_display()}）"

    @property
    def is_bad(self) -> bool:
        return self.level in BAD_LEVELS


class RectificationStatus(models.TextChoices):
    OPEN = "open", "整改中"
    APPEALING = "appealing", "申诉复核中"
    REVISITING = "revisiting", "待回访"
    CLOSED = "closed", "已办结"  # rectified or explained, and revisited
    REVOKED = "revoked", "申诉成立（差评不计）"


class Rectification(models.Model):
    """差评整改: 谁办理谁负责 — the rated department rectifies (or explains an unfounded 差评),
    the 政务服务管理局 revisits the rater (回访; 实名差评回访率 100%) and decides appeals."""

    rating = models.OneToOneField(
        Rating, verbose_name="差评", on_delete=models.PROTECT, related_name="rectification"
    )
    department = models.ForeignKey(
        "orgs.Department", verbose_name="责任部门", on_delete=models.PROTECT, related_name="+"
    )
    instance = models.OneToOneField(
        "workflow.ProcessInstance",
        verbose_name="整改流程",
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
    )
    status = models.CharField(
        "状态", max_length=16, choices=RectificationStatus.choices, default=RectificationStatus.OPEN
    )
    due_at = models.DateTimeField("整改期限", null=True, blank=True)
    response = models.TextField("整改情况", blank=True, default="")
    unfounded = models.BooleanField("情况说明（差评不实）", default=False)
    responded_at = models.DateTimeField("整改反馈时间", null=True, blank=True)
    appeal_reason = models.TextField("申诉理由", blank=True, default="")
    appeal_decision = models.TextField("复核意见", blank=True, default="")
    revisit_result = models.CharField(
        "回访结果", max_length=16, blank=True, default=""
    )  # satisfied/unsatisfied
    revisit_note = models.TextField("回访记录", blank=True, default="")
    revisited_at = models.DateTimeField("回访时间", null=True, blank=True)
    created_at = models.DateTimeField("创建时间", default=timezone.now)
    closed_at = models.DateTimeField("办结时间", null=True, blank=True)

    class Meta:
        verbose_name = "差评整改"
        verbose_name_plural = "差评整改"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["department", "status"], name="rectify_department_status")]

    def __str__(self) -> str:
        return f"差评整改 #{self.pk}"
