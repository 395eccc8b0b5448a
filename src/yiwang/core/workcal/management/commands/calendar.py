"""`yiwang calendar seed [--year Y] [--replace]` and `yiwang calendar show YEAR`."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from yiwang.core.errors import DomainError
from yiwang.core.workcal import selectors, services
from yiwang.core.workcal.validation import clean_year


class Command(BaseCommand):
    help = "工作日历：从 chinese-calendar 载入节假日与调休（seed），或查看某年（show）"

    def add_arguments(self, parser):
        commands = parser.add_subparsers(dest="subcommand", required=True)
        seed = commands.add_parser(
            "seed", help="载入 chinese-calendar 所含年份中尚未录入的年份（可重复执行）"
        )
        seed.add_argument("--year", type=int, help="只载入这一年")
        seed.add_argument(
            "--replace", action="store_true", help="已录入的年份也按数据包重新载入（覆盖管理员修改）"
        )
        show = commands.add_parser("show", help="列出某年的节假日与调休上班日")
        show.add_argument("year", type=int)

    def handle(self, *args, subcommand: str, **options):
        try:
            if subcommand == "seed":
                self._seed(options["year"], options["replace"])
            else:
                self._show(options["year"])
        except DomainError as error:
            raise CommandError(error.message) from None

    def _seed(self, year: int | None, replace: bool) -> None:
        written = services.calendar_seed(actor=None, years=None if year is None else [year], replace=replace)
        if written:
            self.stdout.write(f"已载入：{', '.join(str(y) for y in written)}")
        else:
            self.stdout.write("没有需要载入的年份（均已录入）")

    def _show(self, year: int) -> None:
        year = clean_year(year)
        known = selectors.calendar_year_known(year=year)
        if known is None:
            self.stdout.write(f"{year}年的节假日数据尚未录入")
        else:
            self.stdout.write(f"{year}年 · 来源：{known.source}{' · ' + known.note if known.note else ''}")
        for day in selectors.calendar_year_days(year=year):
            mark = "休" if day.kind == "holiday" else "班"
            self.stdout.write(f"{day.date:%Y-%m-%d} {'一二三四五六日'[day.date.weekday()]} {mark} {day.name}")
