"""The import through its entry points: the API, the workbench page and `yiwang import_orgs`."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command, execute_from_command_line
from django.db import connections

from yiwang.core.audit.models import AuditRecord
from yiwang.core.orgs import imports
from yiwang.core.orgs.models import Department, Division
from yiwang.core.orgs.tests.import_samples import (
    DIVISIONS_GBK,
    ORGS,
    PAGE,
    bad_check_digit,
    csv_bytes,
    departments_file,
    official_with,
    upload,
)
from yiwang.core.tests import factories


# --- API ---------------------------------------------------------------------------------------
def test_api_returns_the_report_even_when_some_rows_failed(client, sys_admin, city):
    client.force_login(sys_admin)
    data = csv_bytes("区划代码,名称,上级区划代码", "330102,上城区,330100", "320102,错区,330100")

    response = client.post(f"{ORGS}/import/divisions", {"file": upload(data)})

    assert response.status_code == 200
    body = response.json()
    assert {k: body[k] for k in ("kind", "total", "created", "failed")} == {
        "kind": "divisions",
        "total": 2,
        "created": 1,
        "failed": 1,
    }
    assert body["rows"][1] == {
        "line": 3,
        "status": "failed",
        "status_label": "失败",
        "key": "320102",
        "reason": "行政区划代码 320102 未以上级代码 330100 的前缀开头",
        "fields": {"区划代码": "行政区划代码 320102 未以上级代码 330100 的前缀开头"},
    }


def test_api_legacy_flag_from_the_form(client, sys_admin, city):
    client.force_login(sys_admin)
    data = departments_file(f"市档案馆,{bad_check_digit(factories.make_uscc())},330100,,,")

    response = client.post(f"{ORGS}/import/departments", {"file": upload(data), "allow_legacy_uscc": "true"})

    assert response.status_code == 200
    assert response.json()["flagged"] == 1


def test_api_missing_column_is_a_422_naming_it(client, sys_admin, city):
    client.force_login(sys_admin)
    data = csv_bytes("部门名称,所属区划代码", "市档案馆,330100")

    response = client.post(f"{ORGS}/import/departments", {"file": upload(data)})

    assert response.status_code == 422
    assert response.json()["error"]["fields"] == {"file": "缺少必需的列：统一社会信用代码"}


def test_api_refuses_a_file_over_5_mb(client, sys_admin, city):
    client.force_login(sys_admin)
    data = csv_bytes("code,name,parent_code") + b"x" * imports.MAX_BYTES

    response = client.post(f"{ORGS}/import/divisions", {"file": upload(data)})

    assert response.status_code == 422
    assert response.json()["error"]["fields"] == {"file": "文件不能超过5 MB"}


def test_api_without_a_file_names_the_field(client, sys_admin, city):
    client.force_login(sys_admin)

    response = client.post(f"{ORGS}/import/divisions", {})

    assert response.status_code == 422
    assert response.json()["error"]["fields"] == {"file": "请选择要导入的CSV文件"}


def test_window_clerk_gets_403_from_the_api(client, department):
    clerk = factories.create_official(department=department, role="window_clerk")
    client.force_login(clerk)

    response = client.post(
        f"{ORGS}/import/departments", {"file": upload(departments_file("某局,,330100,,,"))}
    )

    assert response.status_code == 403
    assert not Department.objects.filter(name="某局").exists()


def test_api_legacy_without_permission_is_403(client, city):
    client.force_login(official_with("orgs.department.manage"))

    response = client.post(
        f"{ORGS}/import/departments?allow_legacy_uscc=true",
        {"file": upload(departments_file("某局,,330100,,,"))},
    )

    assert response.status_code == 403


# --- page --------------------------------------------------------------------------------------
def test_page_shows_the_report_as_a_table(client, sys_admin, city):
    client.force_login(sys_admin)
    data = csv_bytes(
        "区划代码,名称,上级区划代码", "330102,上城区,330100", "320102,错区,330100", encoding="gbk"
    )

    response = client.post(PAGE, {"kind": "divisions", "file": upload(data)})

    assert response.status_code == 200
    html = response.content.decode()
    assert "<table>" in html
    assert "行政区划代码 320102 未以上级代码 330100 的前缀开头" in html
    assert "共2行：新建1行（其中标记0行），未改动0行，失败1行。" in html
    assert Division.objects.filter(code="330102").exists()


def test_page_shows_a_missing_column_beside_the_file_field(client, sys_admin, city):
    client.force_login(sys_admin)

    response = client.post(PAGE, {"kind": "departments", "file": upload(csv_bytes("部门名称", "某局"))})

    assert response.status_code == 422
    assert '<p class="field-error" id="file-error">缺少必需的列：统一社会信用代码、所属区划代码</p>' in (
        response.content.decode()
    )


def test_page_without_a_type_names_the_field(client, sys_admin, city):
    client.force_login(sys_admin)

    response = client.post(PAGE, {"file": upload(DIVISIONS_GBK)})

    assert response.status_code == 422
    assert '<p class="field-error" id="kind-error">请选择导入类型</p>' in response.content.decode()
    assert not Division.objects.filter(code="330102").exists()


def test_legacy_checkbox_is_shown_only_to_those_allowed(client, sys_admin, city):
    client.force_login(sys_admin)
    assert 'name="allow_legacy_uscc"' in client.get(PAGE).content.decode()

    client.force_login(official_with("orgs.department.manage"))
    page = client.get(PAGE)
    assert page.status_code == 200
    assert 'name="allow_legacy_uscc"' not in page.content.decode()


def test_window_clerk_gets_403_on_the_page(client, department):
    client.force_login(factories.create_official(department=department, role="window_clerk"))

    assert client.get(PAGE).status_code == 403


def test_anonymous_visitor_is_sent_to_login(client, db):
    response = client.get(PAGE)

    assert response.status_code == 302
    assert "/login/" in response["Location"]


# --- command -----------------------------------------------------------------------------------
@pytest.fixture
def keep_connection(monkeypatch):
    """`run_from_argv` closes every connection when the command ends, which would drop the
    test's transaction on PostgreSQL."""
    monkeypatch.setattr(connections, "close_all", lambda: None)


def test_command_imports_and_exits_normally(tmp_path, sys_admin, city, capsys, keep_connection):
    path = tmp_path / "divisions.csv"
    path.write_bytes(DIVISIONS_GBK)

    execute_from_command_line(["yiwang", "import_orgs", "divisions", str(path), "--as", sys_admin.username])

    out = capsys.readouterr().out
    assert "共2行：新建2（其中标记0），未改动0，失败0" in out
    record = AuditRecord.objects.get(action="orgs.import.completed")
    assert record.channel == "cli:import_orgs"


def test_command_exits_1_when_a_row_failed(tmp_path, sys_admin, city, capsys, keep_connection):
    path = tmp_path / "divisions.csv"
    path.write_bytes(csv_bytes("区划代码,名称,上级区划代码", "320102,错区,330100"))

    with pytest.raises(SystemExit) as exited:
        execute_from_command_line(
            ["yiwang", "import_orgs", "divisions", str(path), "--as", sys_admin.username]
        )

    assert exited.value.code == 1
    captured = capsys.readouterr()
    assert "3\t失败" not in captured.out  # the header is line 1, the row line 2
    assert "2\t失败\t320102\t行政区划代码 320102 未以上级代码 330100 的前缀开头" in captured.out


def test_command_refuses_an_actor_without_permission(tmp_path, department):
    clerk = factories.create_official(department=department, role="window_clerk")
    path = tmp_path / "divisions.csv"
    path.write_bytes(DIVISIONS_GBK)

    with pytest.raises(CommandError, match="没有权限"):
        call_command("import_orgs", "divisions", str(path), "--as", clerk.username)
    with pytest.raises(CommandError, match="不存在"):
        call_command("import_orgs", "divisions", str(path), "--as", "nobody")
