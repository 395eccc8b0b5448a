from django.apps import AppConfig


class WorkcalConfig(AppConfig):
    name = "yiwang.core.workcal"
    label = "workcal"
    verbose_name = "工作日历"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from yiwang.core.workcal import checks  # noqa: F401  (registers the office-hours check)
        from yiwang.core.workcal.seed import seed_if_empty

        post_migrate.connect(seed_if_empty, dispatch_uid="yiwang.workcal.seed_if_empty")
