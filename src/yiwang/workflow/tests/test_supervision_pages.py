"""电子监察 pages (issue 3 §5): the figures of a month known by hand (supervision_fixtures.py),
filter errors, who may open the page, the exports, and 督办 → 反馈 through the pages."""

from __future__ import annotations

import csv
import io
import re

import pytest
import time_machine
from django.urls import reverse
from openpyxl import load_workbook

from yiwang.core.notify.models import Message
from yiwang.core.tests import factories
from yiwang.workflow.models_supervision import Accountability, SupervisionNotice
from yiwang.workflow.tests import runtime_fixtures, supervision_fixtures
from yiwang.workflow.tests.supervision_fixtures import NOW

pytestmark = pytest.mark.django_db
staff = runtime_fixtures.staff  # fixtures, used by name
month, leader = supervision_fixtures.month, supervision_fixtures.leader
DASHBOARD = "/workbench/supervision/"
NOTICES = "/workbench/supervision/notices/"


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def supervisor(staff):
    return factories.create_official(
        department=staff.subject_dept, role="supervisor", city_wide=True, display_name="市监察员"
    )


def card(html: str, name: str) -> str:
    found = re.search(rf"<dt>{re.escape(name)}</dt><dd>([^<]*)</dd>", html)
    return found.group(1) if found else ""


def row_cells(html: str, name: str) -> list[str]:
    """The cells of the first table row headed `name`."""
    found = re.search(rf'<tr><th scope="row">{re.escape(name)}</th>(.*?)</tr>', html)
    return re.findall(r"<td>([^<]*)</td>", found.group(1)) if found else []


def test_dashboard_shows_the_months_figures_tables_and_overdue_list(client, staff, month, supervisor):
    client.force_login(supervisor)
    response = client.get(DASHBOARD)
    assert response.status_code == 200
    html = response.content.decode()
    assert "统计期间：2026-11-01 至 2026-11-20" in html
    # 办件: i4, i5 open (i5 预警, i4 超期); i1 early, i2 late; i3 terminated and i6 (October) left out.
    cards = {name: card(html, name) for name in ("在办", "预警", "超期", "办结", "按时办结率", "提前办结率")}
    assert cards == {
        "在办": "2",
        "预警": "1",
        "超期": "1",
        "办结": "2",
        "按时办结率": "50.0%",
        "提前办结率": "50.0%",
    }
    assert card(html, "平均办理用时（工作日）") == "6.0"
    # Departments count tasks: market has 2 open (1 超期), 4 done, 3 on time, 1 early.
    assert row_cells(html, "市政务服务管理局") == ["2", "0", "1", "4", "3", "1", "75.0%", "25.0%", "4.0"]
    assert row_cells(html, "市公安局")[6] == "—"  # nothing finished: no rate to show
    assert row_cells(html, "并联审批（示例）")[:8] == ["2", "1", "1", "2", "1", "1", "50.0%", "50.0%"]
    # The overdue list names who is answerable; the fire task of a finished case is not in it.
    overdue = html.split('id="overdue-h"')[1].split('id="accountability-h"')[0]
    assert "决定人" in overdue and "待签收（市政务服务管理局）" in overdue
    assert overdue.count(f'action="{DASHBOARD}tasks/') == 4  # 督办 and 问责 for each of the two rows
    # The charts' data and scripts, no inline script.
    assert 'id="supervision-chart-data" type="application/json"' in html
    assert "workflow/vendor/echarts.min.js" in html and "workflow/supervision.js" in html
    assert re.search(r"<script>(?!\s*</script>)", html) is None


def test_the_filter_narrows_to_a_department_and_a_process(client, staff, month, supervisor):
    client.force_login(supervisor)
    html = client.get(DASHBOARD, {"department": staff.fire.pk, "process": runtime_fixtures.CODE}).content
    html = html.decode()
    assert row_cells(html, "市公安局")[:3] == ["1", "1", "0"]
    assert row_cells(html, "市政务服务管理局") == []
    assert "当前没有超期的待办。" in html
    assert f'<option value="{staff.fire.pk}" selected>市公安局</option>' in html


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ({"start": "2026-13-01"}, "start", "请按 年-月-日 填写日期"),
        ({"start": "2026-11-20", "end": "2026-11-01"}, "end", "截止日期不能早于起始日期"),
        ({"start": "1999-12-31"}, "start", "日期须在2000年至2099年之间"),
        ({"department": "99999"}, "department", "该部门不在您的监察范围内"),
        ({"department": "x' OR 1=1"}, "department", "该部门不在您的监察范围内"),
        ({"process": "no.such.process"}, "process", "流程不存在"),
    ],
)
def test_bad_filter_input_shows_the_error_beside_the_field(client, month, supervisor, query, field, message):
    client.force_login(supervisor)
    response = client.get(DASHBOARD, query)
    assert response.status_code == 400
    html = response.content.decode()
    assert re.search(rf'<p class="field-error" id="{field}-error">[^<]*{re.escape(message)}', html)
    assert f'aria-describedby="{field}-error"' in html
    assert "<dt>办结</dt>" not in html  # no figures for a filter that is wrong


def test_a_department_supervisor_cannot_pick_another_department(client, staff, month):
    fire_supervisor = factories.create_official(department=staff.fire, role="supervisor")
    client.force_login(fire_supervisor)
    html = client.get(DASHBOARD).content.decode()
    assert f'<option value="{staff.fire.pk}">市公安局</option>' in html
    assert "市政务服务管理局" not in html
    response = client.get(DASHBOARD, {"department": staff.market.pk})
    assert response.status_code == 400


def test_an_approver_gets_403_and_sees_no_link(client, staff, month, supervisor):
    client.force_login(staff.market_approver)
    assert client.get(DASHBOARD).status_code == 403
    assert client.get(DASHBOARD, {"start": "bad"}).status_code == 403  # the right first, not the typo
    assert client.get(f"{DASHBOARD}export/figures.csv").status_code == 403
    task = month.tasks["t5"]
    assert client.post(f"{DASHBOARD}tasks/{task.pk}/press/", {"message": "快办"}).status_code == 403
    assert "电子监察" not in client.get(reverse("web:workbench")).content.decode()
    client.force_login(supervisor)
    assert f'href="{DASHBOARD}"' in client.get(reverse("web:workbench")).content.decode()


def test_citizens_get_404(client, citizen):
    client.force_login(citizen)
    assert client.get(DASHBOARD).status_code == 404
    assert client.get(NOTICES).status_code == 404


def test_figures_export_as_csv_and_xlsx_parse_back(client, month, supervisor):
    client.force_login(supervisor)
    response = client.get(f"{DASHBOARD}export/figures.csv", {"start": "2026-11-01", "end": "2026-11-20"})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert "filename*=UTF-8''%E7%94%B5%E5%AD%90%E7%9B%91%E5%AF%9F" in disposition  # 电子监察…
    assert disposition.endswith("_2026-11-01_2026-11-20.csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["类别", "名称", "在办"]
    assert ["流程", "并联审批（示例）", "2", "1", "1", "2", "1", "1", "50.0%", "50.0%", "6.0"] in rows

    response = client.get(f"{DASHBOARD}export/figures.xlsx")
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response["Content-Disposition"].endswith(".xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    market = next(row for row in values if row[1] == "市政务服务管理局")
    assert market[2:8] == [2, 0, 1, 4, 3, 1] and market[8] == pytest.approx(0.75)


def test_overdue_list_exports_with_the_responsible_person(client, month, supervisor):
    client.force_login(supervisor)
    response = client.get(f"{DASHBOARD}export/overdue.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert values[0][3] == "责任人"
    assert {row[3] for row in values[1:]} == {"决定人", "待签收（市政务服务管理局）"}
    response = client.get(f"{DASHBOARD}export/overdue.csv")
    assert "filename*=UTF-8''%E8%B6%85%E6%9C%9F" in response["Content-Disposition"]  # 超期清单
    assert "决定人" in response.content.decode("utf-8-sig")
    assert client.get(f"{DASHBOARD}export/overdue.pdf").status_code == 404
    assert client.get(f"{DASHBOARD}export/figures.csv", {"end": "someday"}).status_code == 400


def test_press_then_the_department_acknowledges_through_the_pages(client, staff, month, supervisor):
    task = month.tasks["t5"]  # market, unclaimed, overdue
    client.force_login(supervisor)
    response = client.post(
        f"{DASHBOARD}tasks/{task.pk}/press/",
        {
            "message": "请三日内办结",
            "respond_by": "2026-11-25",
            "next": f"{DASHBOARD}?process={task.instance.definition_code}",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == f"{DASHBOARD}?process={task.instance.definition_code}"
    notice = SupervisionNotice.objects.get()
    assert notice.department == staff.market and notice.message == "请三日内办结"
    assert Message.objects.filter(recipient=staff.market_approver, title__startswith="督办").exists()
    assert "待反馈" in client.get(DASHBOARD).content.decode()

    client.force_login(staff.market_approver)
    assert re.search(r"督办待反馈 <span class=\"badge\">1</span>", client.get("/workbench/").content.decode())
    html = client.get(NOTICES).content.decode()
    assert "请三日内办结" in html and "2026-11-25 23:59" in html
    response = client.post(
        f"{NOTICES}{notice.pk}/",
        {f"notice-{notice.pk}-reply": "已安排专人办理", f"notice-{notice.pk}-version": notice.version},
    )
    assert response.status_code == 302
    notice.refresh_from_db()
    assert notice.reply == "已安排专人办理" and notice.acknowledged_by == staff.market_approver
    assert "督办待反馈" not in client.get("/workbench/").content.decode()

    client.force_login(supervisor)
    html = client.get(NOTICES, {"box": "sent"}).content.decode()
    assert "已安排专人办理" in html and "市场审查员" in html


def test_press_without_a_message_shows_the_error_on_the_form_page(client, month, supervisor):
    task = month.tasks["t5"]
    client.force_login(supervisor)
    url = f"{DASHBOARD}tasks/{task.pk}/press/"
    assert "待签收" in client.get(url).content.decode()
    response = client.post(url, {"message": "  ", "respond_by": "2026-11-19"})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="message-error"' in html and "请填写督办意见" in html
    assert not SupervisionNotice.objects.exists()
    response = client.post(url, {"message": "快办", "respond_by": "2026-11-19"})
    assert response.status_code == 400
    assert "反馈时限不能早于今天" in response.content.decode()


def test_a_stale_acknowledgement_is_a_409_on_the_page(client, staff, month, supervisor):
    task = month.tasks["t5"]
    client.force_login(supervisor)
    client.post(f"{DASHBOARD}tasks/{task.pk}/press/", {"message": "快办"})
    notice = SupervisionNotice.objects.get()
    client.force_login(staff.market_approver)
    response = client.post(
        f"{NOTICES}{notice.pk}/", {f"notice-{notice.pk}-reply": "在办", f"notice-{notice.pk}-version": 7}
    )
    assert response.status_code == 409
    assert "该督办已被他人处理，请刷新后重试" in response.content.decode()
    response = client.post(f"{NOTICES}{notice.pk}/", {f"notice-{notice.pk}-version": notice.version})
    assert response.status_code == 400
    assert f'id="notice-{notice.pk}-reply-error"' in response.content.decode()
    assert SupervisionNotice.objects.get().acknowledged_at is None


def test_another_departments_official_cannot_see_or_acknowledge(client, staff, month, supervisor):
    task = month.tasks["t5"]
    client.force_login(supervisor)
    client.post(f"{DASHBOARD}tasks/{task.pk}/press/", {"message": "市场监管请快办"})
    notice = SupervisionNotice.objects.get()
    client.force_login(staff.fire_approver)
    assert "市场监管请快办" not in client.get(NOTICES).content.decode()
    response = client.post(
        f"{NOTICES}{notice.pk}/", {f"notice-{notice.pk}-reply": "收到", f"notice-{notice.pk}-version": 1}
    )
    assert response.status_code == 404
    assert client.post(f"{NOTICES}999999/", {}).status_code == 404
    assert SupervisionNotice.objects.get().acknowledged_at is None


def test_accountability_through_the_page_appears_in_the_records(client, staff, month, supervisor):
    task = month.tasks["s1"]  # claimed by 决定人, overdue
    client.force_login(supervisor)
    url = f"{DASHBOARD}tasks/{task.pk}/accountability/"
    response = client.post(url, {"kind": "bogus", "reason": "超期未办"})
    assert response.status_code == 400 and 'id="kind-error"' in response.content.decode()
    assert client.post(url, {"kind": "overdue", "reason": "超期六日未办结"}).status_code == 302
    record = Accountability.objects.get()
    assert record.responsible == staff.decider and record.recorded_by == supervisor
    html = client.get(DASHBOARD).content.decode().split('id="accountability-h"')[1]
    assert "超期六日未办结" in html and "超期办理" in html and "决定人" in html
    assert f'href="/workbench/tasks/instances/{task.instance_id}/">并联审批（示例） #' in html


def test_a_leader_sees_the_figures_but_may_not_press(client, month, leader, supervisor):
    client.force_login(leader)
    html = client.get(DASHBOARD).content.decode()
    assert card(html, "办结") == "2"
    assert "发出督办" not in html and "记录问责" not in html
    response = client.post(f"{DASHBOARD}tasks/{month.tasks['t5'].pk}/press/", {"message": "快办"})
    assert response.status_code == 403
    assert "督办需要权限：督办" in response.content.decode()
    assert not SupervisionNotice.objects.exists()
    # What 监察人员 sent over the leader's scope is theirs to read.
    client.force_login(supervisor)
    client.post(f"{DASHBOARD}tasks/{month.tasks['t5'].pk}/press/", {"message": "请尽快办结"})
    client.force_login(leader)
    assert "请尽快办结" in client.get(NOTICES, {"box": "sent"}).content.decode()


def test_dashboard_query_count_does_not_grow_with_rows(
    client, staff, month, supervisor, django_assert_max_num_queries
):
    client.force_login(supervisor)
    with django_assert_max_num_queries(40) as first:
        client.get(DASHBOARD)
    t5 = month.tasks["t5"]
    for _ in range(3):
        supervision_fixtures.add_task(
            t5.instance,
            staff.market,
            clock_status=t5.clock_status,
            due_at=t5.due_at,
            assignee=staff.market_approver,
        )
    with django_assert_max_num_queries(len(first.captured_queries)):
        html = client.get(DASHBOARD).content.decode()
    assert row_cells(html, "市政务服务管理局")[:3] == ["5", "0", "4"]
