"""Identity: one user model for citizens, enterprises and officials; roles as data; posts.

Personal data (身份证号, phone) is stored only encrypted (`*_encrypted`) with a keyed blind
index (`*_index`) for look-ups; see `yiwang.core.personal_data`. Reading it goes through
`accounts.services.personal_data_reveal`, which records who read whose data.
"""

from __future__ import annotations

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.db import models
from django.utils import timezone

from yiwang.core import personal_data


class UserKind(models.TextChoices):
    CITIZEN = "citizen", "个人"
    ENTERPRISE = "enterprise", "法人"
    OFFICIAL = "official", "工作人员"


class UserManager(BaseUserManager):
    def get_by_natural_key(self, username):
        return self.get(username=username)


class User(AbstractBaseUser):
    username = models.CharField("用户名", max_length=64, unique=True)
    kind = models.CharField("用户类型", max_length=16, choices=UserKind.choices)
    display_name = models.CharField("姓名/名称", max_length=128)
    id_number_encrypted = models.TextField("身份证号（密文）", blank=True, default="")
    id_number_index = models.CharField("身份证号索引", max_length=64, blank=True, default="", db_index=True)
    phone_encrypted = models.TextField("手机号（密文）", blank=True, default="")
    phone_index = models.CharField("手机号索引", max_length=64, blank=True, default="", db_index=True)
    email = models.EmailField("电子邮箱", blank=True, default="")
    uscc = models.CharField("统一社会信用代码", max_length=18, null=True, blank=True, unique=True)
    legal_representative = models.CharField("法定代表人", max_length=64, blank=True, default="")
    uscc_flagged = models.CharField("代码告警", max_length=128, blank=True, default="")
    is_active = models.BooleanField("启用", default=True)
    date_joined = models.DateTimeField("注册时间", default=timezone.now)
    failed_logins = models.PositiveIntegerField("连续登录失败次数", default=0)
    locked_until = models.DateTimeField("锁定至", null=True, blank=True)
    lock_count = models.PositiveIntegerField("锁定次数", default=0)
    oidc_subject = models.CharField("统一身份认证标识", max_length=255, null=True, blank=True, unique=True)
    version = models.PositiveIntegerField("版本", default=1)

    objects = UserManager()

    USERNAME_FIELD = "username"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = "用户"
        verbose_name_plural = "用户"
        constraints = [
            models.UniqueConstraint(
                fields=["id_number_index"],
                condition=~models.Q(id_number_index="") & models.Q(kind="citizen"),
                name="citizen_id_number_unique",
            ),
            models.UniqueConstraint(
                fields=["phone_index"], condition=~models.Q(phone_index=""), name="user_phone_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.display_name or self.username

    # Decrypted values, for services only. Pages and the API show the masked forms.
    @property
    def id_number(self) -> str:
        return personal_data.decrypt(self.id_number_encrypted) if self.id_number_encrypted else ""

    @property
    def phone(self) -> str:
        return personal_data.decrypt(self.phone_encrypted) if self.phone_encrypted else ""

    @property
    def id_number_masked(self) -> str:
        return personal_data.mask_id_number(self.id_number)

    @property
    def phone_masked(self) -> str:
        return personal_data.mask_phone(self.phone)

    # Django admin asks these; the answer comes from roles (data), not from flags.
    @property
    def is_staff(self) -> bool:
        from yiwang.core.accounts.rbac import has_permission

        return has_permission(self, "core.admin.access")

    @property
    def is_superuser(self) -> bool:
        return False

    def has_perm(self, perm, obj=None) -> bool:
        from yiwang.core.accounts.rbac import has_permission

        return self.is_active and has_permission(self, "core.admin.access")

    def has_module_perms(self, app_label) -> bool:
        return self.has_perm(app_label)


class Permission(models.Model):
    """An operation code such as `audit.record.view`, declared by the package that owns it."""

    code = models.CharField("权限代码", max_length=64, unique=True)
    name = models.CharField("权限名称", max_length=128)

    class Meta:
        verbose_name = "权限"
        verbose_name_plural = "权限"
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.name}（{self.code}）"


class Role(models.Model):
    code = models.CharField("角色代码", max_length=32, unique=True)
    name = models.CharField("角色名称", max_length=64, unique=True)
    description = models.CharField("说明", max_length=255, blank=True, default="")
    permissions = models.ManyToManyField(Permission, verbose_name="权限", blank=True, related_name="roles")
    builtin = models.BooleanField("内置", default=False)

    class Meta:
        verbose_name = "角色"
        verbose_name_plural = "角色"
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class Post(models.Model):
    """岗位: an official holds a role in a department; scope is that department and its
    children, or the whole city when `city_wide` is granted."""

    user = models.ForeignKey(User, verbose_name="人员", on_delete=models.CASCADE, related_name="posts")
    department = models.ForeignKey(
        "orgs.Department", verbose_name="部门", on_delete=models.PROTECT, related_name="posts"
    )
    role = models.ForeignKey(Role, verbose_name="角色", on_delete=models.PROTECT, related_name="posts")
    city_wide = models.BooleanField("全市范围", default=False)

    class Meta:
        verbose_name = "岗位"
        verbose_name_plural = "岗位"
        constraints = [
            models.UniqueConstraint(fields=["user", "department", "role"], name="post_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.department} · {self.role}"


class EnterpriseAgent(models.Model):
    """经办人: a citizen who may act for an enterprise until `valid_until`."""

    enterprise = models.ForeignKey(User, verbose_name="企业", on_delete=models.CASCADE, related_name="agents")
    agent = models.ForeignKey(User, verbose_name="经办人", on_delete=models.CASCADE, related_name="agencies")
    valid_until = models.DateField("授权截止日期", null=True, blank=True)
    created_at = models.DateTimeField("授权时间", default=timezone.now)

    class Meta:
        verbose_name = "企业经办人"
        verbose_name_plural = "企业经办人"
        constraints = [
            models.UniqueConstraint(fields=["enterprise", "agent"], name="enterprise_agent_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.agent} 代 {self.enterprise} 办理"


class ApiToken(models.Model):
    """A personal API token. Only its SHA-256 is kept; the secret is shown once at creation."""

    user = models.ForeignKey(
        User, verbose_name="所属用户", on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField("名称", max_length=64)
    prefix = models.CharField("前缀", max_length=12, db_index=True)
    token_hash = models.CharField("摘要", max_length=64, unique=True)
    created_at = models.DateTimeField("创建时间", default=timezone.now)
    expires_at = models.DateTimeField("过期时间")
    revoked_at = models.DateTimeField("吊销时间", null=True, blank=True)
    last_used_at = models.DateTimeField("最近使用", null=True, blank=True)

    class Meta:
        verbose_name = "API令牌"
        verbose_name_plural = "API令牌"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name}（{self.prefix}…）"
