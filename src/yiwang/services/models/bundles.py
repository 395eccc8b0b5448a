"""一件事一次办: a bundle of items across departments around one life event.

The applicant fills one merged form (`BundleApplication.form_data`, shared fields asked once)
and submits once; one `Application` per item is made and runs its own process in its own
department, all in parallel. The bundle's status is computed from theirs, and the results
are delivered together when the last one is decided.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone


class BundleStatus(models.TextChoices):
    DRAFT = "draft", "未发布"
    PUBLISHED = "published", "已发布"
    OFFLINE = "offline", "已下线"


class Bundle(models.Model):
    code = models.SlugField("一件事代码", max_length=64, unique=True)
    name = models.CharField("名称", max_length=128)
    life_event = models.CharField("人生事件", max_length=32)  # catalogue.LifeEvent
    subject = models.CharField("服务对象", max_length=16)  # catalogue.SubjectKind
    description = models.TextField("说明", blank=True, default="")
    keywords = models.CharField("检索关键词", max_length=255, blank=True, default="")
    status = models.CharField("状态", max_length=16, choices=BundleStatus.choices, default=BundleStatus.DRAFT)
    lead_department = models.ForeignKey(
        "orgs.Department", verbose_name="牵头部门", on_delete=models.PROTECT, related_name="+"
    )
    popularity = models.PositiveIntegerField("热度", default=0)
    created_at = models.DateTimeField("创建时间", default=timezone.now)
    published_at = models.DateTimeField("发布时间", null=True, blank=True)
    version = models.PositiveIntegerField("版本", default=1)

    class Meta:
        verbose_name = "一件事"
        verbose_name_plural = "一件事"
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class BundleItem(models.Model):
    bundle = models.ForeignKey(
        Bundle, verbose_name="一件事", on_delete=models.CASCADE, related_name="entries"
    )
    item = models.ForeignKey(
        "services.ServiceItem", verbose_name="事项", on_delete=models.PROTECT, related_name="bundle_entries"
    )
    position = models.PositiveSmallIntegerField("序号", default=0)

    class Meta:
        verbose_name = "一件事事项"
        verbose_name_plural = "一件事事项"
        ordering = ["bundle_id", "position", "id"]
        constraints = [models.UniqueConstraint(fields=["bundle", "item"], name="bundle_item_unique")]

    def __str__(self) -> str:
        return f"{self.bundle_id}:{self.item_id}"


class BundleApplication(models.Model):
    """The applicant's one application for a bundle; its item applications hang below it."""

    number = models.CharField("办件编号", max_length=20, unique=True, null=True, blank=True)
    bundle = models.ForeignKey(
        Bundle, verbose_name="一件事", on_delete=models.PROTECT, related_name="applications"
    )
    applicant = models.ForeignKey(
        "accounts.User", verbose_name="申请人", on_delete=models.PROTECT, related_name="bundle_applications"
    )
    submitted_by = models.ForeignKey(
        "accounts.User",
        verbose_name="经办人",
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    channel = models.CharField("申请渠道", max_length=16, default="online")  # applications.Channel
    is_draft = models.BooleanField("草稿", default=True)
    form_data = models.JSONField("合并申请表", default=dict, blank=True)
    form_sensitive_encrypted = models.TextField("敏感字段（密文）", blank=True, default="")
    client_token = models.CharField("提交令牌", max_length=64, blank=True, default="")
    created_at = models.DateTimeField("创建时间", default=timezone.now)
    updated_at = models.DateTimeField("更新时间", default=timezone.now)
    submitted_at = models.DateTimeField("提交时间", null=True, blank=True)
    completed_at = models.DateTimeField("全部办结时间", null=True, blank=True)
    delivered_at = models.DateTimeField("统一送达时间", null=True, blank=True)
    delivery_method = models.CharField("送达方式", max_length=16, default="electronic")
    delivery_address = models.CharField("邮寄地址", max_length=255, blank=True, default="")
    version = models.PositiveIntegerField("版本", default=1)

    class Meta:
        verbose_name = "一件事申请"
        verbose_name_plural = "一件事申请"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["applicant", "-created_at"], name="bundle_app_applicant_recent")]
        constraints = [
            models.UniqueConstraint(
                fields=["applicant", "client_token"],
                condition=~Q(client_token=""),
                name="bundle_app_client_token_unique",
            ),
        ]

    def __str__(self) -> str:
        return self.number or f"草稿 #{self.pk}"
