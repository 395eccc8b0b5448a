"""消息: the in-app inbox of every user, and a log of every message sent on any channel."""

from django.conf import settings
from django.db import models
from django.utils import timezone


class Message(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="接收人", on_delete=models.CASCADE, related_name="messages"
    )
    title = models.CharField("标题", max_length=200)
    body = models.TextField("内容", blank=True, default="")
    link = models.CharField("链接", max_length=500, blank=True, default="")
    category = models.CharField("类别", max_length=32, default="system")
    created_at = models.DateTimeField("时间", default=timezone.now, db_index=True)
    read_at = models.DateTimeField("已读时间", null=True, blank=True)

    class Meta:
        verbose_name = "站内消息"
        verbose_name_plural = "站内消息"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at"], name="message_unread_idx")]

    def __str__(self) -> str:
        return self.title


class Channel(models.TextChoices):
    INBOX = "inbox", "站内消息"
    SMS = "sms", "短信"
    EMAIL = "email", "电子邮件"


class DeliveryStatus(models.TextChoices):
    SENT = "sent", "已发送"
    FAILED = "failed", "发送失败"
    SKIPPED = "skipped", "无地址，未发送"


class Delivery(models.Model):
    """Every message sent, on every channel: to whom (masked address), through which backend,
    with what outcome."""

    message = models.ForeignKey(
        Message, verbose_name="消息", null=True, on_delete=models.SET_NULL, related_name="deliveries"
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="接收人",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    channel = models.CharField("渠道", max_length=16, choices=Channel.choices)
    address_masked = models.CharField("地址（脱敏）", max_length=255, blank=True, default="")
    backend = models.CharField("发送通道", max_length=200, blank=True, default="")
    status = models.CharField("状态", max_length=16, choices=DeliveryStatus.choices)
    error = models.CharField("错误", max_length=500, blank=True, default="")
    created_at = models.DateTimeField("时间", default=timezone.now, db_index=True)

    class Meta:
        verbose_name = "发送记录"
        verbose_name_plural = "发送记录"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} · {self.get_status_display()}"
