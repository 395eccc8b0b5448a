"""办件: an application for one item, its materials, 我的材料, 一次性告知 and decision documents.

The application's progress is a workflow instance (`instance`); `status` is the applicant's
view of it, kept in step by the workflow effects the services package registers (hooks.py),
so both the application pages and the generic workbench task page move it the same way.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone


class ApplicationStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    SUBMITTED = "submitted", "待受理"  # 预审 and 受理 by the window
    SUPPLEMENT = "supplement", "待补正"  # 一次性告知补正: the clock stands still
    ACCEPTED = "accepted", "审查中"  # 受理 (or 容缺受理): 审查, 并联审批, 决定
    COMPLETED = "completed", "已办结"  # decided: 准予 or 不予 (see outcome)
    NOT_ACCEPTED = "not_accepted", "不予受理"
    WITHDRAWN = "withdrawn", "已撤回"


OPEN_STATUSES = (ApplicationStatus.SUBMITTED, ApplicationStatus.SUPPLEMENT, ApplicationStatus.ACCEPTED)
ENDED_STATUSES = (ApplicationStatus.COMPLETED, ApplicationStatus.NOT_ACCEPTED, ApplicationStatus.WITHDRAWN)


class Outcome(models.TextChoices):
    APPROVED = "approved", "准予"
    REJECTED = "rejected", "不予"


class Channel(models.TextChoices):
    """申请渠道 (线上线下一体化: both land in the same record)."""

    ONLINE = "online", "网上申请"
    WINDOW = "window", "窗口申请"


class DeliveryMethod(models.TextChoices):
    """送达方式."""

    ELECTRONIC = "electronic", "电子送达"
    MAIL = "mail", "邮寄送达"
    WINDOW = "window", "窗口领取"


class MaterialSource(models.TextChoices):
    """How a material of an application was satisfied."""

    MISSING = "missing", "未提交"
    UPLOADED = "uploaded", "上传"
    REUSED = "reused", "我的材料复用"
    LICENSE = "license", "电子证照免提交"
    SHARED = "shared", "共享数据免提交"
    PROMISED = "promised", "容缺后补"
    WINDOW = "window", "窗口收取纸质件"


FREE_SOURCES = (MaterialSource.LICENSE, MaterialSource.SHARED)  # 免提交


class NumberCounter(models.Model):
    """Per-kind, per-year sequence of 办件编号 (DESIGN: numbers people read never collide)."""

    kind = models.CharField("编号类别", max_length=32)
    year = models.PositiveSmallIntegerField("年度")
    last = models.PositiveIntegerField("当前序号", default=0)

    class Meta:
        verbose_name = "编号计数器"
        verbose_name_plural = "编号计数器"
        constraints = [models.UniqueConstraint(fields=["kind", "year"], name="number_counter_unique")]

    def __str__(self) -> str:
        return f"{self.kind} {self.year}: {self.last}"


class PersonalMaterial(models.Model):
    """我的材料: a file the applicant uploaded once, reusable in later applications."""

    owner = models.ForeignKey(
        "accounts.User",
        verbose_name="所属申请人",
        on_delete=models.CASCADE,
        related_name="personal_materials",
    )
    code = models.SlugField("材料代码", max_length=64)
    name = models.CharField("材料名称", max_length=128)
    attachment = models.ForeignKey(
        "files.Attachment", verbose_name="文件", on_delete=models.PROTECT, related_name="+"
    )
    uploaded_by = models.ForeignKey(
        "accounts.User", verbose_name="上传人", on_delete=models.PROTECT, related_name="+", null=True
    )
    created_at = models.DateTimeField("上传时间", default=timezone.now)
    last_used_at = models.DateTimeField("最近使用", null=True, blank=True)
    use_count = models.PositiveIntegerField("使用次数", default=0)
    is_active = models.BooleanField("有效", default=True)

    class Meta:
        verbose_name = "我的材料"
        verbose_name_plural = "我的材料"
        ordering = ["owner_id", "code", "-created_at"]
        indexes = [models.Index(fields=["owner", "code"], name="personal_material_owner_code")]

    def __str__(self) -> str:
        return self.name


class Application(models.Model):
    number = models.CharField("办件编号", max_length=20, unique=True, null=True, blank=True)
    item = models.ForeignKey(
        "services.ServiceItem", verbose_name="事项", on_delete=models.PROTECT, related_name="applications"
    )
    item_version = models.ForeignKey(
        "services.ServiceItemVersion", verbose_name="事项版本", on_delete=models.PROTECT, related_name="+"
    )
    department = models.ForeignKey(
        "orgs.Department", verbose_name="实施部门", on_delete=models.PROTECT, related_name="+"
    )
    bundle_application = models.ForeignKey(
        "services.BundleApplication",
        verbose_name="所属一件事",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="applications",
    )
    # The principal: the person, or the enterprise an agent (经办人) acts for.
    applicant = models.ForeignKey(
        "accounts.User", verbose_name="申请人", on_delete=models.PROTECT, related_name="applications"
    )
    # Who typed it in: the applicant, an enterprise's 经办人, or a 窗口人员 (代办).
    submitted_by = models.ForeignKey(
        "accounts.User",
        verbose_name="经办人",
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    channel = models.CharField("申请渠道", max_length=16, choices=Channel.choices, default=Channel.ONLINE)
    window = models.ForeignKey(
        "services.ServiceWindow", verbose_name="受理窗口", on_delete=models.SET_NULL, null=True, blank=True
    )
    status = models.CharField(
        "状态", max_length=16, choices=ApplicationStatus.choices, default=ApplicationStatus.DRAFT
    )
    outcome = models.CharField("办理结果", max_length=16, choices=Outcome.choices, blank=True, default="")
    form_data = models.JSONField("申请表", default=dict, blank=True)
    # Fields of type id_number / phone in the form: SM4-encrypted JSON (core.personal_data).
    form_sensitive_encrypted = models.TextField("申请表敏感字段（密文）", blank=True, default="")
    instance = models.OneToOneField(
        "workflow.ProcessInstance",
        verbose_name="办理流程",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # Double-click and retry: the same token from the same applicant is the same application.
    client_token = models.CharField("提交令牌", max_length=64, blank=True, default="")
    created_at = models.DateTimeField("创建时间", default=timezone.now)
    updated_at = models.DateTimeField("更新时间", default=timezone.now)
    submitted_at = models.DateTimeField("提交时间", null=True, blank=True)
    accepted_at = models.DateTimeField("受理时间", null=True, blank=True)
    decided_at = models.DateTimeField("办结时间", null=True, blank=True)
    due_at = models.DateTimeField("承诺办结期限", null=True, blank=True)
    # 承诺办结时限 in working days as published when applied (figures: used vs promised).
    promised_working_days = models.FloatField("承诺时限（工作日）", null=True, blank=True)
    working_days_used = models.FloatField("实际用时（工作日）", null=True, blank=True)
    deficiency_note = models.TextField("容缺后补说明", blank=True, default="")
    not_accepted_reason = models.TextField("不予受理理由", blank=True, default="")
    decision_opinion = models.TextField("决定意见", blank=True, default="")
    decision_reason = models.TextField("不予许可理由", blank=True, default="")
    decision_basis = models.TextField("决定依据", blank=True, default="")
    license = models.ForeignKey(
        "licenses.License",
        verbose_name="颁发的电子证照",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    receipt = models.ForeignKey(
        "files.Attachment",
        verbose_name="受理回执",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    delivery_method = models.CharField(
        "送达方式", max_length=16, choices=DeliveryMethod.choices, default=DeliveryMethod.ELECTRONIC
    )
    delivery_address = models.CharField("邮寄地址", max_length=255, blank=True, default="")
    delivered_at = models.DateTimeField("送达时间", null=True, blank=True)
    delivery_note = models.CharField("送达记录", max_length=255, blank=True, default="")  # 运单号, 领取人
    withdrawn_reason = models.TextField("撤回理由", blank=True, default="")
    version = models.PositiveIntegerField("版本", default=1)

    class Meta:
        verbose_name = "办件"
        verbose_name_plural = "办件"
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["applicant", "-created_at"], name="application_applicant_recent"),
            models.Index(fields=["department", "status"], name="application_department_status"),
            models.Index(fields=["status", "submitted_at"], name="application_status_submitted"),
            # 待送达 (decided, mail or window pick-up, not yet handed over): a small slice of millions.
            models.Index(
                fields=["department", "delivery_method"],
                condition=Q(status="completed", delivered_at=None),
                name="application_undelivered",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["applicant", "client_token"],
                condition=~Q(client_token=""),
                name="application_client_token_unique",
            ),
        ]

    def __str__(self) -> str:
        return self.number or f"草稿 #{self.pk}"


class ApplicationMaterial(models.Model):
    """One material of an application, copied from the version's list when the draft is made."""

    application = models.ForeignKey(
        Application, verbose_name="办件", on_delete=models.CASCADE, related_name="materials"
    )
    position = models.PositiveSmallIntegerField("序号", default=0)
    code = models.SlugField("材料代码", max_length=64)
    name = models.CharField("材料名称", max_length=128)
    required = models.BooleanField("必要", default=True)
    is_key = models.BooleanField("关键材料", default=True)
    source = models.CharField(
        "提交方式", max_length=16, choices=MaterialSource.choices, default=MaterialSource.MISSING
    )
    # The application's own copies (owner type `services.application`), made from uploads or
    # from 我的材料; the same stored content, so nothing is stored twice.
    files = models.ManyToManyField("files.Attachment", verbose_name="文件", blank=True, related_name="+")
    license = models.ForeignKey(
        "licenses.License",
        verbose_name="免提交所用证照",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    provided_by = models.CharField(
        "免提交依据", max_length=255, blank=True, default=""
    )  # shown to the applicant
    problem = models.CharField(
        "补正要求", max_length=500, blank=True, default=""
    )  # 一次性告知: what is wrong

    class Meta:
        verbose_name = "办件材料"
        verbose_name_plural = "办件材料"
        ordering = ["application_id", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["application", "code"], name="application_material_code_unique")
        ]

    def __str__(self) -> str:
        return self.name


class CorrectionNotice(models.Model):
    """一次性告知补正: every missing or wrong material listed at once. The clock stops (the
    workflow's suspend) until the applicant resubmits."""

    application = models.ForeignKey(
        Application, verbose_name="办件", on_delete=models.CASCADE, related_name="corrections"
    )
    issued_by = models.ForeignKey(
        "accounts.User", verbose_name="告知人", on_delete=models.PROTECT, related_name="+"
    )
    issued_at = models.DateTimeField("告知时间", default=timezone.now)
    note = models.TextField("告知说明", blank=True, default="")
    items = models.JSONField("需补正材料", default=list)  # [{code, name, problem}]
    resolved_at = models.DateTimeField("补正提交时间", null=True, blank=True)
    resolution_note = models.TextField("补正说明", blank=True, default="")

    class Meta:
        verbose_name = "一次性告知"
        verbose_name_plural = "一次性告知"
        ordering = ["application_id", "-issued_at"]

    def __str__(self) -> str:
        return f"一次性告知 #{self.pk}"


class DecisionDocument(models.Model):
    """决定文书 (准予/不予许可决定书, 不予受理通知书): signed with the department's key from the
    licence library, kept as a PDF the applicant downloads."""

    class Kind(models.TextChoices):
        APPROVAL = "approval", "准予决定书"
        REJECTION = "rejection", "不予许可决定书"
        NOT_ACCEPTED = "not_accepted", "不予受理通知书"

    application = models.ForeignKey(
        Application, verbose_name="办件", on_delete=models.CASCADE, related_name="documents"
    )
    kind = models.CharField("文书类型", max_length=16, choices=Kind.choices)
    number = models.CharField("文号", max_length=64, unique=True)
    content = models.JSONField("文书内容", default=dict)
    signature = models.TextField("签名", blank=True, default="")
    signing_key = models.ForeignKey(
        "licenses.SigningKey",
        verbose_name="签名密钥",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    pdf = models.ForeignKey(
        "files.Attachment",
        verbose_name="文书PDF",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField("制作时间", default=timezone.now)

    class Meta:
        verbose_name = "决定文书"
        verbose_name_plural = "决定文书"
        ordering = ["application_id", "created_at"]

    def __str__(self) -> str:
        return self.number
