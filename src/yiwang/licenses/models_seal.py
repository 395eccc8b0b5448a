"""电子印章 (issue 4 §3): the image an issuing department stamps on the PDFs of its licences.

The PNG itself is an attachment (core.files, owner type `licenses.seal`, owner id the
department's id), so it is stored content-addressed like every other upload; this row says
which attachment is the department's seal now. The seal is only a picture: what proves a
licence is its signature.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class IssuerSeal(models.Model):
    """颁发机构的电子印章图片: one per department, replaced by uploading another."""

    department = models.OneToOneField(
        "orgs.Department", verbose_name="颁发机构", on_delete=models.PROTECT, related_name="license_seal"
    )
    attachment = models.ForeignKey(
        "files.Attachment", verbose_name="印章图片（PNG）", on_delete=models.PROTECT, related_name="+"
    )
    width = models.PositiveIntegerField("宽（像素）")
    height = models.PositiveIntegerField("高（像素）")
    transparent = models.BooleanField("透明背景", default=False)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="上传人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    updated_at = models.DateTimeField("上传时间", default=timezone.now)

    class Meta:
        verbose_name = "电子印章"
        verbose_name_plural = "电子印章"
        ordering = ["department_id"]

    def __str__(self) -> str:
        return f"{self.department_id} 电子印章 {self.width}×{self.height}"
