"""电子监察 exports: the figures and the overdue list as CSV (for Excel in China) and xlsx.

A table is `(headers, rows)` of plain values; a rate is a `Rate`, written as a percentage with
one decimal ("87.5%") in CSV and as a number formatted `0.0%` in xlsx. Text that a spreadsheet
would run as a formula (starting with = + - @, or a tab / carriage return: OWASP "CSV
injection") gets a leading apostrophe, so a process or person named "=HYPERLINK(…)" is shown,
never evaluated.
"""

from __future__ import annotations

import csv
import io
from datetime import date, datetime

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
SHEET_TITLE_MAX = 31  # Excel's limit
SHEET_FORBIDDEN = str.maketrans({c: " " for c in "[]:*?/\\"})

FIGURE_HEADERS = [
    "类别",
    "名称",
    "在办",
    "预警",
    "超期",
    "办结",
    "按时办结",
    "提前办结",
    "按时办结率",
    "提前办结率",
    "平均办理用时（工作日）",
]
OVERDUE_HEADERS = [
    "流程",
    "环节",
    "责任部门",
    "责任人",
    "办理时限",
    "超期（工作日）",
    "督办次数",
    "待反馈督办",
    "待办编号",
    "流程实例编号",
]


class Rate(float):
    """A share between 0 and 1, shown as a percentage."""


def _rate(value: float | None) -> Rate | None:
    return None if value is None else Rate(value)


def _figure_row(kind: str, row: dict) -> list:
    return [
        kind,
        row["name"],
        row["open"],
        row["warning"],
        row["overdue"],
        row["completed"],
        row["on_time"],
        row["early"],
        _rate(row["on_time_rate"]),
        _rate(row["early_rate"]),
        row["avg_working_days"],
    ]


def figures_table(figures: dict) -> tuple[list[str], list[list]]:
    """Department rows (待办 counted by department), process rows (办件), then the totals."""
    rows = [_figure_row("部门", row) for row in figures["by_department"]]
    rows += [_figure_row("流程", row) for row in figures["by_process"]]
    rows.append(_figure_row("合计（待办）", figures["totals"]))
    if "process_totals" in figures:
        rows.append(_figure_row("合计（办件）", figures["process_totals"]))
    return list(FIGURE_HEADERS), rows


def overdue_table(rows: list[dict]) -> tuple[list[str], list[list]]:
    return list(OVERDUE_HEADERS), [
        [
            row["process_name"],
            row["state_name"],
            row["department"],
            row["responsible"],
            row["due_at"],
            row["overdue_working_days"],
            row["notices"],
            "是" if row["pending_notice"] else "否",
            row["task_id"],
            row["instance_id"],
        ]
        for row in rows
    ]


def neutralised(value):
    """Text a spreadsheet would evaluate gets a leading apostrophe; anything else is unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, Rate):
        return f"{value * 100:.1f}%"
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, datetime):
        return f"{timezone.localtime(value):%Y-%m-%d %H:%M}"
    if isinstance(value, date):
        return value.isoformat()
    return str(neutralised(value))


def to_csv(headers: list[str], rows: list[list]) -> bytes:
    """UTF-8 with a byte-order mark: Excel in China opens it as UTF-8, not GBK."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([_text(h) for h in headers])
    writer.writerows([_text(value) for value in row] for row in rows)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _sheet_title(title: str) -> str:
    cleaned = (title or "").translate(SHEET_FORBIDDEN).strip().strip("'")
    return cleaned[:SHEET_TITLE_MAX] or "Sheet1"


def _cell(sheet, value):
    if isinstance(value, Rate):
        cell = WriteOnlyCell(sheet, value=float(value))
        cell.number_format = "0.0%"
        return cell
    if isinstance(value, datetime):
        # xlsx has no time zones: write the local wall-clock time people read on the page.
        cell = WriteOnlyCell(sheet, value=timezone.localtime(value).replace(tzinfo=None))
        cell.number_format = "yyyy-mm-dd hh:mm"
        return cell
    if isinstance(value, bool):
        return WriteOnlyCell(sheet, value="是" if value else "否")
    return WriteOnlyCell(sheet, value=neutralised(value))


def _width(value) -> int:
    text = _text(value)
    # A CJK character takes about two columns.
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def to_xlsx(headers: list[str], rows: list[list], *, title: str) -> bytes:
    """One sheet: a bold header row, then the rows; columns as wide as their content (≤ 60)."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_sheet_title(title))
    widths = [_width(h) for h in headers]
    for row in rows:
        for index, value in enumerate(row[: len(widths)]):
            widths[index] = max(widths[index], _width(value))
    for index, width in enumerate(widths, start=1):
        # Column widths must be set before the first row of a write-only sheet.
        sheet.column_dimensions[get_column_letter(index)].width = min(max(width, 6), 60) + 2
    bold = Font(bold=True)
    header_cells = []
    for header in headers:
        cell = WriteOnlyCell(sheet, value=neutralised(header))
        cell.font = bold
        header_cells.append(cell)
    sheet.append(header_cells)
    for row in rows:
        sheet.append([_cell(sheet, value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
