"""政务服务事项实施清单 (STANDARDS.md §4): an item per implementing department, its versions and
its materials list, and the service windows (窗口) of the halls.

An item (`ServiceItem`) is the stable identity: its code, its department, its URL. What the
public reads and applies under is a `ServiceItemVersion`: a department administrator drafts a
version, submits it, and the 政务服务管理局 publishes or returns it. Published versions are
kept for ever; an application keeps the version it was made under (`Application.item_version`).
The item row carries a few fields of its published version (name, keys for filtering, online
flag) so that portal lists and figures need no join to the version.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone

from yiwang.services.models.catalogue_choices import (  # noqa: F401 (re-exported)
    APPLICABLE_TYPES,
    ONLINE_DEPTH_ONLINE,
    ONLINE_DEPTHS,
    ExerciseLevel,
    HandlingForm,
    HandlingKind,
    ItemStatus,
    ItemType,
    LifeEvent,
    LimitUnit,
    MaterialForm,
    ResultKind,
    Scope,
    SubjectKind,
    Theme,
    VersionStatus,
)


class ServiceWindow(models.Model):
    """服务窗口: a desk in a hall (政务服务中心), where 一次一评 ratings are counted."""

    department = models.ForeignKey(
        "orgs.Department", verbose_name="所属部门（大厅）", on_delete=models.PROTECT, related_name="windows"
    )
    code = models.CharField("窗口编号", max_length=16)
    name = models.CharField("窗口名称", max_length=64)
    is_active = models.BooleanField("启用", default=True)

    class Meta:
        verbose_name = "服务窗口"
        verbose_name_plural = "服务窗口"
        ordering = ["department_id", "code"]
        constraints = [models.UniqueConstraint(fields=["department", "code"], name="window_code_unique")]

    def __str__(self) -> str:
        return f"{self.name}（{self.code}）"


class ServiceItem(models.Model):
    """政务服务事项 (the implementing department's item): identity plus the published version's
    few fields the portal filters by."""

    department = models.ForeignKey(
        "orgs.Department", verbose_name="实施部门", on_delete=models.PROTECT, related_name="service_items"
    )
    # GB/T 39554.1-2020: 事项基本编码; the 实施编码 adds the division, the body's USCC (STANDARDS §4).
    base_code = models.CharField("基本编码", max_length=32)
    implementation_code = models.CharField("实施编码", max_length=80, unique=True)
    status = models.CharField("状态", max_length=16, choices=ItemStatus.choices, default=ItemStatus.DRAFT)
    published_version = models.ForeignKey(
        "ServiceItemVersion",
        verbose_name="现行版本",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # Copied from the published version when it is published (see module docstring).
    name = models.CharField("事项名称", max_length=128)
    item_type = models.CharField("事项类型", max_length=16, choices=ItemType.choices)
    handling_kind = models.CharField("办件类型", max_length=16, choices=HandlingKind.choices, blank=True)
    online_depth = models.PositiveSmallIntegerField("网办深度", default=1)
    subject_keys = models.CharField("服务对象索引", max_length=64, blank=True, default="")  # ",citizen,"
    life_event_keys = models.CharField("人生事件索引", max_length=255, blank=True, default="")
    theme_keys = models.CharField("主题索引", max_length=255, blank=True, default="")
    # 热度: applications submitted, for search ranking.
    popularity = models.PositiveIntegerField("热度", default=0)
    created_at = models.DateTimeField("创建时间", default=timezone.now)
    updated_at = models.DateTimeField("更新时间", default=timezone.now)

    class Meta:
        verbose_name = "政务服务事项"
        verbose_name_plural = "政务服务事项"
        ordering = ["department_id", "base_code"]
        indexes = [models.Index(fields=["status", "department"], name="item_status_department")]

    def __str__(self) -> str:
        return self.name

    @property
    def is_online(self) -> bool:
        """网上可办: published with 网办深度 ≥ 4 (互联网受理)."""
        return self.status == ItemStatus.PUBLISHED and self.online_depth >= ONLINE_DEPTH_ONLINE


class ServiceItemVersion(models.Model):
    """One version of an item's 实施清单 content. Editable while draft or returned; frozen once
    submitted; published versions are never changed or deleted."""

    item = models.ForeignKey(
        ServiceItem, verbose_name="事项", on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveIntegerField("版本号")
    status = models.CharField(
        "状态", max_length=16, choices=VersionStatus.choices, default=VersionStatus.DRAFT
    )
    # 基本要素
    name = models.CharField("事项名称", max_length=128)
    item_type = models.CharField("事项类型", max_length=16, choices=ItemType.choices)
    subjects = models.JSONField("服务对象", default=list)  # [SubjectKind]
    legal_basis = models.TextField("设定依据", blank=True, default="")
    conditions = models.TextField("受理条件", blank=True, default="")
    power_source = models.CharField("权力来源", max_length=64, blank=True, default="法定本级行使")
    exercise_level = models.CharField(
        "行使层级", max_length=16, choices=ExerciseLevel.choices, default=ExerciseLevel.CITY
    )
    # 时限 (STANDARDS §4: each with its unit)
    statutory_limit = models.PositiveSmallIntegerField("法定办结时限", default=20)
    statutory_limit_unit = models.CharField(
        "法定时限单位", max_length=16, choices=LimitUnit.choices, default=LimitUnit.WORKING_DAYS
    )
    promised_limit = models.PositiveSmallIntegerField("承诺办结时限", default=10)
    promised_limit_unit = models.CharField(
        "承诺时限单位", max_length=16, choices=LimitUnit.choices, default=LimitUnit.WORKING_DAYS
    )
    handling_kind = models.CharField(
        "办件类型", max_length=16, choices=HandlingKind.choices, default=HandlingKind.COMMITMENT
    )
    online_depth = models.PositiveSmallIntegerField("网办深度", default=4)
    visits = models.PositiveSmallIntegerField("到办事现场次数", default=0)  # 0 = 全程网办
    handling_forms = models.JSONField("办理形式", default=list)  # [HandlingForm]
    fee_free = models.BooleanField("不收费", default=True)
    fees = models.TextField("收费标准及依据", blank=True, default="")
    location = models.CharField("办理地点", max_length=255, blank=True, default="")
    office_hours = models.CharField("办理时间", max_length=255, blank=True, default="")
    phone = models.CharField("咨询电话", max_length=64, blank=True, default="")
    scope = models.CharField("通办范围", max_length=16, choices=Scope.choices, default=Scope.CITY)
    # 办理流程: the workflow process, the window that accepts, the departments that co-review.
    process_code = models.CharField("办理流程", max_length=64, default="services.commitment")
    acceptance_department = models.ForeignKey(
        "orgs.Department",
        verbose_name="受理部门",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="综合窗口（一窗受理）所在部门；空则由实施部门受理",
    )
    joint_departments = models.ManyToManyField(
        "orgs.Department", verbose_name="并联审批部门", blank=True, related_name="+"
    )
    allows_deficiency = models.BooleanField("容缺受理", default=False)
    # 办理结果
    result_kind = models.CharField(
        "结果类型", max_length=16, choices=ResultKind.choices, default=ResultKind.DOCUMENT
    )
    result_name = models.CharField("结果名称", max_length=128, blank=True, default="")
    result_license_type = models.CharField("结果证照类型代码", max_length=32, blank=True, default="")
    # licence field code → "form:<field>" / "applicant.name" / "applicant.code" / "application.number"
    result_field_map = models.JSONField("证照字段来源", default=dict, blank=True)
    delivery_methods = models.JSONField("送达方式", default=list)  # [DeliveryMethod]
    # 分类
    life_events = models.JSONField("人生事件", default=list, blank=True)  # [LifeEvent]
    themes = models.JSONField("主题分类", default=list, blank=True)  # [Theme]
    keywords = models.CharField("检索关键词", max_length=255, blank=True, default="")
    # 申请表: [{code, label, type, required, choices, max_length, help}], see forms_spec.py
    form_fields = models.JSONField("申请表字段", default=list, blank=True)
    # 审核
    created_by = models.ForeignKey(
        "accounts.User", verbose_name="编制人", on_delete=models.PROTECT, related_name="+", null=True
    )
    created_at = models.DateTimeField("创建时间", default=timezone.now)
    submitted_at = models.DateTimeField("提交时间", null=True, blank=True)
    reviewed_by = models.ForeignKey(
        "accounts.User",
        verbose_name="审核人",
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    reviewed_at = models.DateTimeField("审核时间", null=True, blank=True)
    review_opinion = models.TextField("审核意见", blank=True, default="")
    published_at = models.DateTimeField("发布时间", null=True, blank=True)
    edit_version = models.PositiveIntegerField("编辑版本", default=1)  # optimistic lock for edits

    class Meta:
        verbose_name = "事项版本"
        verbose_name_plural = "事项版本"
        ordering = ["item_id", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["item", "number"], name="item_version_number_unique"),
            # One version in the making per item: a second draft would fork the history.
            models.UniqueConstraint(
                fields=["item"],
                condition=Q(status__in=["draft", "submitted", "returned"]),
                name="item_one_open_version",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} v{self.number}"

    @property
    def editable(self) -> bool:
        return self.status in (VersionStatus.DRAFT, VersionStatus.RETURNED)


class ItemMaterial(models.Model):
    """申请材料 of one version. `code` is stable across versions and items (e.g. `id_card`), so
    我的材料 and 一件事 recognise the same material in another item."""

    version = models.ForeignKey(
        ServiceItemVersion, verbose_name="事项版本", on_delete=models.CASCADE, related_name="materials"
    )
    position = models.PositiveSmallIntegerField("序号", default=0)
    code = models.SlugField("材料代码", max_length=64)
    name = models.CharField("材料名称", max_length=128)
    required = models.BooleanField("必要", default=True)
    form = models.CharField(
        "材料形式", max_length=16, choices=MaterialForm.choices, default=MaterialForm.ELECTRONIC
    )
    copies = models.PositiveSmallIntegerField("份数", default=1)
    # 容缺受理: a non-key material may be promised and handed in later.
    is_key = models.BooleanField("关键材料", default=True)
    license_type = models.CharField("可替代的证照类型代码", max_length=32, blank=True, default="")
    shared_data = models.CharField("可替代的共享数据项", max_length=64, blank=True, default="")
    notes = models.CharField("填报说明", max_length=500, blank=True, default="")
    template = models.ForeignKey(
        "files.Attachment",
        verbose_name="空表",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    sample = models.ForeignKey(
        "files.Attachment",
        verbose_name="样表",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = "申请材料"
        verbose_name_plural = "申请材料"
        ordering = ["version_id", "position", "id"]
        constraints = [models.UniqueConstraint(fields=["version", "code"], name="item_material_code_unique")]

    def __str__(self) -> str:
        return self.name
