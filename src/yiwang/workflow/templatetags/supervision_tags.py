"""How 电子监察 numbers read on a page: rates as percentages, working days with one decimal,
and "—" where there is nothing to measure (no case finished in the period)."""

from django import template

register = template.Library()

NOTHING = "—"


@register.filter
def percent(rate) -> str:
    """0.5 → "50.0%"; None (nothing finished) → "—"."""
    return NOTHING if rate is None else f"{rate * 100:.1f}%"


@register.filter
def working_days(value) -> str:
    return NOTHING if value is None else f"{value:.1f}"
