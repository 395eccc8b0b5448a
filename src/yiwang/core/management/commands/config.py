"""`yiwang config`: the table of environment variables (name, default, meaning) as Markdown.

The README's configuration table is this output, and a test compares the two, so the
documentation cannot drift from `yiwang.config.env.VARIABLES`.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand

from yiwang.config import env

HEADER = ("| 变量 Variable | 默认值 Default | 说明 Meaning |", "|---|---|---|")


def _cell(text: str) -> str:
    # A pipe would end the cell early (GitHub Flavored Markdown tables).
    return text.replace("|", "\\|").replace("\n", " ")


def variables_markdown() -> str:
    rows = [
        f"| `{variable.name}` | {f'`{_cell(variable.default)}`' if variable.default else '（空）'} "
        f"| {_cell(variable.meaning)} |"
        for variable in env.VARIABLES
    ]
    return "\n".join([*HEADER, *rows])


class Command(BaseCommand):
    help = "以 Markdown 表格列出全部环境变量（名称、默认值、说明）。Print the configuration table."

    def handle(self, *args, **options):
        self.stdout.write(variables_markdown())
