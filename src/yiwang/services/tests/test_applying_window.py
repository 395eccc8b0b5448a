"""窗口代办 pages: the clerk finds the person by 身份证号 and 姓名 (or the enterprise by its code),
fills in the same record, takes the paper originals, and submitting passes 预审."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from yiwang.services.models import Application
from yiwang.services.tests.factories import food_item, immediate_item
from yiwang.workflow.models_runtime import Task


@pytest.fixture(autouse=True)
def _memory_storage(settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    }


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_clerk_applies_for_a_citizen_found_by_id_number_and_name(service_city):
    city = service_city
    item = immediate_item(city)
    clerk = signed_in(city.clerk)
    url = reverse("services:window_apply")
    assert clerk.get(url).status_code == 200
    wrong = clerk.post(
        url, {"id_number": city.citizen.id_number, "name": "王某", "item": item.pk, "window": city.window.pk}
    )
    assert wrong.status_code == 400 and "未找到姓名与身份证号相符的个人用户" in wrong.content.decode()
    made = clerk.post(
        url, {"id_number": city.citizen.id_number, "name": "张明", "item": item.pk, "window": city.window.pk}
    )
    application = Application.objects.get()
    edit = reverse("services:window_application_edit", args=[application.pk])
    assert made.status_code == 302 and made["Location"] == edit
    assert (application.applicant, application.channel, application.window) == (
        city.citizen,
        "window",
        city.window,
    )

    html = clerk.get(edit).content.decode()
    assert "已收取纸质件" in html and "窗口代为申请" in html
    assert (
        clerk.post(
            reverse("services:application_material_paper", args=[application.pk, "id_card"])
        ).status_code
        == 302
    )
    submitted = clerk.post(
        edit,
        {
            "f_trade_name": "张记小吃",
            "version": application.version,
            "client_token": "window-1",
            "delivery_method": "electronic",
            "intent": "submit",
        },
    )
    assert submitted.status_code == 302 and submitted["Location"] == url
    application.refresh_from_db()
    assert application.status == "submitted" and application.number
    assert Task.objects.get(instance=application.instance, state="pre_review").completed_by == city.clerk
    # The citizen sees the same record among their own.
    mine = signed_in(city.citizen).get(reverse("services:my_application", args=[application.pk]))
    assert mine.status_code == 200 and application.number in mine.content.decode()
    # Once submitted the clerk's form is gone: the application is handled from the workbench.
    assert clerk.get(edit).status_code == 404


def test_the_clerk_applies_for_an_enterprise_found_by_its_code(service_city):
    city = service_city
    item = food_item(city)
    response = signed_in(city.clerk).post(
        reverse("services:window_apply"),
        {"uscc": city.enterprise.uscc, "item": item.pk, "window": city.window.pk},
    )
    assert response.status_code == 302
    assert Application.objects.get().applicant == city.enterprise
    refused = signed_in(city.clerk).post(
        reverse("services:window_apply"),
        {"uscc": "91330100MA00000000", "item": item.pk, "window": city.window.pk},
    )
    assert refused.status_code == 400 and 'id="uscc-error"' in refused.content.decode()


def test_the_item_must_serve_the_person_at_the_counter(service_city):
    city = service_city
    response = signed_in(city.clerk).post(
        reverse("services:window_apply"),
        {
            "id_number": city.citizen.id_number,
            "name": "张明",
            "item": food_item(city).pk,
            "window": city.window.pk,
        },
    )
    assert response.status_code == 400 and "服务对象为法人" in response.content.decode()
    assert not Application.objects.exists()


def test_only_window_clerks_reach_the_window_pages(service_city):
    city = service_city
    assert signed_in(city.citizen).get(reverse("services:window_apply")).status_code == 404
    assert signed_in(city.market_approver).get(reverse("services:window_apply")).status_code == 404
    online = signed_in(city.citizen)
    online.post(reverse("services:apply", args=[immediate_item(city).pk]), {"principal": city.citizen.pk})
    application = Application.objects.get()
    # An online draft is the citizen's alone: the clerk does not open it.
    assert (
        signed_in(city.clerk)
        .get(reverse("services:window_application_edit", args=[application.pk]))
        .status_code
        == 404
    )
