from django.apps import AppConfig


class WorkcalConfig(AppConfig):
    name = "yiwang.core.workcal"
    label = "workcal"
    verbose_name = "工作日历"
