"""Factories for 一网通办 tests: the staffed city and its items (factories_city.py, re-exported
here) and the flows built on them — applications in a given state, bundles, catalogue items,
sample uploads. Tests import everything from this module."""

from __future__ import annotations

from django.utils import timezone

from yiwang.services.models import (
    ServiceItem,
)
from yiwang.services.tests.factories_city import (  # noqa: F401 (re-exported for the tests)
    BUSINESS_LICENSE_FIELDS,
    FOOD_LICENSE_FIELDS,
    STANDARD_FORM,
    STANDARD_MATERIALS,
    ServiceCity,
    create_item,
    create_service_city,
    department_with_uscc,
    food_item,
    immediate_item,
    joint_item,
    load_processes,
)


def completed_application(
    city: ServiceCity,
    item: ServiceItem,
    applicant,
    *,
    window=None,
    outcome: str = "approved",
    status: str = "completed",
    submitted_at=None,
    decided_at=None,
    due_at=None,
    working_days_used=None,
    promised_working_days=None,
    channel: str = "online",
):
    """An application row written directly (no workflow): 已办结 by default, for 好差评 and the
    figures. Another `status` (e.g. "accepted") leaves it undecided."""
    from yiwang.services.models import Application
    from yiwang.services.numbers import next_number

    now = timezone.now()
    decided = status == "completed"
    return Application.objects.create(
        number=next_number("application"),
        item=item,
        item_version=item.published_version,
        department=item.department,
        applicant=applicant,
        submitted_by=applicant,
        channel=channel,
        window=window,
        status=status,
        outcome=outcome if decided else "",
        submitted_at=submitted_at or now,
        accepted_at=submitted_at or now,
        decided_at=(decided_at or now) if decided else None,
        due_at=due_at,
        promised_working_days=promised_working_days,
        working_days_used=working_days_used,
    )


# --- catalogue (helper A): items made through the catalogue services --------------------------
CATALOGUE_CONTENT = {
    "name": "食品经营许可（示例）",
    "item_type": "licensing",
    "subjects": ["enterprise"],
    "legal_basis": "《中华人民共和国食品安全法》第三十五条",
    "conditions": "有与经营的食品品种、数量相适应的经营场所",
    "statutory_limit": 20,
    "promised_limit": 10,
    "handling_forms": ["online", "window"],
    "delivery_methods": ["electronic", "window"],
    "life_events": ["operating_permit"],
    "themes": ["food_drug"],
    "form_fields": [
        {"code": "address", "label": "经营场所", "type": "text"},
        {"code": "business_scope", "label": "经营项目", "type": "text"},
    ],
}


def catalogue_item(city: ServiceCity, *, base_code: str = "330100ABCD0001", publish: bool = False, **content):
    """An item drafted by the market's 部门管理员 through the catalogue services (version 1 with
    one material); submitted and published by the 政务服务管理员 when `publish`."""
    from yiwang.services.services import catalogue

    item = catalogue.item_create(
        actor=city.market_admin,
        department=city.market,
        base_code=base_code,
        content={**CATALOGUE_CONTENT, **content},
    )
    version = item.versions.get()
    catalogue.version_set_materials(
        actor=city.market_admin,
        version=version,
        materials=[{"code": "application_form", "name": "申请书"}],
        expected_version=version.edit_version,
    )
    if publish:
        version.refresh_from_db()
        catalogue.version_submit(
            actor=city.market_admin, version=version, expected_version=version.edit_version
        )
        catalogue.version_publish(actor=city.service_manager, version=version, opinion="同意发布")
        item.refresh_from_db()
    return item


# --- 一件事 (helper G): a second department's item and a bundle made directly --------------------
FIRE_FORM = [
    {"code": "contact_name", "label": "联系人", "type": "text", "required": True},
    {"code": "contact_phone", "label": "联系电话", "type": "phone", "required": True},
    {"code": "address", "label": "经营场所", "type": "text", "required": True},
    {"code": "seats", "label": "座位数", "type": "number", "required": True},
]
FIRE_MATERIALS = [
    {"code": "application_form", "name": "申请书", "required": True, "is_key": True},
    {"code": "site_plan", "name": "经营场所平面图", "required": True, "is_key": True},
    {"code": "fire_plan", "name": "消防安全制度", "required": True, "is_key": True},
]


def fire_item(city: ServiceCity, **overrides) -> ServiceItem:
    """公众聚集场所投入使用、营业前消防安全检查 at fire, accepted at the hall; shares contact and
    address fields and two materials with food_item (for 一件事)."""
    arguments = {
        "department": city.fire,
        "name": "公众聚集场所投入使用营业前消防安全检查",
        "acceptance_department": city.hall,
        "form_fields": FIRE_FORM,
        "materials": FIRE_MATERIALS,
        "life_events": ("operating_permit",),
        "keywords": "消防检查 开饭店",
    }
    return create_item(**{**arguments, **overrides})


def create_bundle(
    city: ServiceCity, items, *, code: str = "open-restaurant", published: bool = True, **fields
):
    """A bundle written directly (no bundle services), published by default."""
    from yiwang.services.models import Bundle, BundleItem

    bundle = Bundle.objects.create(
        code=code,
        name=fields.pop("name", "开办餐饮店一件事"),
        life_event=fields.pop("life_event", "operating_permit"),
        subject=fields.pop("subject", "enterprise"),
        lead_department=fields.pop("lead_department", city.market),
        status="published" if published else "draft",
        published_at=timezone.now() if published else None,
        **fields,
    )
    for position, item in enumerate(items):
        BundleItem.objects.create(bundle=bundle, item=item, position=position)
    return bundle


def issue_business_license(city: ServiceCity, holder):
    """A valid 营业执照 for `holder`, so a material naming that type is 免提交."""
    from yiwang.licenses.services.issuing import license_issue

    return license_issue(
        actor=city.market_admin,
        license_type=city.business_type,
        holder=holder,
        number=f"BL{holder.pk:06d}",
        data={"business_scope": "餐饮服务"},
    )


def submitted_application(
    city: ServiceCity,
    item: ServiceItem,
    applicant,
    *,
    materials_satisfied: bool = True,
    missing=(),
    form_data: dict | None = None,
    delivery_method: str = "electronic",
):
    """A submitted application at 预审, made directly (no applying services): the row, its
    materials from the version ("uploaded", or "missing" for the codes in `missing` — or all
    of them when not `materials_satisfied`) and its started process (instance_params)."""
    import json

    from yiwang.core import personal_data
    from yiwang.services.instance_params import process_params
    from yiwang.services.models import Application, ApplicationMaterial, ApplicationStatus
    from yiwang.services.numbers import next_number
    from yiwang.workflow.services.start import instance_start

    version = item.published_version
    now = timezone.now()
    answers = {"contact_name": "王五", "address": "示范市人民路1号", "business_scope": "热食类食品制售"}
    application = Application.objects.create(
        number=next_number("application"),
        item=item,
        item_version=version,
        department=item.department,
        applicant=applicant,
        submitted_by=applicant,
        status=ApplicationStatus.SUBMITTED,
        form_data=answers if form_data is None else form_data,
        form_sensitive_encrypted=personal_data.encrypt(json.dumps({"contact_phone": "13800138000"})),
        submitted_at=now,
        promised_working_days=version.promised_limit or None,
        delivery_method=delivery_method,
    )
    for material in version.materials.all():
        absent = not materials_satisfied or material.code in missing
        ApplicationMaterial.objects.create(
            application=application,
            position=material.position,
            code=material.code,
            name=material.name,
            required=material.required,
            is_key=material.is_key,
            source="missing" if absent else "uploaded",
        )
    application.instance = instance_start(
        actor=applicant,
        definition_code=version.process_code,
        subject=application,
        department=item.department,
        params=process_params(applicant=applicant, version=version, item=item),
    )
    application.save(update_fields=["instance"])
    return application


# --- 申请 (helper C): uploads and answers for the applying tests ------------------------------
SAMPLE_PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
FOOD_ANSWERS = {
    "contact_name": "王五",
    "contact_phone": "13800138000",
    "address": "示范市人民路1号",
    "business_scope": "热食类食品制售",
}


def pdf_upload(name: str = "申请书.pdf", marker: str = ""):
    """A small valid PDF upload; a different `marker` gives different content (another blob)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    content = SAMPLE_PDF + (f"% {marker}\n".encode() if marker else b"")
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def portal_catalogue(city: ServiceCity) -> dict:
    """Items for the portal search tests (indexed): 食品经营许可 (keywords 开饭店 …), 企业设立登记
    with 营业执照 in its name, 个体工商户设立登记 with 营业执照 in its keywords only, two 高龄津贴申领
    of different departments, and 居民身份证换领 for people."""
    from yiwang.services.search import index_item

    police = department_with_uscc("市公安局", city.city)
    civil = department_with_uscc("市民政局", city.city)
    district = department_with_uscc("区民政局", city.city)
    id_card = [{"code": "id_card", "name": "居民身份证", "required": True, "is_key": True}]
    items = {
        "food": food_item(city),
        "company": create_item(
            department=city.market,
            name="企业设立登记（营业执照）",
            life_events=("start_business",),
            themes=("market",),
            result_name="营业执照",
            materials=[{"code": "application_form", "name": "公司登记（备案）申请书", "required": True}],
        ),
        "sole_trader": create_item(
            department=city.market,
            name="个体工商户设立登记",
            subjects=("citizen", "enterprise"),
            life_events=("start_business",),
            keywords="营业执照 个体户",
            materials=id_card,
        ),
        "elderly_city": create_item(
            department=civil,
            name="高龄津贴申领",
            item_type="benefit",
            subjects=("citizen",),
            life_events=("elderly",),
            themes=("civil_affairs",),
            materials=id_card,
        ),
        "elderly_district": create_item(
            department=district,
            name="高龄津贴申领",
            base_code="00000000990000",
            item_type="benefit",
            subjects=("citizen",),
            life_events=("elderly",),
            themes=("civil_affairs",),
            materials=id_card,
        ),
        "id_card": create_item(
            department=police,
            name="居民身份证换领",
            item_type="public_service",
            subjects=("citizen",),
            life_events=("identity",),
            themes=("public_security",),
            materials=id_card,
        ),
    }
    for item in items.values():
        index_item(item)
    items["departments"] = {"police": police, "civil": civil, "district": district}
    return items
