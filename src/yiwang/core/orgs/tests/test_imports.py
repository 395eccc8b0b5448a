"""Importing 行政区划 and 部门 lists from CSV: every row kept — good ones loaded, bad ones
reported with their line and reason (STANDARDS.md §1 for legacy USCCs)."""

from __future__ import annotations

import pytest

from yiwang.core.audit.models import AuditRecord
from yiwang.core.errors import InvalidInput, PermissionDenied
from yiwang.core.orgs import imports
from yiwang.core.orgs.models import Department, DepartmentKind, Division
from yiwang.core.orgs.tests.import_samples import (
    DIVISIONS_GBK,
    bad_check_digit,
    created_records,
    csv_bytes,
    departments_file,
    official_with,
    statuses,
)
from yiwang.core.tests import factories


# --- divisions ---------------------------------------------------------------------------------
def test_gbk_file_with_chinese_headers_imports_divisions(sys_admin, city):
    report = imports.import_file(actor=sys_admin, kind="divisions", data=DIVISIONS_GBK)

    assert report.counts() == {"total": 2, "created": 2, "unchanged": 0, "failed": 0, "flagged": 0}
    street = Division.objects.get(code="330102001000")
    assert (street.name, street.parent.code, street.level) == ("清波街道", "330102", "township")


def test_english_headers_are_accepted(sys_admin, city):
    data = csv_bytes("code,name,parent_code", "330103,下城区,330100")

    report = imports.import_file(actor=sys_admin, kind="divisions", data=data)

    assert statuses(report) == [(2, "created")]
    assert Division.objects.get(code="330103").name == "下城区"


def test_good_division_rows_load_and_bad_ones_are_reported_with_their_line(sys_admin, city):
    data = csv_bytes(
        "区划代码,名称,上级区划代码",
        "330102,上城区,330100",
        "320102,错区,330100",
        "33010X,坏代码,330100",
        "330105,拱墅区,339900",
        "3.30102E+11,科学计数,330102",
    )

    report = imports.import_file(actor=sys_admin, kind="divisions", data=data)

    assert statuses(report) == [(2, "created"), (3, "failed"), (4, "failed"), (5, "failed"), (6, "failed")]
    rows = {row.line: row for row in report.rows}
    assert rows[3].fields == {"区划代码": "行政区划代码 320102 未以上级代码 330100 的前缀开头"}
    assert rows[3].reason == "行政区划代码 320102 未以上级代码 330100 的前缀开头"
    assert rows[4].reason == "行政区划代码应为6位（GB/T 2260）或12位（统计用区划代码）"
    assert rows[5].fields == {"上级区划代码": "上级区划代码 339900 不存在"}
    assert "科学计数法" in rows[6].reason
    assert set(Division.objects.values_list("code", flat=True)) == {"330000", "330100", "330102"}


def test_a_village_listed_before_its_township_is_imported(sys_admin, city):
    data = csv_bytes(
        "区划代码,名称,上级区划代码",
        "330102001001,清波门社区,330102001000",
        "330102001000,清波街道,330102",
        "330102,上城区,330100",
    )

    report = imports.import_file(actor=sys_admin, kind="divisions", data=data)

    assert report.created == 3 and report.failed == 0
    assert Division.objects.get(code="330102001001").parent.code == "330102001000"


def test_reimporting_the_same_file_changes_nothing_and_writes_no_duplicate_audit(sys_admin, city):
    imports.import_file(actor=sys_admin, kind="divisions", data=DIVISIONS_GBK)
    before = created_records()

    report = imports.import_file(actor=sys_admin, kind="divisions", data=DIVISIONS_GBK)

    assert report.counts() == {"total": 2, "created": 0, "unchanged": 2, "failed": 0, "flagged": 0}
    assert {row.reason for row in report.rows} == {"已存在，未改动"}
    assert created_records() == before
    assert Division.objects.filter(code__startswith="330102").count() == 2
    summaries = AuditRecord.objects.filter(action="orgs.import.completed", actor_id=sys_admin.pk)
    assert summaries.count() == 2
    assert summaries.order_by("-id").first().changes == {
        "kind": "divisions",
        "total": 2,
        "created": 0,
        "unchanged": 2,
        "failed": 0,
        "flagged": 0,
    }


def test_an_existing_code_with_another_name_is_reported_not_overwritten(sys_admin, city):
    data = csv_bytes("区划代码,名称,上级区划代码", "330100,别的市,330000")

    report = imports.import_file(actor=sys_admin, kind="divisions", data=data)

    assert report.rows[0].status == "failed"
    assert "已存在" in report.rows[0].reason
    assert Division.objects.get(code="330100").name == "示范市"


def test_line_numbers_count_blank_lines_and_quoted_line_breaks(sys_admin, city):
    data = csv_bytes(
        "区划代码,名称,上级区划代码", "", '330102,"上城区\n（旧名）",330100', "320102,错区,330100"
    )

    report = imports.import_file(actor=sys_admin, kind="divisions", data=data)

    assert statuses(report) == [(3, "created"), (5, "failed")]


def test_a_code_repeated_in_the_file_is_reported_at_the_second_line(sys_admin, city):
    data = csv_bytes("区划代码,名称,上级区划代码", "330102,上城区,330100", "330102,上城区,330100")

    report = imports.import_file(actor=sys_admin, kind="divisions", data=data)

    assert statuses(report) == [(2, "created"), (3, "failed")]
    assert report.rows[1].reason == "区划代码 330102 与第2行重复"


# --- departments -------------------------------------------------------------------------------
def test_bom_utf8_file_imports_departments_with_parents_named_later(sys_admin, city):
    uscc = factories.make_uscc(registrar="1", kind="1", division="330100")
    data = departments_file(
        "市教育局办公室,,330100,市教育局,事业单位,5",
        f"市教育局,{uscc},330100,,政府工作部门,10",
        "市教育局信息中心,,330100,市教育局办公室,institution,",
        bom=True,
    )

    report = imports.import_file(actor=sys_admin, kind="departments", data=data)

    assert report.counts() == {"total": 3, "created": 3, "unchanged": 0, "failed": 0, "flagged": 0}
    bureau = Department.objects.get(name="市教育局")
    office = Department.objects.get(name="市教育局办公室")
    centre = Department.objects.get(name="市教育局信息中心")
    assert (bureau.uscc, bureau.sort_order) == (uscc, 10)
    assert (office.parent, office.kind, office.sort_order) == (bureau, DepartmentKind.INSTITUTION, 5)
    assert centre.path == f"/{bureau.pk}/{office.pk}/{centre.pk}/"


def test_good_department_rows_load_and_bad_ones_are_reported(sys_admin, city):
    good = factories.make_uscc(division="330100")
    data = departments_file(
        f"市民政局,{good},330100,,,",
        f"市财政局,{bad_check_digit(factories.make_uscc(division='330100'))},330100,,,",
        "市审计局,,339900,,,",
        "市统计局,,330100,不存在的局,,",
        "市商务局,,330100,,部委,",
        "市林业局,,330100,,,abc",
        ",,330100,,,",
    )

    report = imports.import_file(actor=sys_admin, kind="departments", data=data)

    assert report.created == 1 and report.failed == 6
    rows = {row.line: row for row in report.rows}
    assert rows[2].status == "created"
    assert rows[3].fields == {"统一社会信用代码": "统一社会信用代码校验位错误"}
    assert rows[3].reason == "统一社会信用代码校验位错误"
    assert rows[4].fields == {"所属区划代码": "所属区划代码 339900 不存在"}
    assert rows[5].fields == {"上级部门名称": "上级部门不存在（上级部门名称：不存在的局）"}
    assert rows[6].fields["部门类型"].startswith("部门类型“部委”无效")
    assert rows[7].fields == {"排序": "排序应为0–32767的整数"}
    assert rows[8].fields == {"部门名称": "部门名称不能为空"}
    names = {"市民政局", "市财政局", "市审计局", "市统计局", "市商务局", "市林业局"}
    assert set(Department.objects.filter(name__in=names).values_list("name", flat=True)) == {"市民政局"}


def test_departments_naming_each_other_as_parent_are_reported_not_looped(sys_admin, city):
    data = departments_file("甲局,,330100,乙局,,", "乙局,,330100,甲局,,", "丙局,,330100,丙局,,")

    report = imports.import_file(actor=sys_admin, kind="departments", data=data)

    assert statuses(report) == [(2, "failed"), (3, "failed"), (4, "failed")]
    assert report.rows[0].reason == "上级部门不存在（上级部门名称：乙局）"
    assert report.rows[2].reason == "上级部门名称不能是本部门自身"


def test_a_child_of_a_failed_parent_says_which_line_failed(sys_admin, city):
    data = departments_file("坏局,91330100ABC,330100,,,", "坏局科室,,330100,坏局,,")

    report = imports.import_file(actor=sys_admin, kind="departments", data=data)

    assert report.rows[1].reason == "上级部门不存在（上级部门名称：坏局，文件第2行未能导入）"


def test_reimporting_departments_reports_every_row_unchanged(sys_admin, city):
    data = departments_file("市水利局,,330100,,,", "市水文站,,330100,市水利局,事业单位,")
    imports.import_file(actor=sys_admin, kind="departments", data=data)
    before = created_records()

    report = imports.import_file(actor=sys_admin, kind="departments", data=data)

    assert statuses(report) == [(2, "unchanged"), (3, "unchanged")]
    assert created_records() == before
    assert Department.objects.filter(name__startswith="市水").count() == 2


def test_legacy_uscc_is_kept_and_flagged_for_a_data_steward(sys_admin, city):
    legacy = bad_check_digit(factories.make_uscc(division="330100"))
    data = departments_file(f"市档案馆,{legacy},330100,,事业单位,")

    report = imports.import_file(actor=sys_admin, kind="departments", data=data, allow_legacy_uscc=True)

    assert report.counts() == {"total": 1, "created": 1, "unchanged": 0, "failed": 0, "flagged": 1}
    assert report.rows[0].status == "flagged"
    assert report.rows[0].reason == "统一社会信用代码校验位错误（历史数据，已标记）"
    archive = Department.objects.get(name="市档案馆")
    assert (archive.uscc, archive.uscc_flagged) == (legacy, "统一社会信用代码校验位错误（历史数据，已标记）")
    assert AuditRecord.objects.filter(
        action="orgs.department.uscc_flagged", target_id=str(archive.pk)
    ).exists()


def test_legacy_uscc_fails_without_the_legacy_option(sys_admin, city):
    data = departments_file(f"市档案馆,{bad_check_digit(factories.make_uscc())},330100,,,")

    report = imports.import_file(actor=sys_admin, kind="departments", data=data)

    assert report.rows[0].reason == "统一社会信用代码校验位错误"
    assert not Department.objects.filter(name="市档案馆").exists()


def test_legacy_option_still_refuses_a_malformed_uscc(sys_admin, city):
    data = departments_file("市档案馆,91330100ABC,330100,,,")

    report = imports.import_file(actor=sys_admin, kind="departments", data=data, allow_legacy_uscc=True)

    assert report.rows[0].fields == {"统一社会信用代码": "统一社会信用代码应为18位"}


def test_legacy_option_needs_the_legacy_permission(db, city):
    keeper = official_with("orgs.department.manage")
    data = departments_file(f"市档案馆,{bad_check_digit(factories.make_uscc())},330100,,,")

    with pytest.raises(PermissionDenied):
        imports.import_file(actor=keeper, kind="departments", data=data, allow_legacy_uscc=True)

    assert not Department.objects.filter(name="市档案馆").exists()


# --- the file as a whole -----------------------------------------------------------------------
@pytest.mark.parametrize(
    ("data", "message"),
    [
        (csv_bytes("区划代码,名称", "330102,上城区"), None),
        (csv_bytes("代码,名称,上级区划代码", "330102,上城区,330100"), "缺少必需的列：区划代码"),
        (b"", "文件为空或没有表头"),
        (b"\xff\xfe\xff\x00", "文件编码无法识别，请另存为UTF-8或GBK编码的CSV文件"),
        (csv_bytes("区划代码,名称,名称", "330102,上城区,x"), "表头中“名称”列重复"),
        (b"code,name\n330102,a\x00b\n", "文件含有空字符（NUL），不是有效的CSV文本文件"),
        (b"PK\x03\x04xlsx", "这是Excel工作簿，不是CSV：请在Excel中“另存为”CSV格式后再导入"),
    ],
)
def test_a_file_that_cannot_be_read_is_refused_as_a_whole(sys_admin, city, data, message):
    if message is None:  # parent column is optional: the province-only case
        assert imports.import_file(actor=sys_admin, kind="divisions", data=data).failed == 1
        return
    with pytest.raises(InvalidInput) as caught:
        imports.import_file(actor=sys_admin, kind="divisions", data=data)
    assert caught.value.fields == {"file": message}


def test_more_rows_than_allowed_are_refused(sys_admin, city, monkeypatch):
    monkeypatch.setattr("yiwang.core.orgs.imports.reading.MAX_ROWS", 2)
    data = csv_bytes("code,name,parent_code", *[f"33010{i},区{i},330100" for i in range(2, 5)])

    with pytest.raises(InvalidInput) as caught:
        imports.import_file(actor=sys_admin, kind="divisions", data=data)

    assert caught.value.fields == {"file": "文件不能超过2行数据，请分批导入"}
    assert not Division.objects.filter(code="330102").exists()
