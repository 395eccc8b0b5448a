"""The catalogue's writes: drafting, review and publishing with versions, windows."""

from __future__ import annotations

import pytest

from yiwang.core.audit.models import AuditRecord
from yiwang.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from yiwang.core.notify.models import Message
from yiwang.core.tests import factories as core
from yiwang.services.models import (
    Application,
    ItemMaterial,
    ItemStatus,
    ServiceItem,
    ServiceItemVersion,
    ServiceWindow,
    VersionStatus,
)
from yiwang.services.selectors_catalogue import item_get_published, version_get_public
from yiwang.services.services import catalogue
from yiwang.services.tests.factories import CATALOGUE_CONTENT, catalogue_item, completed_application

pytestmark = pytest.mark.django_db


def _fresh(version: ServiceItemVersion) -> ServiceItemVersion:
    return ServiceItemVersion.objects.get(pk=version.pk)


def test_item_create_makes_an_unpublished_item_with_a_draft_version_one(service_city):
    item = catalogue.item_create(
        actor=service_city.market_admin,
        department=service_city.market,
        base_code="330100abcd0001",
        content={"name": "食品经营许可", "item_type": "licensing"},
    )
    assert item.status == ItemStatus.DRAFT and item.published_version is None
    assert item.implementation_code == f"330100ABCD0001-330100000000-000-{service_city.market.uscc}-1-00"
    version = item.versions.get()
    assert (version.number, version.status, version.created_by) == (1, "draft", service_city.market_admin)
    assert AuditRecord.objects.filter(action="services.item.created", target_id=str(item.pk)).exists()


def test_item_create_refuses_a_bad_code_a_department_without_uscc_and_a_duplicate(service_city):
    no_uscc = core.create_department("无代码部门", division=service_city.city)
    admin = core.create_official(department=no_uscc, role="dept_admin")
    with pytest.raises(InvalidInput) as refused:
        catalogue.item_create(actor=admin, department=no_uscc, base_code="12AB", content={"item_type": "x"})
    assert refused.value.fields["base_code"].startswith("基本编码应为14位")
    assert "没有统一社会信用代码" in refused.value.fields["department"]
    assert refused.value.fields["name"] == "请填写事项名称"
    assert refused.value.fields["item_type"].startswith("事项类型无效")
    catalogue_item(service_city)
    with pytest.raises(InvalidInput) as duplicate:
        catalogue_item(service_city)
    assert "已有基本编码为 330100ABCD0001" in duplicate.value.fields["base_code"]
    assert ServiceItem.objects.count() == 1  # nothing half-written


def test_a_dept_admin_of_another_department_may_not_create_or_edit(service_city):
    fire_admin = core.create_official(department=service_city.fire, role="dept_admin")
    with pytest.raises(PermissionDenied):
        catalogue.item_create(
            actor=fire_admin,
            department=service_city.market,
            base_code="330100ABCD0009",
            content=CATALOGUE_CONTENT,
        )
    item = catalogue_item(service_city)
    version = item.versions.get()
    with pytest.raises(NotFound):
        catalogue.version_update(
            actor=fire_admin, version=version, content={"name": "改"}, expected_version=version.edit_version
        )
    with pytest.raises(PermissionDenied):  # the publisher sees it but drafting is the department's
        catalogue.version_update(
            actor=service_city.service_manager,
            version=version,
            content={"name": "改"},
            expected_version=version.edit_version,
        )


def test_version_update_bumps_edit_version_and_a_stale_edit_is_a_conflict(service_city):
    item = catalogue_item(service_city)
    version = _fresh(item.versions.get())
    read_at = version.edit_version
    catalogue.version_update(
        actor=service_city.market_admin,
        version=version,
        content={"promised_limit": 5},
        expected_version=read_at,
    )
    assert _fresh(version).edit_version == read_at + 1 and _fresh(version).promised_limit == 5
    with pytest.raises(Conflict):
        catalogue.version_update(
            actor=service_city.market_admin,
            version=version,
            content={"promised_limit": 6},
            expected_version=read_at,
        )
    assert _fresh(version).promised_limit == 5


def _publish(city, version):
    version = _fresh(version)
    catalogue.version_submit(actor=city.market_admin, version=version, expected_version=version.edit_version)
    return catalogue.version_publish(actor=city.service_manager, version=version, opinion="同意")


def test_submit_needs_conditions_and_legal_basis_and_freezes_the_version(service_city):
    item = catalogue_item(service_city, conditions="", legal_basis="")
    version = _fresh(item.versions.get())
    with pytest.raises(InvalidInput) as refused:
        catalogue.version_submit(
            actor=service_city.market_admin, version=version, expected_version=version.edit_version
        )
    assert refused.value.fields == {
        "conditions": "提交审核前须填写受理条件",
        "legal_basis": "提交审核前须填写设定依据",
    }
    catalogue.version_update(
        actor=service_city.market_admin,
        version=version,
        content={"conditions": "具备条件", "legal_basis": "《行政许可法》"},
        expected_version=version.edit_version,
    )
    version = _fresh(version)
    catalogue.version_submit(
        actor=service_city.market_admin, version=version, expected_version=version.edit_version
    )
    version = _fresh(version)
    assert version.status == VersionStatus.SUBMITTED and version.submitted_at
    assert Message.objects.filter(
        recipient=service_city.service_manager, title__startswith="事项待审核"
    ).exists()
    with pytest.raises(Conflict, match="待审核"):
        catalogue.version_update(
            actor=service_city.market_admin,
            version=version,
            content={"name": "改"},
            expected_version=version.edit_version,
        )


def test_a_dept_admin_cannot_publish_and_return_needs_an_opinion(service_city):
    item = catalogue_item(service_city)
    version = _fresh(item.versions.get())
    catalogue.version_submit(
        actor=service_city.market_admin, version=version, expected_version=version.edit_version
    )
    with pytest.raises(PermissionDenied):
        catalogue.version_publish(actor=service_city.market_admin, version=version)
    with pytest.raises(InvalidInput) as refused:
        catalogue.version_return(actor=service_city.service_manager, version=version, opinion="  ")
    assert refused.value.fields == {"opinion": "请填写退回意见"}
    catalogue.version_return(actor=service_city.service_manager, version=version, opinion="受理条件不完整")
    version = _fresh(version)
    assert version.status == VersionStatus.RETURNED and version.review_opinion == "受理条件不完整"
    assert Message.objects.filter(
        recipient=service_city.market_admin, title__startswith="事项被退回"
    ).exists()
    # returned: editable again, and may be submitted again
    catalogue.version_update(
        actor=service_city.market_admin,
        version=version,
        content={"conditions": "完整的条件"},
        expected_version=version.edit_version,
    )


def test_publish_copies_the_filter_fields_and_keeps_the_old_version_superseded(service_city):
    item = catalogue_item(service_city, publish=True)
    first = item.published_version
    assert item.status == ItemStatus.PUBLISHED and first.status == VersionStatus.PUBLISHED
    assert (item.subject_keys, item.life_event_keys, item.theme_keys) == (
        ",enterprise,",
        ",operating_permit,",
        ",food_drug,",
    )
    assert Message.objects.filter(
        recipient=service_city.market_admin, title__startswith="事项已发布"
    ).exists()
    # An application made under version 1 (a row pointing at it, as applying does).
    running = completed_application(service_city, item, service_city.enterprise, status="accepted")
    draft = catalogue.version_draft_new(actor=service_city.market_admin, item=item)
    assert draft.number == 2 and draft.status == VersionStatus.DRAFT
    assert [m.code for m in draft.materials.all()] == ["application_form"]
    catalogue.version_update(
        actor=service_city.market_admin,
        version=draft,
        content={"promised_limit": 3, "name": "食品经营许可（新）"},
        expected_version=_fresh(draft).edit_version,
    )
    _publish(service_city, draft)
    item.refresh_from_db()
    first.refresh_from_db()
    assert item.published_version.number == 2 and item.name == "食品经营许可（新）"
    assert first.status == VersionStatus.SUPERSEDED  # kept, never deleted
    assert version_get_public(item.pk, 1).promised_limit == 10  # the old guide still reads
    assert ServiceItemVersion.objects.filter(item=item).count() == 2
    running = Application.objects.select_related("item_version").get(pk=running.pk)
    assert (running.item_version.number, running.item_version.promised_limit, running.status) == (
        1,
        10,
        "accepted",
    )
    catalogue.item_unpublish(actor=service_city.service_manager, item=item, reason="暂停")
    assert Application.objects.get(pk=running.pk).item_version_id == first.pk  # nothing else changes


def test_one_open_version_per_item(service_city):
    item = catalogue_item(service_city, publish=True)
    catalogue.version_draft_new(actor=service_city.market_admin, item=item)
    with pytest.raises(Conflict, match="已有未发布的第2版"):
        catalogue.version_draft_new(actor=service_city.market_admin, item=item)
    unpublished = catalogue_item(service_city, base_code="330100ABCD0002")
    with pytest.raises(Conflict, match="第1版"):
        catalogue.version_draft_new(actor=service_city.market_admin, item=unpublished)


def test_unpublish_hides_the_item_but_its_versions_stay_readable_and_restore_brings_it_back(service_city):
    item = catalogue_item(service_city, publish=True)
    with pytest.raises(PermissionDenied):
        catalogue.item_unpublish(actor=service_city.market_admin, item=item, reason="停止")
    with pytest.raises(InvalidInput) as refused:
        catalogue.item_unpublish(actor=service_city.service_manager, item=item, reason="")
    assert refused.value.fields == {"reason": "请填写下线原因"}
    catalogue.item_unpublish(actor=service_city.service_manager, item=item, reason="法规修订，暂停办理")
    with pytest.raises(NotFound):
        item_get_published(item.pk)
    assert version_get_public(item.pk, 1).status == VersionStatus.PUBLISHED  # running applications
    with pytest.raises(Conflict):
        catalogue.item_unpublish(actor=service_city.service_manager, item=item, reason="again")
    catalogue.item_restore(actor=service_city.service_manager, item=item)
    assert item_get_published(item.pk).status == ItemStatus.PUBLISHED
    actions = set(
        AuditRecord.objects.filter(action__startswith="services.item.").values_list("action", flat=True)
    )
    assert {
        "services.item.created",
        "services.item.materials_set",
        "services.item.submitted",
        "services.item.published",
        "services.item.unpublished",
        "services.item.restored",
    } <= actions


def test_materials_are_replaced_and_checked_row_by_row(service_city):
    item = catalogue_item(service_city)
    version = _fresh(item.versions.get())
    with pytest.raises(InvalidInput) as refused:
        catalogue.version_set_materials(
            actor=service_city.market_admin,
            version=version,
            materials=[
                {"code": "id_card", "name": "身份证", "copies": 0},
                {"code": "id_card", "name": "", "form": "paper", "license_type": "nope"},
                {"code": "Bad Code!", "name": "x", "template_id": 999999, "colour": "red"},
                "not a row",
            ],
            expected_version=version.edit_version,
        )
    fields = refused.value.fields
    assert fields["materials[0].copies"] == "份数应为1–10的整数"
    assert fields["materials[1].code"] == "材料代码“id_card”重复"
    assert fields["materials[1].name"] == "请填写材料名称"
    assert fields["materials[1].form"].startswith("材料形式无效")
    assert fields["materials[1].license_type"] == "证照类型“nope”不存在或已停用"
    assert fields["materials[2].code"].startswith("材料代码应为")
    assert fields["materials[2].template_id"] == "附件不存在，请先上传到本版本"
    assert fields["materials[2].colour"] == "未知的材料属性"
    assert fields["materials[3]"] == "应为材料定义"
    assert [m.code for m in version.materials.all()] == ["application_form"]  # unchanged
    catalogue.version_set_materials(
        actor=service_city.market_admin,
        version=version,
        materials=[
            {"code": "business_license", "name": "营业执照", "license_type": service_city.business_type.code},
            {"code": "site_plan", "name": "场所平面图", "required": False, "is_key": False, "copies": 2},
        ],
        expected_version=version.edit_version,
    )
    stored = list(ItemMaterial.objects.filter(version=version).order_by("position"))
    assert [(m.code, m.position, m.copies) for m in stored] == [
        ("business_license", 0, 1),
        ("site_plan", 1, 2),
    ]
    catalogue.version_set_materials(  # some items need no material at all
        actor=service_city.market_admin,
        version=version,
        materials=[],
        expected_version=_fresh(version).edit_version,
    )
    assert not version.materials.exists()


def test_windows_are_created_once_per_code_and_deactivated(service_city):
    with pytest.raises(PermissionDenied):
        catalogue.window_create(
            actor=service_city.market_admin, department=service_city.hall, code="B01", name="x"
        )
    with pytest.raises(InvalidInput) as refused:
        catalogue.window_create(
            actor=service_city.service_manager, department=service_city.hall, code="A 1", name=""
        )
    assert refused.value.fields == {
        "code": "窗口编号应为1–16位字母、数字或横线，如 A01",
        "name": "请填写窗口名称（至多64字）",
    }
    with pytest.raises(InvalidInput) as duplicate:
        catalogue.window_create(
            actor=service_city.service_manager, department=service_city.hall, code="a01", name="x"
        )
    assert duplicate.value.fields == {"code": "“市政务服务中心”已有编号为 A01 的窗口"}
    window = catalogue.window_create(
        actor=service_city.service_manager, department=service_city.hall, code="b02", name="综合受理二号窗口"
    )
    assert window.code == "B02" and window.is_active
    catalogue.window_deactivate(actor=service_city.service_manager, window=window)
    assert not ServiceWindow.objects.get(pk=window.pk).is_active
    with pytest.raises(Conflict):
        catalogue.window_deactivate(actor=service_city.service_manager, window=window)
