"""Seed 2004–2026 holidays and 调休 working days from chinese-calendar (STANDARDS.md §2).

Self-contained on purpose (historical models, no app imports) so later code changes cannot
change what this migration wrote. `yiwang calendar seed` loads later years when a newer
package has them.
"""

from importlib.metadata import version

from django.db import migrations

YEARS = range(2004, 2027)


def seed(apps, schema_editor):
    from chinese_calendar import constants

    CalendarDay = apps.get_model("workcal", "CalendarDay")
    CalendarYear = apps.get_model("workcal", "CalendarYear")
    source = f"chinese-calendar {version('chinese-calendar')}"
    known = set(CalendarYear.objects.values_list("year", flat=True))
    taken = set(CalendarDay.objects.filter(date__year__in=list(YEARS)).values_list("date", flat=True))
    days = []
    for table, kind in ((constants.holidays, "holiday"), (constants.workdays, "workday")):
        for day, english in sorted(table.items()):
            if day.year in YEARS and day.year not in known and day not in taken:
                days.append(CalendarDay(date=day, kind=kind, name=constants.Holiday(english).chinese))
    CalendarDay.objects.bulk_create(days, batch_size=500)
    CalendarYear.objects.bulk_create(
        [CalendarYear(year=year, source=source, note="") for year in YEARS if year not in known]
    )


def unseed(apps, schema_editor):
    CalendarDay = apps.get_model("workcal", "CalendarDay")
    CalendarYear = apps.get_model("workcal", "CalendarYear")
    CalendarDay.objects.filter(date__year__in=list(YEARS)).delete()
    CalendarYear.objects.filter(year__in=list(YEARS)).delete()


class Migration(migrations.Migration):
    dependencies = [("workcal", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
