"""`yiwang import_orgs divisions|departments FILE.csv --as USERNAME [--allow-legacy-uscc]`:
load a county's 行政区划 or 部门 list, acting as a named official (whose permission and name
the audit records carry). Prints the row-by-row report; exits 1 if any row failed."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from yiwang.core import request_context
from yiwang.core.accounts.models import User
from yiwang.core.errors import DomainError
from yiwang.core.orgs import imports


class Command(BaseCommand):
    help = "从CSV导入行政区划或部门（逐行报告，失败行注明原因）"

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=imports.KINDS, help="divisions（行政区划）或 departments（部门）")
        parser.add_argument("file", help="CSV文件（UTF-8或GBK）")
        parser.add_argument("--as", dest="username", required=True, help="执行导入的用户名（须有导入权限）")
        parser.add_argument(
            "--allow-legacy-uscc",
            action="store_true",
            help="保留校验位错误的历史统一社会信用代码并标记（仅数据管理员）",
        )

    def handle(self, *args, kind, file, username, allow_legacy_uscc, **options):
        actor = User.objects.filter(username=username, is_active=True).first()
        if actor is None:
            raise CommandError(f"用户 {username} 不存在或已停用")
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"文件 {file} 不存在")
        if path.stat().st_size > imports.MAX_BYTES:
            raise CommandError(f"文件不能超过{imports.MAX_BYTES // (1024 * 1024)} MB")
        token = request_context.set_current(request_context.RequestContext(channel="cli:import_orgs"))
        try:
            report = imports.import_file(
                actor=actor, kind=kind, data=path.read_bytes(), allow_legacy_uscc=allow_legacy_uscc
            )
        except DomainError as error:
            raise CommandError(error.message) from None
        finally:
            request_context.reset(token)
        self._print(report)
        if report.failed:
            raise CommandError(f"{report.failed}行导入失败", returncode=1)

    def _print(self, report) -> None:
        self.stdout.write("行号\t状态\t\t键\t说明")
        for row in report.sorted_rows():
            self.stdout.write(f"{row.line}\t{row.status_label}\t{row.key}\t{row.reason}")
        counts = report.counts()
        self.stdout.write(
            f"共{counts['total']}行：新建{counts['created']}（其中标记{counts['flagged']}），"
            f"未改动{counts['unchanged']}，失败{counts['failed']}"
        )
