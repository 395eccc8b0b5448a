from django.apps import AppConfig


class WorkcalConfig(AppConfig):
    name = "yiwang.core.workcal"
    label = "workcal"
    verbose_name = "工作日历"

    def ready(self) -> None:
        from yiwang.core.workcal import checks  # noqa: F401  (registers the office-hours check)
