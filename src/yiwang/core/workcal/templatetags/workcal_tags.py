"""`{% calendar_missing_years as years %}`: the years (this and next) with no calendar data."""

from django import template

from yiwang.core.workcal.selectors import missing_years

register = template.Library()


@register.simple_tag
def calendar_missing_years() -> list[int]:
    return missing_years()
