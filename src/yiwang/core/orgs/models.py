"""Organisations: 行政区划 (divisions), 部门 (departments), 网格 (grids)."""

from __future__ import annotations

from django.db import models


class DivisionLevel(models.TextChoices):
    PROVINCE = "province", "省级"
    CITY = "city", "市级"
    COUNTY = "county", "县级"
    TOWNSHIP = "township", "乡级"
    VILLAGE = "village", "村级"


class Division(models.Model):
    """行政区划: GB/T 2260 6-digit codes for 省/市/县, 12-digit 统计用区划代码 for 乡/村."""

    code = models.CharField("区划代码", max_length=12, unique=True)
    name = models.CharField("名称", max_length=64)
    level = models.CharField("层级", max_length=16, choices=DivisionLevel.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name="上级区划",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    version = models.PositiveIntegerField("版本", default=1)

    class Meta:
        verbose_name = "行政区划"
        verbose_name_plural = "行政区划"
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.name}（{self.code}）"


class DepartmentKind(models.TextChoices):
    GOVERNMENT = "government", "政府工作部门"
    TOWNSHIP_OFFICE = "township_office", "乡镇（街道）"
    INSTITUTION = "institution", "事业单位"
    SERVICE_CENTER = "service_center", "政务服务中心"
    HOTLINE = "hotline", "热线中心"
    OTHER = "other", "其他"


class Department(models.Model):
    """部门. `path` is the materialised chain of ids (`/1/4/9/`) so that a scope of
    "this department and its children" is one indexed prefix query."""

    name = models.CharField("部门名称", max_length=128)
    short_name = models.CharField("简称", max_length=32, blank=True)
    uscc = models.CharField("统一社会信用代码", max_length=18, unique=True, null=True, blank=True)
    # STANDARDS.md §1: a legacy USCC that fails its own check digit, kept by a data steward's
    # import; the warning says why (as User.uscc_flagged does for enterprises).
    uscc_flagged = models.CharField("代码告警", max_length=128, blank=True, default="")
    division = models.ForeignKey(
        Division, verbose_name="所属区划", on_delete=models.PROTECT, related_name="departments"
    )
    parent = models.ForeignKey(
        "self",
        verbose_name="上级部门",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    kind = models.CharField(
        "部门类型", max_length=32, choices=DepartmentKind.choices, default=DepartmentKind.GOVERNMENT
    )
    path = models.CharField("层级路径", max_length=255, db_index=True, editable=False, default="/")
    is_active = models.BooleanField("启用", default=True)
    sort_order = models.PositiveIntegerField("排序", default=100)
    version = models.PositiveIntegerField("版本", default=1)

    class Meta:
        verbose_name = "部门"
        verbose_name_plural = "部门"
        ordering = ["sort_order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["division", "name"], name="department_name_unique_in_division"),
        ]

    def __str__(self) -> str:
        return self.name


class Grid(models.Model):
    """单元网格 (CJ/T 213): the smallest unit of city management, inside a community."""

    code = models.CharField("网格编码", max_length=32, unique=True)
    name = models.CharField("网格名称", max_length=64)
    division = models.ForeignKey(
        Division, verbose_name="所属区划", on_delete=models.PROTECT, related_name="grids"
    )
    department = models.ForeignKey(
        Department,
        verbose_name="责任部门",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="grids",
    )
    boundary = models.JSONField("边界（GeoJSON Polygon）", null=True, blank=True)
    version = models.PositiveIntegerField("版本", default=1)

    class Meta:
        verbose_name = "网格"
        verbose_name_plural = "网格"
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.name}（{self.code}）"
