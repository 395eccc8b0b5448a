"""The applicant's pages: apply, fill in, submit (once, however often clicked), follow the
public progress, correct, withdraw, and 我的材料."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import NoReverseMatch, reverse

from yiwang.services.models import Application, ItemStatus, PersonalMaterial
from yiwang.services.selectors_applications import application_list_for_applicant
from yiwang.services.services.applying import application_draft_create
from yiwang.services.services.applying_materials import application_material_upload
from yiwang.services.services.applying_submit import application_submit
from yiwang.services.tests.factories import (
    FOOD_ANSWERS,
    completed_application,
    create_item,
    food_item,
    issue_business_license,
    pdf_upload,
)
from yiwang.services.tests.test_applying_submit import ready_food_application
from yiwang.services.tests.test_applying_withdraw import ask_correction
from yiwang.workflow.models_runtime import ProcessInstance, Task
from yiwang.workflow.services.act import task_act


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


def page(response) -> str:
    return response.content.decode()


def _form_post(application, **overrides) -> dict:
    data = {f"f_{code}": value for code, value in FOOD_ANSWERS.items()}
    data.update(version=application.version, client_token="page-token-1", delivery_method="electronic")
    data.update(overrides)
    return data


def test_apply_asks_an_agent_whom_for_and_makes_the_draft(service_city):
    city = service_city
    item = create_item(department=city.market, name="广告发布登记", subjects=("citizen", "enterprise"))
    agent = signed_in(city.agent)
    asked = agent.get(reverse("services:apply", args=[item.pk]))
    assert asked.status_code == 200
    assert "经办人小王" in page(asked) and "示范餐饮有限公司" in page(asked) and 'type="radio"' in page(asked)
    made = agent.post(reverse("services:apply", args=[item.pk]), {"principal": city.enterprise.pk})
    application = Application.objects.get()
    assert made.status_code == 302 and made["Location"] == reverse(
        "services:application_edit", args=[application.pk]
    )
    assert application.applicant == city.enterprise and application.submitted_by == city.agent
    # Someone else's enterprise is not offered, so it cannot be chosen.
    refused = signed_in(city.other_citizen).post(
        reverse("services:apply", args=[item.pk]), {"principal": city.enterprise.pk}
    )
    assert refused.status_code == 400 and Application.objects.count() == 1


def test_apply_refuses_officials_unpublished_items_and_the_wrong_kind_of_applicant(service_city, client):
    city = service_city
    item = food_item(city)
    url = reverse("services:apply", args=[item.pk])
    assert client.get(url).status_code == 302  # sign in first
    assert signed_in(city.clerk).get(url).status_code == 403
    citizen = signed_in(city.other_citizen).get(url)
    assert citizen.status_code == 200 and "本事项的服务对象为法人" in page(citizen)
    hidden = food_item(city, name="未发布", published=False)
    assert signed_in(city.enterprise).get(reverse("services:apply", args=[hidden.pk])).status_code == 404


def test_the_form_shows_free_materials_and_never_the_full_phone_number(service_city):
    city = service_city
    licence = issue_business_license(city, city.enterprise)
    application = ready_food_application(city)
    response = signed_in(city.enterprise).get(reverse("services:application_edit", args=[application.pk]))
    html = page(response)
    assert response.status_code == 200
    assert f"已由电子证照“营业执照”（{licence.identifier}）免提交" in html and "免提交" in html
    assert "13800138000" not in html and "138****8000" in html
    assert "从我的材料选用" in html and "容缺后补" in html
    assert (
        signed_in(city.other_citizen)
        .get(reverse("services:application_edit", args=[application.pk]))
        .status_code
        == 404
    )


def test_saving_shows_each_bad_answer_beside_its_field(service_city):
    city = service_city
    application = application_draft_create(actor=city.enterprise, item=food_item(city))
    client = signed_in(city.enterprise)
    url = reverse("services:application_edit", args=[application.pk])
    bad = client.post(
        url, _form_post(application, f_contact_phone="12345", f_opening_date="明天", intent="save")
    )
    assert bad.status_code == 400
    html = page(bad)
    assert 'id="f_contact_phone-error"' in html and 'id="f_opening_date-error"' in html
    saved = client.post(url, _form_post(application, intent="save"))
    assert saved.status_code == 302
    application.refresh_from_db()
    assert application.version == 2 and application.form_data["contact_name"] == "王五"
    stale = client.post(url, _form_post(application, version=1, intent="save"))
    assert stale.status_code == 409


def test_submitting_from_the_page_names_missing_materials_beside_each(service_city):
    city = service_city
    application = application_draft_create(actor=city.enterprise, item=food_item(city))
    response = signed_in(city.enterprise).post(
        reverse("services:application_edit", args=[application.pk]), _form_post(application, intent="submit")
    )
    assert response.status_code == 400
    html = page(response)
    for code, text in (
        ("application_form", "申请书：请提交该材料"),
        ("site_plan", "请提交该材料，或选择容缺后补"),
    ):
        assert f'id="material-{code}-error"' in html and text in html
    application.refresh_from_db()
    # What was typed is kept; the page carries the new version so the next click is not a conflict.
    assert application.status == "draft" and application.form_data["address"] == "示范市人民路1号"
    assert f'name="version" value="{application.version}"' in html


def test_a_double_click_on_submit_makes_one_application(service_city):
    city = service_city
    application = ready_food_application(city)
    client = signed_in(city.enterprise)
    url = reverse("services:application_edit", args=[application.pk])
    data = _form_post(application, intent="submit")
    first, second = client.post(url, data), client.post(url, data)
    status_page = reverse("services:my_application", args=[application.pk])
    assert (first.status_code, first["Location"]) == (302, status_page)
    assert (second.status_code, second["Location"]) == (302, status_page)
    assert Application.objects.count() == 1 and ProcessInstance.objects.count() == 1
    assert Application.objects.get().client_token == "page-token-1"


def test_the_status_page_shows_public_progress_without_officials_names(service_city):
    city = service_city
    application = application_submit(actor=city.enterprise, application=ready_food_application(city))
    task = Task.objects.get(instance=application.instance)
    task_act(
        actor=city.clerk,
        task=task,
        action_code="pass_pre_review",
        expected_version=task.version,
        opinion="内部意见甲",
    )
    response = signed_in(city.enterprise).get(reverse("services:my_application", args=[application.pk]))
    html = page(response)
    assert response.status_code == 200
    assert application.number in html and "办理进度" in html and "预审" in html and "预审通过" in html
    assert "市政务服务中心" in html and "承诺办结期限" in html and "10个工作日" in html
    assert "窗口刘芳" not in html and "内部意见甲" not in html
    assert "已由电子证照“营业执照”" in html
    assert "撤回申请" in html
    for outsider in (city.other_citizen, city.clerk, city.market_approver):
        assert (
            signed_in(outsider).get(reverse("services:my_application", args=[application.pk])).status_code
            == 404
        )


def test_correcting_and_resubmitting_from_the_status_page(service_city):
    city = service_city
    application = ask_correction(
        city,
        application_submit(actor=city.enterprise, application=ready_food_application(city)),
        {"site_plan": "比例不清"},
    )
    client = signed_in(city.enterprise)
    status_page = reverse("services:my_application", args=[application.pk])
    html = page(client.get(status_page))
    assert "一次性告知补正" in html and "经营场所平面图：比例不清" in html and "提交补正材料" in html
    too_early = client.post(reverse("services:application_resubmit", args=[application.pk]), {"note": ""})
    assert too_early.status_code == 400 and "请按补正要求重新提交（比例不清）" in page(too_early)
    wrong = client.post(
        reverse("services:application_material_upload", args=[application.pk, "site_plan"]),
        {"file": SimpleUploadedFile("平面图.pdf", b"not a pdf at all", content_type="application/pdf")},
    )
    assert wrong.status_code == 400 and "不支持的文件类型" in page(wrong)
    uploaded = client.post(
        reverse("services:application_material_upload", args=[application.pk, "site_plan"]),
        {"file": pdf_upload("平面图.pdf", marker="new")},
    )
    assert uploaded.status_code == 302 and uploaded["Location"].startswith(status_page)
    done = client.post(reverse("services:application_resubmit", args=[application.pk]), {"note": "已重绘"})
    assert done.status_code == 302
    application.refresh_from_db()
    assert application.status == "submitted"


def test_withdrawing_from_the_status_page(service_city):
    city = service_city
    application = application_submit(actor=city.enterprise, application=ready_food_application(city))
    client = signed_in(city.enterprise)
    url = reverse("services:application_withdraw", args=[application.pk])
    empty = client.post(url, {"reason": ""})
    assert empty.status_code == 400 and 'id="reason-error"' in page(empty) and "请填写撤回理由" in page(empty)
    assert signed_in(city.other_citizen).post(url, {"reason": "不是我的"}).status_code == 404
    assert client.post(url, {"reason": "不再经营"}).status_code == 302
    application.refresh_from_db()
    assert application.status == "withdrawn"


def test_an_item_taken_offline_does_not_break_a_running_application(service_city):
    city = service_city
    application = application_submit(actor=city.enterprise, application=ready_food_application(city))
    item = application.item
    item.status, item.published_version = ItemStatus.OFFLINE, None
    item.save(update_fields=["status", "published_version"])
    client = signed_in(city.enterprise)
    response = client.get(reverse("services:my_application", args=[application.pk]))
    assert response.status_code == 200 and "食品经营许可" in page(response)
    assert client.get(reverse("services:my_applications")).status_code == 200


def test_a_completed_application_offers_its_result_and_rating(service_city):
    city = service_city
    application = completed_application(city, food_item(city), city.enterprise)
    html = page(signed_in(city.enterprise).get(reverse("services:my_application", args=[application.pk])))
    assert "已办结" in html and "撤回申请" not in html
    try:
        rate_url = reverse("services:rate", args=[application.pk])
    except NoReverseMatch:
        return  # the 好差评 pages are another area's
    assert rate_url in html


def test_my_applications_lists_mine_and_my_enterprises_newest_first(
    service_city, django_assert_max_num_queries
):
    city = service_city
    item = create_item(department=city.market, name="广告发布登记", subjects=("citizen", "enterprise"))
    own = application_draft_create(actor=city.agent, item=item)
    for_enterprise = application_draft_create(actor=city.agent, item=item, applicant=city.enterprise)
    application_draft_create(actor=city.other_citizen, item=item)
    with django_assert_max_num_queries(2):
        rows = list(application_list_for_applicant(actor=city.agent))
        names = [(a.pk, a.applicant.display_name, a.item_version.name) for a in rows]
    assert [pk for pk, *_ in names] == [for_enterprise.pk, own.pk]
    html = page(signed_in(city.agent).get(reverse("services:my_applications"), {"status": "draft"}))
    assert "示范餐饮有限公司" in html and "李四" not in html
    assert (
        signed_in(city.agent).get(reverse("services:my_applications"), {"status": "nonsense"}).status_code
        == 200
    )


def test_my_materials_lists_and_retires_uploads(service_city):
    city = service_city
    application = application_draft_create(actor=city.enterprise, item=food_item(city))
    application_material_upload(
        actor=city.enterprise, application=application, code="site_plan", upload=pdf_upload("平面图.pdf")
    )
    kept = PersonalMaterial.objects.get()
    client = signed_in(city.enterprise)
    html = page(client.get(reverse("services:my_materials")))
    assert "经营场所平面图" in html and "平面图.pdf" in html
    deactivate = reverse("services:my_material_deactivate", args=[kept.pk])
    assert signed_in(city.other_citizen).post(deactivate).status_code == 404
    assert client.post(deactivate).status_code == 302
    kept.refresh_from_db()
    assert not kept.is_active and "平面图.pdf" not in page(client.get(reverse("services:my_materials")))


def test_reusing_from_my_materials_on_the_page(service_city):
    city = service_city
    first = application_draft_create(actor=city.enterprise, item=food_item(city))
    application_material_upload(
        actor=city.enterprise, application=first, code="site_plan", upload=pdf_upload()
    )
    second = application_draft_create(actor=city.enterprise, item=food_item(city, name="变更"))
    kept = PersonalMaterial.objects.get()
    client = signed_in(city.enterprise)
    html = page(client.get(reverse("services:application_edit", args=[second.pk])))
    options = re.findall(
        r'<select name="personal_material_id" id="reuse-site_plan">(.*?)</select>', html, re.S
    )
    assert options and f'value="{kept.pk}"' in options[0]
    reused = client.post(
        reverse("services:application_material_reuse", args=[second.pk, "site_plan"]),
        {"personal_material_id": kept.pk},
    )
    assert reused.status_code == 302 and reused["Location"].endswith("#material-site_plan")
    assert second.materials.get(code="site_plan").source == "reused"
