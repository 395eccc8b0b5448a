"""电子证照库: licence types, issuers' signing keys, licences (one row per version), uses, share links.

Metadata after GB/T 36901–36905-2018 (STANDARDS.md §8): 证照名称, 证照类型代码, 证照编号,
证照标识, 持证主体, 持证主体代码 and its type (111 公民身份号码 / 001 统一社会信用代码), 颁发机构,
颁发机构代码, 颁发日期, 有效期起始, 有效期截止. What a licence says about its holder is personal
data: the holder code and the licence's fields are stored SM4-encrypted (core.personal_data),
the code found by its blind index. The rows carry no logic; the services do.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from yiwang.licenses.signing import Algorithm


class HolderKind(models.TextChoices):
    CITIZEN = "citizen", "自然人"
    LEGAL_PERSON = "legal_person", "法人"


class HolderCodeType(models.TextChoices):
    """持证主体代码类型 (GB/T 36903 code list)."""

    ID_NUMBER = "111", "公民身份号码"
    USCC = "001", "统一社会信用代码"


HOLDER_CODE_TYPE = {
    HolderKind.CITIZEN: HolderCodeType.ID_NUMBER,
    HolderKind.LEGAL_PERSON: HolderCodeType.USCC,
}

ALGORITHM_CHOICES = [(algorithm.value, algorithm.value) for algorithm in Algorithm]


class LicenseType(models.Model):
    """证照类型: what a kind of licence carries, who may issue it, how long it lasts."""

    code = models.CharField("证照类型代码", max_length=21, unique=True)  # defining body's USCC + 3 digits
    name = models.CharField("证照名称", max_length=64)
    holder_kind = models.CharField("持证主体类别", max_length=16, choices=HolderKind.choices)
    defining_department = models.ForeignKey(
        "orgs.Department",
        verbose_name="定义机构",
        on_delete=models.PROTECT,
        related_name="defined_license_types",
    )
    issuers = models.ManyToManyField(
        "orgs.Department", verbose_name="颁发机构", blank=True, related_name="issuable_license_types"
    )
    # [{"name", "label", "type": text|date|number|enum, "required": bool, "choices": [...]}]
    fields = models.JSONField("照面信息项", default=list, blank=True)
    validity = models.JSONField(
        "有效期规则", default=dict
    )  # {"years": n} | {"months": n} | {"long_term": true}
    layout = models.JSONField("版式", default=dict, blank=True)  # {"accent": "#hex", "order": [names]}
    replaces = models.JSONField("可替代的申请材料", default=list, blank=True)
    is_active = models.BooleanField("启用", default=True)
    created_at = models.DateTimeField("创建时间", default=timezone.now)
    version = models.PositiveIntegerField("版本", default=1)

    class Meta:
        verbose_name = "证照类型"
        verbose_name_plural = "证照类型"
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.name}（{self.code}）"

    @property
    def holder_code_type(self) -> str:
        return HOLDER_CODE_TYPE[HolderKind(self.holder_kind)].value


class KeyStatus(models.TextChoices):
    ACTIVE = "active", "在用"
    RETIRED = "retired", "已轮换"  # signs nothing more; what it signed still verifies
    REVOKED = "revoked", "已吊销"  # what it signed verifies as forged


class SigningKey(models.Model):
    """签名密钥 of an issuing department. The private key is stored only encrypted under the data
    keys (YIWANG_DATA_KEYS) and never leaves the services; the public key is published."""

    department = models.ForeignKey(
        "orgs.Department", verbose_name="颁发机构", on_delete=models.PROTECT, related_name="signing_keys"
    )
    key_id = models.CharField("密钥标识", max_length=64, unique=True)
    algorithm = models.CharField("算法", max_length=16, choices=ALGORITHM_CHOICES)
    public_pem = models.TextField("公钥（PEM）")
    private_pem_encrypted = models.TextField("私钥（密文）")
    fingerprint = models.CharField("公钥指纹（SM3）", max_length=64)
    status = models.CharField("状态", max_length=16, choices=KeyStatus.choices, default=KeyStatus.ACTIVE)
    created_at = models.DateTimeField("生成时间", default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="生成人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    retired_at = models.DateTimeField("轮换时间", null=True, blank=True)
    revoked_at = models.DateTimeField("吊销时间", null=True, blank=True)
    revoked_reason = models.CharField("吊销原因", max_length=200, blank=True, default="")

    class Meta:
        verbose_name = "签名密钥"
        verbose_name_plural = "签名密钥"
        ordering = ["department_id", "-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["department", "algorithm"],
                condition=models.Q(status="active"),
                name="licenses_one_active_key_per_algorithm",
            ),
        ]

    def __str__(self) -> str:
        return self.key_id


class SerialCounter(models.Model):
    """流水号 sequence per (type, issuer, year): locked row by row, so two issues never collide."""

    license_type = models.ForeignKey(LicenseType, on_delete=models.PROTECT, related_name="+")
    issuer = models.ForeignKey("orgs.Department", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    last = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = "流水号计数"
        verbose_name_plural = "流水号计数"
        constraints = [
            models.UniqueConstraint(
                fields=["license_type", "issuer", "year"], name="licenses_serial_counter_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.license_type_id}/{self.issuer_id}/{self.year}: {self.last}"


class LicenseStatus(models.TextChoices):
    VALID = "valid", "有效"
    SUPERSEDED = "superseded", "已被新版本替代"
    REVOKED = "revoked", "已吊销"


class License(models.Model):
    """电子证照, one row per version. `series` (the identifier without version and check) is
    shared by all versions of one licence. Expiry is computed from `valid_until`, not stored.
    The names and codes of the type and issuer are kept as signed: renaming a department later
    must not break the signature of what it issued."""

    license_type = models.ForeignKey(
        LicenseType, verbose_name="证照类型", on_delete=models.PROTECT, related_name="licenses"
    )
    type_code = models.CharField("证照类型代码", max_length=21)
    type_name = models.CharField("证照名称", max_length=64)
    identifier = models.CharField("证照标识", max_length=128, unique=True)
    series = models.CharField("证照系列", max_length=124, db_index=True)
    serial = models.CharField("流水号", max_length=32)
    version = models.PositiveSmallIntegerField("版本号")
    number = models.CharField("证照编号", max_length=64)
    holder = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="持证主体", on_delete=models.PROTECT, related_name="licenses"
    )
    holder_name = models.CharField("持证主体名称", max_length=128)
    holder_code_encrypted = models.TextField("持证主体代码（密文）")
    holder_code_index = models.CharField("持证主体代码索引", max_length=64)
    holder_code_type = models.CharField("持证主体代码类型", max_length=3, choices=HolderCodeType.choices)
    issuer = models.ForeignKey(
        "orgs.Department", verbose_name="颁发机构", on_delete=models.PROTECT, related_name="licenses"
    )
    issuer_code = models.CharField("颁发机构代码", max_length=18)
    issuer_name = models.CharField("颁发机构名称", max_length=128)
    issued_on = models.DateField("颁发日期")
    valid_from = models.DateField("有效期起始")
    valid_until = models.DateField("有效期截止", null=True, blank=True)  # None: 长期
    data_encrypted = models.TextField("照面信息（密文）")
    payload_sm3 = models.CharField("签名内容摘要（SM3）", max_length=64)
    signature = models.TextField("签名值（Base64）")
    key = models.ForeignKey(
        SigningKey, verbose_name="签名密钥", on_delete=models.PROTECT, related_name="licenses"
    )
    algorithm = models.CharField("签名算法", max_length=16, choices=ALGORITHM_CHOICES)
    status = models.CharField(
        "状态", max_length=16, choices=LicenseStatus.choices, default=LicenseStatus.VALID
    )
    superseded_by = models.ForeignKey(
        "self", verbose_name="替代版本", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    revoked_at = models.DateTimeField("吊销时间", null=True, blank=True)
    revoked_reason = models.CharField("吊销原因", max_length=200, blank=True, default="")
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="吊销人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reminded_at = models.DateTimeField("到期提醒时间", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="颁发人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField("创建时间", default=timezone.now)

    class Meta:
        verbose_name = "电子证照"
        verbose_name_plural = "电子证照"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["series", "version"], name="licenses_version_unique_in_series"),
        ]
        indexes = [
            models.Index(fields=["holder", "license_type", "status"], name="licenses_holder_type"),
            models.Index(fields=["holder_code_index", "license_type"], name="licenses_holder_code_type"),
            models.Index(fields=["status", "valid_until"], name="licenses_status_until"),
        ]

    def __str__(self) -> str:
        return f"{self.type_name} {self.identifier}"

    def is_expired(self, today=None) -> bool:
        return self.valid_until is not None and self.valid_until < (today or timezone.localdate())


class LicenseUse(models.Model):
    """用证记录: who used a holder's licence, for what, when. Append-only (个人信息保护法 §51)."""

    license = models.ForeignKey(
        License, verbose_name="电子证照", on_delete=models.PROTECT, related_name="uses"
    )
    used_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="用证人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )  # None: the platform itself
    purpose = models.CharField("用途", max_length=200)
    subject_type = models.CharField("办理对象类型", max_length=100, blank=True, default="")
    subject_id = models.CharField("办理对象编号", max_length=64, blank=True, default="")
    at = models.DateTimeField("用证时间", default=timezone.now)

    class Meta:
        verbose_name = "用证记录"
        verbose_name_plural = "用证记录"
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.license_id} · {self.purpose}"


class ShareLink(models.Model):
    """分享核验链接: time-limited; only the SHA-256 of the token is kept (shown once)."""

    license = models.ForeignKey(
        License, verbose_name="电子证照", on_delete=models.PROTECT, related_name="share_links"
    )
    token_sha256 = models.CharField("令牌摘要", max_length=64, unique=True)
    expires_at = models.DateTimeField("过期时间")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="创建人", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("创建时间", default=timezone.now)
    revoked_at = models.DateTimeField("撤销时间", null=True, blank=True)

    class Meta:
        verbose_name = "分享核验链接"
        verbose_name_plural = "分享核验链接"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.license_id} 分享至 {self.expires_at:%Y-%m-%d %H:%M}"


from yiwang.licenses.models_seal import IssuerSeal  # noqa: E402, F401
