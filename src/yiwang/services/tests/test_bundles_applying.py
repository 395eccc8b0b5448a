"""一件事一次办 from the applicant's side: one draft, one merged form, one upload, one submission
fanned out to every item's department in parallel — all or nothing."""

import pytest

from yiwang.core.errors import Conflict, InvalidInput, NotFound
from yiwang.core.files.tests.samples import PDF, upload
from yiwang.services.models import (
    Application,
    ApplicationStatus,
    BundleApplication,
    MaterialSource,
    NumberCounter,
    PersonalMaterial,
)
from yiwang.services.selectors_bundles import bundle_application_get, bundle_application_status
from yiwang.services.services.bundle_applying import (
    bundle_application_create,
    bundle_application_save,
    bundle_material_reuse,
    bundle_material_upload,
)
from yiwang.services.services.bundle_submitting import bundle_application_submit, bundle_application_withdraw
from yiwang.services.services.bundles import bundle_unpublish
from yiwang.services.tests.factories import create_bundle, fire_item, food_item, issue_business_license
from yiwang.workflow.models_runtime import ProcessInstance, Task

ANSWERS = {
    "contact_name": "王店长",
    "contact_phone": "13800138000",
    "address": "示例市人民路1号",
    "business_scope": "热食类食品制售",
    "seats": "80",
}


@pytest.fixture
def restaurant(service_city):
    city = service_city
    city.items = {"food": food_item(city), "fire": fire_item(city)}
    city.bundle = create_bundle(city, [city.items["food"], city.items["fire"]])
    issue_business_license(city, city.enterprise)
    return city


def _draft(city, actor=None):
    return bundle_application_create(actor=actor or city.enterprise, bundle=city.bundle)


def _children(bundle_application):
    return {a.item_id: a for a in Application.objects.filter(bundle_application=bundle_application)}


def _material(application, code):
    return application.materials.get(code=code)


def _save(city, draft, form=ANSWERS, **kwargs):
    draft.refresh_from_db()
    return bundle_application_save(
        actor=kwargs.pop("actor", city.enterprise),
        bundle_application=draft,
        form=form,
        delivery_method=kwargs.pop("delivery_method", "electronic"),
        delivery_address=kwargs.pop("delivery_address", ""),
        expected_version=draft.version,
    )


def _complete(city, draft):
    _save(city, draft)
    for code in ("application_form", "site_plan", "fire_plan"):
        bundle_material_upload(
            actor=city.enterprise, bundle_application=draft, code=code, upload=upload(f"{code}.pdf", PDF)
        )
    return draft


def test_a_draft_has_one_child_per_item_and_free_materials_are_marked(restaurant):
    city = restaurant
    draft = _draft(city)
    children = _children(draft)
    assert set(children) == {city.items["food"].pk, city.items["fire"].pk}
    assert all(c.status == ApplicationStatus.DRAFT for c in children.values())
    licence = _material(children[city.items["food"].pk], "business_license")
    assert licence.source == MaterialSource.LICENSE and "营业执照" in licence.provided_by
    assert bundle_application_status(draft).label == "草稿"


def test_a_shared_answer_is_given_once_and_reaches_every_item(restaurant):
    city = restaurant
    draft = _save(city, _draft(city))
    food, fire = (_children(draft)[city.items[k].pk] for k in ("food", "fire"))
    assert food.form_data["address"] == fire.form_data["address"] == "示例市人民路1号"
    assert "seats" not in food.form_data and fire.form_data["seats"] == "80"
    # 电话 is personal data: encrypted on the bundle and on each child, never in form_data.
    for row in (draft, food, fire):
        assert "contact_phone" not in row.form_data and row.form_sensitive_encrypted
    # answers not given are kept; a blank one clears it
    _save(city, draft, form={"seats": ""})
    draft.refresh_from_db()
    assert draft.form_data["address"] == "示例市人民路1号" and "seats" not in draft.form_data


def test_bad_answers_are_named_once_per_field(restaurant):
    city = restaurant
    draft = _draft(city)
    with pytest.raises(InvalidInput) as refused:
        _save(city, draft, form={"contact_phone": "12", "seats": "很多"}, delivery_method="mail")
    fields = refused.value.fields
    assert set(fields) == {"form.contact_phone", "form.seats", "delivery_address"}
    assert fields["form.seats"].startswith("座位数：")
    with pytest.raises(InvalidInput) as refused:
        _save(city, draft, form=["not", "a", "dict"])
    assert refused.value.fields == {"form": "申请表应为字段代码到填写内容的对应"}


def test_a_stale_save_is_a_conflict(restaurant):
    city = restaurant
    draft = _draft(city)
    stale = BundleApplication.objects.get(pk=draft.pk)
    _save(city, draft)
    with pytest.raises(Conflict):
        bundle_application_save(
            actor=city.enterprise, bundle_application=stale, form={}, expected_version=stale.version
        )


def test_one_upload_satisfies_every_item_needing_it(restaurant):
    city = restaurant
    draft = _draft(city)
    bundle_material_upload(
        actor=city.enterprise, bundle_application=draft, code="site_plan", upload=upload("平面图.pdf", PDF)
    )
    food, fire = (_children(draft)[city.items[k].pk] for k in ("food", "fire"))
    assert _material(food, "site_plan").source == MaterialSource.UPLOADED
    assert _material(fire, "site_plan").source == MaterialSource.REUSED
    assert PersonalMaterial.objects.filter(owner=city.enterprise, code="site_plan").count() == 1
    # 免提交 for every item asking it: nothing to upload
    with pytest.raises(InvalidInput) as refused:
        bundle_material_upload(
            actor=city.enterprise,
            bundle_application=draft,
            code="business_license",
            upload=upload("x.pdf", PDF),
        )
    assert refused.value.fields == {"materials.business_license": "该材料已免提交，无需上传"}


def test_my_materials_are_reused_for_every_item(restaurant):
    city = restaurant
    first = _complete(city, _draft(city))
    assert first  # its uploads are now in 我的材料
    kept = PersonalMaterial.objects.filter(owner=city.enterprise, code="application_form").get()
    second = _draft(city)
    bundle_material_reuse(
        actor=city.enterprise, bundle_application=second, code="application_form", personal_material=kept
    )
    assert {_material(c, "application_form").source for c in _children(second).values()} == {
        MaterialSource.REUSED
    }


def test_submit_fans_out_to_each_department_in_parallel(restaurant):
    city = restaurant
    draft = _complete(city, _draft(city))
    submitted = bundle_application_submit(actor=city.enterprise, bundle_application=draft, client_token="t-1")
    assert submitted.number.startswith("YJS") and not submitted.is_draft and submitted.submitted_at
    children = list(Application.objects.filter(bundle_application=draft).select_related("instance"))
    assert len(children) == 2
    assert all(c.status == ApplicationStatus.SUBMITTED and c.number and c.instance_id for c in children)
    assert {c.department_id for c in children} == {city.market.pk, city.fire.pk}
    first_tasks = Task.objects.filter(instance__in=[c.instance_id for c in children])
    assert [(t.state, t.candidate_department_id) for t in first_tasks] == [("pre_review", city.hall.pk)] * 2
    city.bundle.refresh_from_db()
    assert city.bundle.popularity == 1
    status = bundle_application_status(
        bundle_application_get(actor=city.enterprise, bundle_application_id=draft.pk)
    )
    assert (status.label, status.counts, status.total) == ("待受理", {"submitted": 2}, 2)


def test_missing_answers_and_materials_are_all_named_once(restaurant):
    city = restaurant
    draft = _draft(city)
    _save(city, draft, form={"contact_name": "王店长"})
    with pytest.raises(InvalidInput) as refused:
        bundle_application_submit(actor=city.enterprise, bundle_application=draft)
    fields = refused.value.fields
    assert {"form.contact_phone", "form.address", "form.business_scope", "form.seats"} <= set(fields)
    assert "form.contact_name" not in fields and "materials.business_license" not in fields
    assert (
        "均需要" in fields["materials.site_plan"] and city.items["fire"].name in fields["materials.site_plan"]
    )
    assert "materials.fire_plan" in fields
    draft.refresh_from_db()
    assert draft.is_draft and draft.number is None


def test_double_submit_and_token_replay_make_one_bundle_application(restaurant):
    city = restaurant
    draft = _complete(city, _draft(city))
    first = bundle_application_submit(actor=city.enterprise, bundle_application=draft, client_token="same")
    again = bundle_application_submit(actor=city.enterprise, bundle_application=draft, client_token="same")
    other_draft = _draft(city)
    replay = bundle_application_submit(
        actor=city.enterprise, bundle_application=other_draft, client_token="same"
    )
    assert first.pk == again.pk == replay.pk
    assert BundleApplication.objects.filter(is_draft=False).count() == 1
    assert Application.objects.exclude(number=None).count() == 2
    with pytest.raises(InvalidInput) as refused:
        bundle_application_submit(
            actor=city.enterprise, bundle_application=other_draft, client_token="坏 令牌"
        )
    assert "client_token" in refused.value.fields


def test_a_child_failing_to_submit_leaves_nothing_half_written(restaurant):
    city = restaurant
    draft = _complete(city, _draft(city))
    version = city.items["fire"].published_version
    version.process_code = "services.no_such_process"
    version.save(update_fields=["process_code"])
    # the food item (first) starts its process, then the fire item's process is missing
    with pytest.raises(NotFound, match="services.no_such_process"):
        bundle_application_submit(actor=city.enterprise, bundle_application=draft)
    draft.refresh_from_db()
    assert draft.is_draft and draft.number is None
    assert not Application.objects.exclude(number=None).exists()
    assert not Application.objects.exclude(status=ApplicationStatus.DRAFT).exists()
    assert ProcessInstance.objects.count() == 0
    assert not NumberCounter.objects.filter(last__gt=0).exists()


def test_another_citizen_cannot_see_or_touch_it(restaurant):
    city = restaurant
    draft = _draft(city)
    for call in (
        lambda: bundle_application_get(actor=city.other_citizen, bundle_application_id=draft.pk),
        lambda: _save(city, draft, actor=city.other_citizen),
        lambda: bundle_application_submit(actor=city.other_citizen, bundle_application=draft),
        lambda: bundle_material_upload(
            actor=city.other_citizen, bundle_application=draft, code="site_plan", upload=upload("x.pdf", PDF)
        ),
    ):
        with pytest.raises(NotFound):
            call()
    with pytest.raises(NotFound):
        bundle_application_get(actor=city.enterprise, bundle_application_id="nonsense")


def test_the_enterprise_agent_applies_for_the_enterprise(restaurant):
    city = restaurant
    draft = bundle_application_create(actor=city.agent, bundle=city.bundle, applicant=city.enterprise)
    assert draft.applicant == city.enterprise and draft.submitted_by == city.agent
    assert bundle_application_get(actor=city.agent, bundle_application_id=draft.pk) == draft


def test_an_unpublished_bundle_takes_no_new_drafts_and_no_submissions(restaurant):
    city = restaurant
    draft = _complete(city, _draft(city))
    bundle_unpublish(actor=city.service_manager, bundle=city.bundle)
    city.bundle.refresh_from_db()
    with pytest.raises(NotFound):
        _draft(city)
    with pytest.raises(Conflict):
        bundle_application_submit(actor=city.enterprise, bundle_application=draft)


def test_withdraw_withdraws_every_open_item(restaurant):
    city = restaurant
    draft = _complete(city, _draft(city))
    with pytest.raises(Conflict):
        bundle_application_withdraw(actor=city.enterprise, bundle_application=draft, reason="不开了")
    bundle_application_submit(actor=city.enterprise, bundle_application=draft)
    with pytest.raises(InvalidInput) as refused:
        bundle_application_withdraw(actor=city.enterprise, bundle_application=draft, reason=" ")
    assert refused.value.fields == {"reason": "请填写撤回理由"}
    bundle_application_withdraw(actor=city.enterprise, bundle_application=draft, reason="选址变更，暂不开业")
    assert set(Application.objects.filter(bundle_application=draft).values_list("status", flat=True)) == {
        ApplicationStatus.WITHDRAWN
    }
    draft.refresh_from_db()
    assert draft.completed_at is not None and draft.delivered_at is None
    status = bundle_application_status(
        bundle_application_get(actor=city.enterprise, bundle_application_id=draft.pk)
    )
    assert status.label == "已撤回"


def test_a_child_of_a_draft_bundle_cannot_be_submitted_alone(restaurant, client):
    from yiwang.services.services.applying_submit import application_submit

    city = restaurant
    draft = _complete(city, _draft(city))
    child = next(iter(_children(draft).values()))
    with pytest.raises(Conflict, match="一件事"):
        application_submit(actor=city.enterprise, application=child)
    assert Application.objects.get(pk=child.pk).number is None
    client.force_login(city.enterprise)
    response = client.get(f"/me/applications/{child.pk}/edit/")
    assert response.status_code == 302 and response["Location"] == f"/me/bundles/{draft.pk}/edit/"
