"""Django admin for the calendar: changes go through the services (checked and audited), and
the admin home names the missing year."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.template.loader import get_template
from django.urls import reverse

from yiwang.core.audit.models import AuditRecord
from yiwang.core.tests import factories
from yiwang.core.workcal.models import CalendarDay, CalendarYear

pytestmark = pytest.mark.django_db

TEMPLATES_DIR = Path(__file__).resolve().parent.parent / "templates"


def test_admin_adds_a_day_and_it_is_audited(client, sys_admin):
    client.force_login(sys_admin)
    response = client.post(
        reverse("admin:workcal_calendarday_add"),
        {"date": "2026-12-31", "kind": "holiday", "name": "示范市假日"},
    )
    assert response.status_code == 302
    day = CalendarDay.objects.get(date="2026-12-31")
    record = AuditRecord.objects.get(action="workcal.day.set")
    assert (record.actor_id, record.target_id) == (sys_admin.pk, str(day.pk))


def test_admin_changes_and_deletes_a_day_through_the_services(client, sys_admin):
    client.force_login(sys_admin)
    day = CalendarDay.objects.get(date="2026-10-10")
    change = reverse("admin:workcal_calendarday_change", args=[day.pk])
    assert client.post(change, {"kind": "workday", "name": "国庆调休"}).status_code == 302
    assert CalendarDay.objects.get(pk=day.pk).name == "国庆调休"
    delete = reverse("admin:workcal_calendarday_delete", args=[day.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 302
    assert not CalendarDay.objects.filter(pk=day.pk).exists()
    actions = list(AuditRecord.objects.order_by("created_at").values_list("action", flat=True))
    assert actions == ["workcal.day.set", "workcal.day.cleared"]


def test_admin_form_shows_the_services_chinese_reason(client, sys_admin):
    client.force_login(sys_admin)
    response = client.post(
        reverse("admin:workcal_calendarday_add"), {"date": "2026-03-10", "kind": "workday", "name": ""}
    )
    assert response.status_code == 200
    assert "调休上班日应为周六或周日" in response.content.decode()
    assert not AuditRecord.objects.exists()


def test_admin_cannot_open_a_year_without_holidays(client, sys_admin):
    client.force_login(sys_admin)
    response = client.post(reverse("admin:workcal_calendaryear_add"), {"year": "2027", "note": ""})
    assert "请先录入2027年的法定节假日，再开放该年度" in response.content.decode()
    assert not CalendarYear.objects.filter(year=2027).exists()


def test_admin_closes_a_year_audited(client, sys_admin):
    client.force_login(sys_admin)
    response = client.post(reverse("admin:workcal_calendaryear_delete", args=[2026]), {"post": "yes"})
    assert response.status_code == 302
    assert not CalendarYear.objects.filter(year=2026).exists()
    assert AuditRecord.objects.filter(action="workcal.year.closed").count() == 1


def test_an_official_without_admin_access_cannot_reach_the_calendar_admin(client, official):
    client.force_login(official)
    response = client.post(
        reverse("admin:workcal_calendarday_add"), {"date": "2026-12-31", "kind": "holiday", "name": "假日"}
    )
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    assert not CalendarDay.objects.filter(date="2026-12-31").exists()


def test_admin_access_alone_does_not_allow_calendar_changes(client, department):
    # A department administrator may enter the admin site but does not hold workcal.calendar.manage.
    from yiwang.core.accounts.models import Permission, Role

    role = Role.objects.create(code="admin_viewer", name="后台只读")
    role.permissions.add(Permission.objects.get(code="core.admin.access"))
    viewer = factories.create_official(department=department)
    factories.grant(viewer, department, "admin_viewer")
    client.force_login(viewer)
    response = client.post(
        reverse("admin:workcal_calendarday_add"), {"date": "2026-12-31", "kind": "holiday", "name": "假日"}
    )
    assert response.status_code == 403
    assert not CalendarDay.objects.filter(date="2026-12-31").exists()


def _with_workcal_templates_first(settings):
    # What moving yiwang.core.workcal before django.contrib.admin in INSTALLED_APPS achieves.
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [TEMPLATES_DIR]}]


def test_admin_home_names_the_missing_year(client, sys_admin, settings, late_2026):
    _with_workcal_templates_first(settings)
    client.force_login(sys_admin)
    html = client.get(reverse("admin:index")).content.decode()
    assert 'id="workcal-missing-years"' in html
    assert "2027年的节假日数据尚未录入" in html
    assert "主数据管理" in html or "站点管理" in html  # the normal admin home is still there


def test_admin_home_has_no_warning_when_both_years_are_known(client, sys_admin, settings):
    import time_machine

    from .conftest import at

    _with_workcal_templates_first(settings)
    client.force_login(sys_admin)
    with time_machine.travel(at(2025, 6, 1, 10), tick=False):
        html = client.get(reverse("admin:index")).content.decode()
    assert 'id="workcal-missing-years"' not in html


def test_admin_index_template_resolves_to_the_calendar_override():
    assert Path(get_template("admin/index.html").origin.name).is_relative_to(TEMPLATES_DIR)
