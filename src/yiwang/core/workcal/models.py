"""工作日历: the State Council's holidays and 调休 working days, as data (STANDARDS.md §2)."""

from django.db import models


class DayKind(models.TextChoices):
    HOLIDAY = "holiday", "法定节假日（休）"
    WORKDAY = "workday", "调休上班日（班）"


class CalendarYear(models.Model):
    """A year whose holidays are known. A computation touching a year without a row here is
    an explicit error (CalendarYearMissing), never a guess."""

    year = models.PositiveSmallIntegerField("年份", primary_key=True)
    source = models.CharField("来源", max_length=128, default="chinese-calendar")
    note = models.CharField("说明", max_length=255, blank=True, default="")

    class Meta:
        verbose_name = "日历年度"
        verbose_name_plural = "日历年度"
        ordering = ["year"]

    def __str__(self) -> str:
        return f"{self.year}年"


class CalendarDay(models.Model):
    """An exception to the rule "Monday–Friday work, Saturday–Sunday rest"."""

    date = models.DateField("日期", unique=True)
    kind = models.CharField("类型", max_length=16, choices=DayKind.choices)
    name = models.CharField("名称", max_length=64, blank=True, default="")

    class Meta:
        verbose_name = "节假日/调休日"
        verbose_name_plural = "节假日/调休日"
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date} {self.get_kind_display()} {self.name}"
