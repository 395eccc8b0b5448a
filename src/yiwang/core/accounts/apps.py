from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "yiwang.core.accounts"
    label = "accounts"
    verbose_name = "用户与角色"
