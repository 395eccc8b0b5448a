"""`yiwang audit verify`: recompute every audit chain; exit 0 when intact, 1 at the first
broken link (printed in Chinese and English), so cron or monitoring can alert on it."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from yiwang.core.audit.verify import verify_chains


class Command(BaseCommand):
    help = "审计日志 / audit log: `verify` 校验哈希链完整性 (checks the hash chains)"

    def add_arguments(self, parser):
        subcommands = parser.add_subparsers(dest="subcommand", title="subcommands")
        subcommands.required = True
        subcommands.add_parser(
            "verify", help="校验审计链，报告第一个断点 / verify the chains, report the first break"
        )

    def handle(self, *args, subcommand: str, **options):
        if subcommand != "verify":  # argparse already refuses others; kept for call_command
            raise CommandError(f"未知子命令 / unknown subcommand: {subcommand}")
        report = verify_chains()
        if report.intact:
            self.stdout.write(
                self.style.SUCCESS(
                    f"审计日志完整：{report.chains} 条链，{report.records} 条记录。\n"
                    f"Audit log intact: {report.chains} chains, {report.records} records."
                )
            )
            return
        first = report.first
        self.stderr.write(
            self.style.ERROR(
                f"审计日志已被破坏：{first.kind_label}。{first.detail}\n"
                f"Audit log broken: {first.kind_en}. {first.detail_en}"
            )
        )
        for problem in report.problems[1:]:
            self.stderr.write(f"  另见 / also: {problem.detail} / {problem.detail_en}")
        self.stderr.write(
            f"已检查 {report.chains} 条链、{report.records} 条记录 / "
            f"checked {report.chains} chains, {report.records} records."
        )
        raise SystemExit(1)
