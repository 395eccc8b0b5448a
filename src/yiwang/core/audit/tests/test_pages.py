"""/workbench/audit/: the list with its filters, and the verify button."""

from django.urls import reverse

from yiwang.core.audit import services as audit
from yiwang.core.audit.models import AuditRecord
from yiwang.core.audit.tests.helpers import append_only_disabled


def test_supervisor_browses_the_log_in_local_time(
    client, supervisor, some_records, django_assert_max_num_queries
):
    for n in range(30):  # the query count must not grow with the number of rows shown
        audit.record(actor=supervisor, action="test.row.listed", changes={"n": n})
    client.force_login(supervisor)
    with django_assert_max_num_queries(12):
        page = client.get(reverse("audit:list"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "accounts.user.locked" in html and "reason: 多次失败" in html and "系统管理员" in html
    newest = AuditRecord.objects.filter(action="accounts.user.locked").get()
    local = newest.created_at.astimezone(__import__("zoneinfo").ZoneInfo("Asia/Shanghai"))
    assert local.strftime("%Y-%m-%d %H:%M:%S") in html
    assert 'action="/workbench/audit/verify/"' in html


def test_the_filter_form_narrows_the_list(client, supervisor, some_records):
    client.force_login(supervisor)
    html = client.get(reverse("audit:list"), {"action": "accounts."}).content.decode()
    assert "accounts.user.locked" in html and "orgs.department.updated" not in html


def test_a_bad_date_is_shown_beside_its_field(client, supervisor, some_records):
    client.force_login(supervisor)
    page = client.get(reverse("audit:list"), {"since": "2026-99-01"})
    assert page.status_code == 400
    html = page.content.decode()
    assert 'id="since-error"' in html and "起始时间格式应为" in html and 'role="alert"' in html
    assert "accounts.user.locked" not in html


def test_the_list_is_paged(client, supervisor, some_records, monkeypatch):
    from yiwang.core.audit import views

    monkeypatch.setattr(views, "PER_PAGE", 2)
    client.force_login(supervisor)
    first = client.get(reverse("audit:list")).content.decode()
    second = client.get(reverse("audit:list"), {"page": 2}).content.decode()
    assert 'rel="next"' in first and "orgs.department.updated" not in first
    assert "orgs.department.updated" in second


def test_window_clerk_and_citizen_get_403(client, window_clerk, citizen, some_records):
    for person in (window_clerk, citizen):
        client.force_login(person)
        assert client.get(reverse("audit:list")).status_code == 403
        assert client.post(reverse("audit:verify")).status_code == 403


def test_anonymous_is_sent_to_login(client, some_records):
    response = client.get(reverse("audit:list"))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_verify_button_shows_intact_then_the_missing_record(client, supervisor, some_records):
    client.force_login(supervisor)
    html = client.post(reverse("audit:verify")).content.decode()
    assert "审计日志完整" in html
    middle = AuditRecord.objects.order_by("id")[1]
    with append_only_disabled():
        AuditRecord.objects.filter(pk=middle.pk).delete()
    html = client.post(reverse("audit:verify")).content.decode()
    assert "审计日志已被破坏" in html and f"缺少序号 {middle.seq}" in html and "记录缺失" in html
