"""`yiwang demo`: load 示范市 (idempotent) and print the demo logins."""

from __future__ import annotations

import unicodedata

from django.core.management.base import BaseCommand, CommandError

from yiwang.core import request_context
from yiwang.core.demo import city
from yiwang.core.demo.loader import DemoConflict, Login, load_demo


def display_width(text: str) -> int:
    """Terminal columns: CJK characters take two (Unicode East Asian Width W/F)."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def login_table(logins: list[Login]) -> str:
    header = ("用户名", "角色", "部门", "范围")
    rows = [header] + [(login.username, login.role, login.department, login.scope) for login in logins]
    widths = [max(display_width(row[i]) for row in rows) for i in range(len(header))]

    def line(row) -> str:
        return "  ".join(
            cell + " " * (width - display_width(cell)) for cell, width in zip(row, widths, strict=True)
        )

    rule = "  ".join("-" * width for width in widths)
    return "\n".join([line(rows[0]).rstrip(), rule, *(line(row).rstrip() for row in rows[1:])])


class Command(BaseCommand):
    help = "加载示范市（幂等：重复运行不会产生重复数据），并列出示范账号。Load the demo city."

    def handle(self, *args, **options):
        token = request_context.set_current(request_context.RequestContext(channel="cli:demo"))
        try:
            result = load_demo()
        except DemoConflict as error:
            raise CommandError(str(error)) from None
        finally:
            request_context.reset(token)
        if result.created:
            self.stdout.write(self.style.SUCCESS(f"示范市已加载（新建 {result.created} 项）。"))
        else:
            self.stdout.write("示范市已存在，未做任何更改。")
        self.stdout.write("")
        self.stdout.write(login_table(result.logins))
        self.stdout.write("")
        self.stdout.write(f"所有示范账号的密码 Password of every demo account: {city.DEMO_PASSWORD}")
        self.stdout.write(
            f"个人用户也可用手机号登录 The citizen may also sign in with phone {city.CITIZEN['phone']}."
        )
