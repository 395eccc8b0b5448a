from django.apps import AppConfig


class CoreConfig(AppConfig):
    """The shared kernel: errors, code validators, personal-data crypto, permission registry."""

    name = "yiwang.core"
    label = "core"
    verbose_name = "平台内核"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from yiwang.core.accounts.rbac import sync_permissions

        post_migrate.connect(sync_permissions, dispatch_uid="yiwang.sync_permissions")
