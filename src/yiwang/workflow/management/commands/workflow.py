"""`yiwang workflow load [--check]` and `yiwang workflow show CODE`."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from yiwang.core.errors import DomainError
from yiwang.core.workcal.units import TimeUnit
from yiwang.workflow import selectors
from yiwang.workflow.loader import DefinitionInvalid
from yiwang.workflow.services import definitions as services

STATUS = {"new": "新版本", "unchanged": "未变化", "restored": "恢复为此前版本"}


def _limit(limit) -> str:
    return f"{limit.amount:g}{TimeUnit(limit.unit.value).label}"


class Command(BaseCommand):
    help = "流程定义：校验并载入各应用 processes/*.yaml（load），或查看某流程（show）"

    def add_arguments(self, parser):
        commands = parser.add_subparsers(dest="subcommand", required=True)
        load = commands.add_parser("load", help="校验全部流程定义文件；全部无误才载入，内容变化的存为新版本")
        load.add_argument("--check", action="store_true", help="只校验，不载入；有问题时退出码为1")
        load.add_argument(
            "files", nargs="*", type=Path, help="只处理这些文件（默认：各应用的 processes/*.yaml）"
        )
        show = commands.add_parser("show", help="查看某流程的当前版本及历史版本")
        show.add_argument("code")

    def handle(self, *args, subcommand: str, **options):
        try:
            if subcommand == "load":
                self._load(check=options["check"], files=options["files"])
            else:
                self._show(options["code"])
        except DefinitionInvalid as invalid:
            for problem in invalid.problems:
                self.stderr.write(str(problem))
            raise CommandError(f"流程定义有{len(invalid.problems)}处问题，未载入任何定义") from None
        except DomainError as error:
            raise CommandError(error.message) from None

    def _load(self, *, check: bool, files: list[Path]) -> None:
        paths = files or services.definition_files()
        if check:
            parsed = services.definition_check_files(paths=paths)
            self.stdout.write(f"{len(parsed)}个流程定义文件校验通过")
            return
        for loaded in services.definition_load_files(actor=None, paths=paths):
            version = loaded.version
            self.stdout.write(
                f"{version.code} v{version.version}：{STATUS[loaded.status]}（{version.source}）"
            )

    def _show(self, code: str) -> None:
        current = selectors.definition_version_current(code=code)
        definition = selectors.definition_of(version=current)
        self.stdout.write(f"{definition.name}（{definition.code}）当前版本 v{current.version}")
        self.stdout.write(
            f"来源：{current.source} · 载入：{timezone.localtime(current.loaded_at):%Y-%m-%d %H:%M} · SHA-256 {current.content_sha256}"
        )
        if definition.time_limit:
            self.stdout.write(f"整体时限：{_limit(definition.time_limit)}")
        self.stdout.write("节点：")
        for state in definition.states:
            limit = f" · 时限 {_limit(state.time_limit)}" if state.time_limit else ""
            start = " · 起始" if state.code == definition.initial else ""
            self.stdout.write(f"  {state.code} {state.name} [{state.kind.value}]{limit}{start}")
        self.stdout.write("动作：")
        for action in definition.actions:
            target = action.target or "（回到暂停前的节点）"
            self.stdout.write(
                f"  {action.code} {action.name} [{action.kind.value}] {'、'.join(action.sources)} → {target}"
            )
        history = selectors.definition_versions(code=code)
        self.stdout.write(
            "版本："
            + "、".join(f"v{v.version}（{timezone.localtime(v.loaded_at):%Y-%m-%d}）" for v in history)
        )
