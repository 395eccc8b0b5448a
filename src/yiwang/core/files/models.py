"""附件: content-addressed blobs (SHA-256) and their attachment to owning objects."""

from django.conf import settings
from django.db import models
from django.utils import timezone


class StoredFile(models.Model):
    """One blob, stored once however often it is attached."""

    sha256 = models.CharField("SHA-256", max_length=64, primary_key=True)
    size = models.PositiveBigIntegerField("大小（字节）")
    content_type = models.CharField("类型", max_length=100)
    extension = models.CharField("扩展名", max_length=10)
    storage_name = models.CharField("存储路径", max_length=255)
    created_at = models.DateTimeField("首次上传", default=timezone.now)

    class Meta:
        verbose_name = "文件"
        verbose_name_plural = "文件"

    def __str__(self) -> str:
        return f"{self.sha256[:12]}….{self.extension}"


class Attachment(models.Model):
    """A file attached to an owner (any model), seen only by those who may see the owner."""

    file = models.ForeignKey(
        StoredFile, verbose_name="文件", on_delete=models.PROTECT, related_name="attachments"
    )
    owner_type = models.CharField("所属对象类型", max_length=64)
    owner_id = models.CharField("所属对象ID", max_length=64)
    name = models.CharField("文件名", max_length=255)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="上传人",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("上传时间", default=timezone.now)

    class Meta:
        verbose_name = "附件"
        verbose_name_plural = "附件"
        indexes = [models.Index(fields=["owner_type", "owner_id"], name="attachment_owner_idx")]
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.name
