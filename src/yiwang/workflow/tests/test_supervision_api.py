"""电子监察 API and exports (issue 3 §5): the same numbers in JSON, CSV and xlsx; refusals."""

from __future__ import annotations

import csv
import io
from urllib.parse import quote

import pytest
import time_machine
from openpyxl import load_workbook

from yiwang.core.tests import factories
from yiwang.workflow.supervision_export import figures_table, neutralised, to_csv, to_xlsx
from yiwang.workflow.tests import runtime_fixtures, supervision_fixtures
from yiwang.workflow.tests.supervision_fixtures import NOW

pytestmark = pytest.mark.django_db
staff = runtime_fixtures.staff  # fixtures, used by name
month, leader = supervision_fixtures.month, supervision_fixtures.leader
market_supervisor = supervision_fixtures.market_supervisor
BASE = "/api/v1/workflow/supervision"
COLUMNS = ["在办", "预警", "超期", "办结", "按时办结", "提前办结"]
KEYS = ["open", "warning", "overdue", "completed", "on_time", "early"]


def get(client, user, path, **query):
    client.force_login(user)
    with time_machine.travel(NOW, tick=False):
        return client.get(f"{BASE}{path}", query)


def post(client, user, path, body):
    client.force_login(user)
    with time_machine.travel(NOW, tick=False):
        return client.post(f"{BASE}{path}", body, content_type="application/json")


def csv_rows(response) -> list[dict]:
    assert response.content.startswith("\ufeff".encode())  # the BOM Excel needs
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


def xlsx_rows(response) -> list[dict]:
    sheet = load_workbook(io.BytesIO(response.content)).active
    header, *rows = list(sheet.iter_rows(values_only=True))
    return [dict(zip(header, row, strict=True)) for row in rows]


def test_figures_json_csv_and_xlsx_carry_the_same_numbers(client, staff, month, leader):
    response = get(client, leader, "/figures")
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["period"] == {"start": "2026-11-01", "end": "2026-11-20"}
    market = next(r for r in body["by_department"] if r["key"] == staff.market.pk)
    assert [market[k] for k in KEYS] == [2, 0, 1, 4, 3, 1]
    assert market["on_time_rate"] == 0.75 and market["avg_working_days"] == 4.0

    from_csv = {row["名称"]: row for row in csv_rows(get(client, leader, "/export", format="csv"))}
    assert [int(from_csv[market["name"]][c]) for c in COLUMNS] == [market[k] for k in KEYS]
    assert from_csv[market["name"]]["按时办结率"] == "75.0%"
    assert from_csv[market["name"]]["提前办结率"] == "25.0%"
    assert float(from_csv[market["name"]]["平均办理用时（工作日）"]) == market["avg_working_days"]
    assert [int(from_csv["并联审批（示例）"][c]) for c in COLUMNS] == [body["by_process"][0][k] for k in KEYS]

    exported = get(client, leader, "/export", format="xlsx")
    assert exported["Content-Type"].startswith("application/vnd.openxmlformats")
    assert f"filename*=UTF-8''{quote('电子监察-2026-11-20.xlsx')}" in exported["Content-Disposition"]
    from_xlsx = {row["名称"]: row for row in xlsx_rows(exported)}
    assert [from_xlsx[market["name"]][c] for c in COLUMNS] == [market[k] for k in KEYS]
    assert from_xlsx[market["name"]]["按时办结率"] == pytest.approx(0.75)
    totals = next(row for row in xlsx_rows(exported) if row["类别"] == "合计（待办）")
    assert [totals[c] for c in COLUMNS] == [body["totals"][k] for k in KEYS]


def test_overdue_json_and_export_agree(client, staff, month, leader):
    body = get(client, leader, "/overdue").json()
    assert [r["task_id"] for r in body["items"]] == [month.tasks["t5"].pk, month.tasks["s1"].pk]
    assert body["items"][1]["responsible"] == "决定人"
    rows = csv_rows(get(client, leader, "/export", what="overdue", format="csv"))
    assert [int(r["待办编号"]) for r in rows] == [r["task_id"] for r in body["items"]]
    assert [r["责任人"] for r in rows] == ["待签收（市政务服务管理局）", "决定人"]
    assert rows[0]["办理时限"] == "2026-11-10 23:59"
    sheet = xlsx_rows(get(client, leader, "/export", what="overdue", format="xlsx"))
    assert [r["超期（工作日）"] for r in sheet] == [r["overdue_working_days"] for r in body["items"]]


def test_formula_text_is_neutralised_in_both_exports(client, staff, month, leader):
    staff.decider.display_name = '=HYPERLINK("http://evil.example","点我")'
    staff.decider.save(update_fields=["display_name"])
    staff.subject_dept.name = "@SUM(A1:A9)"
    staff.subject_dept.save(update_fields=["name"])
    rows = csv_rows(get(client, leader, "/export", what="overdue", format="csv"))
    assert rows[1]["责任人"] == '\'=HYPERLINK("http://evil.example","点我")'
    assert rows[1]["责任部门"] == "'@SUM(A1:A9)"
    sheet = load_workbook(io.BytesIO(get(client, leader, "/export", what="overdue", format="xlsx").content))
    cells = [cell for row in sheet.active.iter_rows() for cell in row]
    assert not [c for c in cells if c.data_type == "f"]  # no formula anywhere
    assert '\'=HYPERLINK("http://evil.example","点我")' in [c.value for c in cells]
    figures = {r["名称"] for r in csv_rows(get(client, leader, "/export", format="csv"))}
    assert "'@SUM(A1:A9)" in figures


def test_neutralising_leaves_ordinary_values_alone():
    assert [neutralised(v) for v in ("+86", "-1", "市场", 3, -2.5, None)] == [
        "'+86",
        "'-1",
        "市场",
        3,
        -2.5,
        None,
    ]
    headers, rows = figures_table(
        {
            "by_department": [],
            "by_process": [],
            "totals": {
                "name": "合计",
                **dict.fromkeys(KEYS, 0),
                "on_time_rate": None,
                "early_rate": None,
                "avg_working_days": None,
            },
        }
    )
    assert to_csv(headers, rows).decode("utf-8-sig").splitlines()[1] == "合计（待办）,合计,0,0,0,0,0,0,,,"
    assert load_workbook(io.BytesIO(to_xlsx(headers, rows, title="电子监察"))).active.title == "电子监察"


def test_refusals_are_in_the_envelope(client, staff, month, leader, market_supervisor):
    denied = get(client, staff.market_approver, "/figures")
    assert denied.status_code == 403
    assert "查看电子监察" in denied.json()["error"]["message"]
    assert get(client, staff.market_approver, "/export").status_code == 403
    backwards = get(client, leader, "/figures", start="2026-11-10", end="2026-11-01")
    assert backwards.status_code == 422 and "end" in backwards.json()["error"]["fields"]
    bad_date = get(client, leader, "/figures", start="2026-13-01")
    assert bad_date.status_code == 422 and "start" in bad_date.json()["error"]["fields"]
    assert get(client, leader, "/export", what="everything").status_code == 422
    assert get(client, leader, "/export", format="pdf").status_code == 422
    assert get(client, leader, "/figures", process="DROP TABLE").status_code == 422
    assert get(client, market_supervisor, "/figures", department=staff.fire.pk).status_code == 404
    assert get(client, leader, "/figures", department=99999999).status_code == 404


def test_press_acknowledge_and_accountability_through_the_api(client, staff, month, market_supervisor):
    task = month.tasks["t5"]
    pressed = post(
        client,
        market_supervisor,
        "/notices",
        {"instance": task.instance_id, "task": task.pk, "message": "请尽快办理", "respond_by": "2026-11-23"},
    )
    assert pressed.status_code == 201, pressed.json()
    notice = pressed.json()
    assert notice["department"] == "市政务服务管理局" and notice["pending"] is True
    received = get(client, staff.market_approver, "/notices", box="received", pending="true").json()
    assert [n["id"] for n in received["items"]] == [notice["id"]]
    assert get(client, staff.fire_approver, "/notices").json()["count"] == 0

    path = f"/notices/{notice['id']}/acknowledge"
    stale = post(client, staff.market_approver, path, {"version": notice["version"] + 1, "reply": "收到"})
    assert stale.status_code == 409
    answered = post(client, staff.market_approver, path, {"version": notice["version"], "reply": "今日办结"})
    assert answered.status_code == 200 and answered.json()["reply"] == "今日办结"
    assert answered.json()["acknowledged_by"] == "市场审查员" and answered.json()["pending"] is False
    again = post(
        client, staff.market_approver, path, {"version": answered.json()["version"], "reply": "再次"}
    )
    assert again.status_code == 422 and again.json()["error"]["message"] == "该督办已反馈"
    assert post(client, staff.fire_approver, path, {"version": 2, "reply": "x"}).status_code == 404

    recorded = post(
        client,
        market_supervisor,
        "/accountabilities",
        {"instance": task.instance_id, "task": month.tasks["t4"].pk, "kind": "overdue", "reason": "超期4天"},
    )
    assert recorded.status_code == 422 and "task" in recorded.json()["error"]["fields"]  # t4 is i2's
    recorded = post(
        client,
        market_supervisor,
        "/accountabilities",
        {
            "instance": month.tasks["t4"].instance_id,
            "task": month.tasks["t4"].pk,
            "kind": "overdue",
            "reason": "超期4天",
        },
    )
    assert recorded.status_code == 201, recorded.json()
    assert recorded.json()["responsible"] == "市场审查员" and recorded.json()["kind_name"] == "超期办理"
    listed = get(client, market_supervisor, "/accountabilities").json()
    assert [r["id"] for r in listed["items"]] == [recorded.json()["id"]]
    assert get(client, staff.market_approver, "/accountabilities").status_code == 403


def test_api_refuses_bad_notices(client, staff, month, market_supervisor):
    task = month.tasks["t5"]
    body = {"instance": task.instance_id, "task": task.pk, "message": ""}
    empty = post(client, market_supervisor, "/notices", body)
    assert empty.status_code == 422 and "message" in empty.json()["error"]["fields"]
    past = post(
        client, market_supervisor, "/notices", {**body, "message": "催办", "respond_by": "2026-11-01"}
    )
    assert past.status_code == 422 and "respond_by" in past.json()["error"]["fields"]
    missing = post(client, market_supervisor, "/notices", {**body, "message": "催办", "instance": 99999999})
    assert missing.status_code == 404
    unknown_person = post(
        client,
        market_supervisor,
        "/accountabilities",
        {"instance": task.instance_id, "kind": "wrong", "reason": "x", "responsible": 99999999},
    )
    assert unknown_person.status_code == 422 and "responsible" in unknown_person.json()["error"]["fields"]
    outsider = factories.create_official(
        department=factories.create_department("市交通局"), role="supervisor"
    )
    assert post(client, outsider, "/notices", {**body, "message": "催办"}).status_code == 404
