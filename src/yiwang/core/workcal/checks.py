"""System check: a bad YIWANG_OFFICE_HOURS stops `yiwang check` instead of the first deadline."""

from django.conf import settings
from django.core.checks import Error, register

from yiwang.core.workcal.office_hours import parse_office_hours


@register()
def office_hours_check(app_configs, **kwargs):
    try:
        parse_office_hours(settings.OFFICE_HOURS)
    except ValueError as error:
        return [Error(str(error), hint="例如 YIWANG_OFFICE_HOURS=09:00-12:00,13:30-17:30", id="workcal.E001")]
    return []
