"""Turn an uploaded CSV into rows: encoding, header, limits. Anything that makes the file as
a whole unreadable is an `InvalidInput` on the field `file` (422); a bad row is not — it is
reported by the import with its line number."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from yiwang.core.errors import InvalidInput

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 20_000
FILE_FIELD = "file"


@dataclass(frozen=True)
class Column:
    key: str
    label: str  # the Chinese header, also used to name the column in reasons
    required: bool = False


DIVISION_COLUMNS = (
    Column("code", "区划代码", required=True),
    Column("name", "名称", required=True),
    Column("parent_code", "上级区划代码"),
)
DEPARTMENT_COLUMNS = (
    Column("name", "部门名称", required=True),
    Column("uscc", "统一社会信用代码", required=True),
    Column("division_code", "所属区划代码", required=True),
    Column("parent_name", "上级部门名称"),
    Column("kind", "部门类型"),
    Column("sort_order", "排序"),
)


@dataclass(frozen=True)
class ImportRow:
    line: int
    values: dict[str, str]

    def get(self, key: str) -> str:
        return self.values.get(key, "")


def _file_error(message: str) -> InvalidInput:
    return InvalidInput(message, fields={FILE_FIELD: message})


def decode(data: bytes) -> str:
    """UTF-8 (with or without BOM) first, strictly; then GB18030, a superset of the GBK that
    Excel in China saves CSV in."""
    if len(data) > MAX_BYTES:
        raise _file_error(f"文件不能超过{MAX_BYTES // (1024 * 1024)} MB")
    if data.startswith(b"PK\x03\x04") or data.startswith(b"\xd0\xcf\x11\xe0"):
        raise _file_error("这是Excel工作簿，不是CSV：请在Excel中“另存为”CSV格式后再导入")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = data.decode("gb18030")
        except UnicodeDecodeError:
            raise _file_error("文件编码无法识别，请另存为UTF-8或GBK编码的CSV文件") from None
    if "\x00" in text:
        raise _file_error("文件含有空字符（NUL），不是有效的CSV文本文件")
    return text


def _normalise_header(cell: str) -> str:
    # Templates often mark required columns with "*" and Excel may pad cells.
    return cell.strip().lstrip("\ufeff").rstrip("*＊").strip().lower()


def _header_map(header: list[str], columns: tuple[Column, ...]) -> dict[int, str]:
    names = {}
    for column in columns:
        names[column.label.lower()] = column.key
        names[column.key] = column.key
    positions: dict[int, str] = {}
    for index, cell in enumerate(header):
        key = names.get(_normalise_header(cell))
        if key is None:
            continue  # extra columns (备注 …) are ignored
        if key in positions.values():
            label = next(c.label for c in columns if c.key == key)
            raise _file_error(f"表头中“{label}”列重复")
        positions[index] = key
    missing = [c.label for c in columns if c.required and c.key not in positions.values()]
    if missing:
        raise _file_error(f"缺少必需的列：{'、'.join(missing)}")
    return positions


def parse(data: bytes, columns: tuple[Column, ...]) -> list[ImportRow]:
    """The data rows of a CSV, keyed by column; blank lines are skipped."""
    text = decode(data)
    reader = csv.reader(io.StringIO(text, newline=""))
    rows: list[ImportRow] = []
    positions: dict[int, str] | None = None
    try:
        start = 1
        for cells in reader:
            line, start = start, reader.line_num + 1
            if not any(cell.strip() for cell in cells):
                continue
            if positions is None:
                positions = _header_map(cells, columns)
                continue
            if len(rows) >= MAX_ROWS:
                raise _file_error(f"文件不能超过{MAX_ROWS}行数据，请分批导入")
            values = {key: cells[index].strip() for index, key in positions.items() if index < len(cells)}
            rows.append(ImportRow(line=line, values=values))
    except csv.Error as error:
        raise _file_error(f"第{reader.line_num}行不是有效的CSV：{error}") from None
    if positions is None:
        raise _file_error("文件为空或没有表头")
    return rows


def read_upload(upload) -> bytes:
    """An uploaded file's bytes; its size is checked before it is read into memory."""
    if upload is None:
        raise _file_error("请选择要导入的CSV文件")
    if upload.size is not None and upload.size > MAX_BYTES:
        raise _file_error(f"文件不能超过{MAX_BYTES // (1024 * 1024)} MB")
    return upload.read(MAX_BYTES + 1)
