"""Factories for 一网通办 tests: a staffed city (`ServiceCity`) and published items made
directly (no catalogue services), so each area's tests stand on their own.

Helpers may ADD functions at the end; never change the existing ones.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from io import StringIO

from django.core.management import call_command
from django.utils import timezone

from yiwang.core.accounts.models import EnterpriseAgent
from yiwang.core.tests import factories
from yiwang.licenses.services.keys import signing_key_generate
from yiwang.licenses.services.types import license_type_create
from yiwang.services.models import (
    ItemMaterial,
    ItemStatus,
    ServiceItem,
    ServiceItemVersion,
    ServiceWindow,
    VersionStatus,
)

FOOD_LICENSE_FIELDS = [
    {"name": "business_scope", "label": "经营项目", "type": "text", "required": True},
    {"name": "address", "label": "经营场所", "type": "text", "required": True},
]
BUSINESS_LICENSE_FIELDS = [
    {"name": "business_scope", "label": "经营范围", "type": "text", "required": True},
]

STANDARD_FORM = [
    {"code": "contact_name", "label": "联系人", "type": "text", "required": True},
    {"code": "contact_phone", "label": "联系电话", "type": "phone", "required": True},
    {"code": "address", "label": "经营场所", "type": "text", "required": True},
    {"code": "business_scope", "label": "经营项目", "type": "text", "required": True},
    {"code": "opening_date", "label": "拟开业日期", "type": "date", "required": False},
]
STANDARD_MATERIALS = [
    {"code": "application_form", "name": "申请书", "required": True, "is_key": True},
    {
        "code": "business_license",
        "name": "营业执照",
        "required": True,
        "is_key": True,
        "license_type": "<business>",
    },
    {"code": "site_plan", "name": "经营场所平面图", "required": True, "is_key": False},
    {"code": "health_certificates", "name": "从业人员健康证明", "required": False, "is_key": False},
]


def department_with_uscc(name: str, city, **kwargs):
    department = factories.create_department(name, division=city, **kwargs)
    department.uscc = factories.make_uscc(registrar="1", kind="1", division="330100")
    department.save(update_fields=["uscc"])
    return department


def load_processes() -> None:
    call_command("workflow", "load", stdout=StringIO())


@dataclass
class ServiceCity:
    city: object
    bureau: object  # 市政务服务管理局: publishes items, revisits 差评
    hall: object  # 市政务服务中心: the 综合窗口 (一窗受理)
    market: object  # 市市场监督管理局: implements items, issues licences (has a signing key)
    fire: object  # 市消防救援支队: co-reviews 并联审批 items
    window: object  # a ServiceWindow of the hall
    sys_admin: object
    clerk: object  # window_clerk at the hall
    market_approver: object
    fire_approver: object
    market_admin: object  # dept_admin of market
    service_manager: object  # service_manager at the bureau, city-wide
    supervisor: object  # city-wide
    citizen: object
    other_citizen: object
    enterprise: object
    agent: object  # a citizen who is the enterprise's 经办人
    business_type: object  # 营业执照 (legal person), issued by market
    food_type: object  # 食品经营许可证 (legal person), issued by market
    items: dict = field(default_factory=dict)


def create_service_city() -> ServiceCity:
    load_processes()
    city = factories.create_city()
    bureau = department_with_uscc("市政务服务管理局", city)
    hall = department_with_uscc("市政务服务中心", city, parent=bureau)
    market = department_with_uscc("市市场监督管理局", city)
    fire = department_with_uscc("市消防救援支队", city)
    sys_admin = factories.create_sys_admin()
    market_admin = factories.create_official(
        department=market, role="dept_admin", display_name="市场部门管理员"
    )
    signing_key_generate(actor=market_admin, department=market)
    business_type = license_type_create(
        actor=sys_admin,
        code=f"{market.uscc}001",
        name="营业执照",
        holder_kind="legal_person",
        defining_department=market,
        issuers=[market],
        fields=BUSINESS_LICENSE_FIELDS,
        validity={"years": 20},
    )
    food_type = license_type_create(
        actor=sys_admin,
        code=f"{market.uscc}002",
        name="食品经营许可证",
        holder_kind="legal_person",
        defining_department=market,
        issuers=[market],
        fields=FOOD_LICENSE_FIELDS,
        validity={"years": 5},
    )
    enterprise = factories.create_enterprise(name="示范餐饮有限公司")
    agent = factories.create_citizen(display_name="经办人小王")
    EnterpriseAgent.objects.create(enterprise=enterprise, agent=agent)
    return ServiceCity(
        city=city,
        bureau=bureau,
        hall=hall,
        market=market,
        fire=fire,
        window=ServiceWindow.objects.create(department=hall, code="A01", name="综合受理一号窗口"),
        sys_admin=sys_admin,
        clerk=factories.create_official(department=hall, role="window_clerk", display_name="窗口刘芳"),
        market_approver=factories.create_official(
            department=market, role="approver", display_name="市场审批员"
        ),
        fire_approver=factories.create_official(department=fire, role="approver", display_name="消防审批员"),
        market_admin=market_admin,
        service_manager=factories.create_official(
            department=bureau, role="service_manager", city_wide=True, display_name="政务服务管理员"
        ),
        supervisor=factories.create_official(
            department=bureau, role="supervisor", city_wide=True, display_name="监察员"
        ),
        citizen=factories.create_citizen(display_name="张明"),
        other_citizen=factories.create_citizen(display_name="李四"),
        enterprise=enterprise,
        agent=agent,
        business_type=business_type,
        food_type=food_type,
    )


def create_item(
    *,
    department,
    name: str = "食品经营许可",
    base_code: str | None = None,
    item_type: str = "licensing",
    subjects=("enterprise",),
    process_code: str = "services.commitment",
    handling_kind: str = "commitment",
    promised_limit: int = 10,
    statutory_limit: int = 20,
    online_depth: int = 5,
    acceptance_department=None,
    joint_departments=(),
    allows_deficiency: bool = False,
    result_kind: str = "document",
    result_name: str = "",
    result_license_type: str = "",
    result_field_map: dict | None = None,
    form_fields: list | None = None,
    materials: list | None = None,
    license_codes: dict | None = None,
    life_events=(),
    themes=(),
    keywords: str = "",
    delivery_methods=("electronic", "window", "mail"),
    published: bool = True,
) -> ServiceItem:
    """A published item (version 1) with its materials. In `materials`, a `license_type` of
    "<business>" / "<food>" is replaced from `license_codes` ({"<business>": code, ...})."""
    base_code = base_code or f"{abs(hash(name)) % 10**10:010d}0000"[:14]
    now = timezone.now()
    item = ServiceItem.objects.create(
        department=department,
        base_code=base_code,
        implementation_code=f"{base_code}-{department.division.code}000000-000-{department.uscc or '0' * 18}-1-00-{ServiceItem.objects.count() + 1}",
        status=ItemStatus.PUBLISHED if published else ItemStatus.DRAFT,
        name=name,
        item_type=item_type,
        handling_kind=handling_kind,
        online_depth=online_depth,
        subject_keys="," + ",".join(subjects) + ",",
        life_event_keys="," + ",".join(life_events) + "," if life_events else "",
        theme_keys="," + ",".join(themes) + "," if themes else "",
    )
    version = ServiceItemVersion.objects.create(
        item=item,
        number=1,
        status=VersionStatus.PUBLISHED if published else VersionStatus.DRAFT,
        name=name,
        item_type=item_type,
        subjects=list(subjects),
        legal_basis="《中华人民共和国行政许可法》",
        conditions="申请人具备相应条件",
        statutory_limit=statutory_limit,
        promised_limit=promised_limit,
        handling_kind=handling_kind,
        online_depth=online_depth,
        visits=0,
        handling_forms=["online", "window"],
        process_code=process_code,
        acceptance_department=acceptance_department,
        allows_deficiency=allows_deficiency,
        result_kind=result_kind,
        result_name=result_name or f"{name}决定书",
        result_license_type=result_license_type,
        result_field_map=result_field_map or {},
        delivery_methods=list(delivery_methods),
        life_events=list(life_events),
        themes=list(themes),
        keywords=keywords,
        form_fields=STANDARD_FORM if form_fields is None else form_fields,
        published_at=now if published else None,
    )
    if joint_departments:
        version.joint_departments.set(joint_departments)
    for position, spec in enumerate(STANDARD_MATERIALS if materials is None else materials):
        spec = dict(spec)
        code = spec.get("license_type", "")
        spec["license_type"] = (license_codes or {}).get(code, "") if code.startswith("<") else code
        ItemMaterial.objects.create(version=version, position=position, **spec)
    if published:
        item.published_version = version
        item.save(update_fields=["published_version"])
    return item


def food_item(city: ServiceCity, **overrides) -> ServiceItem:
    """食品经营许可 at market, accepted at the hall, 营业执照 免提交, result a 食品经营许可证."""
    arguments = {
        "department": city.market,
        "name": "食品经营许可",
        "acceptance_department": city.hall,
        "allows_deficiency": True,
        "result_kind": "license",
        "result_name": "食品经营许可证",
        "result_license_type": city.food_type.code,
        "result_field_map": {"business_scope": "form:business_scope", "address": "form:address"},
        "license_codes": {"<business>": city.business_type.code},
        "life_events": ("operating_permit",),
        "themes": ("food_drug",),
        "keywords": "开饭店 开餐馆 餐饮 小吃店 食品销售",
    }
    return create_item(**{**arguments, **overrides})


def joint_item(city: ServiceCity, **overrides) -> ServiceItem:
    """公众聚集场所投入使用、营业前消防安全检查 style 并联审批: market leads, fire co-reviews."""
    arguments = {
        "department": city.market,
        "name": "大型餐饮场所开业审批",
        "process_code": "services.joint",
        "acceptance_department": city.hall,
        "joint_departments": (city.fire,),
        "license_codes": {"<business>": city.business_type.code},
    }
    return create_item(**{**arguments, **overrides})


def immediate_item(city: ServiceCity, **overrides) -> ServiceItem:
    arguments = {
        "department": city.market,
        "name": "个体工商户名称自主申报",
        "process_code": "services.immediate",
        "handling_kind": "immediate",
        "promised_limit": 0,
        "subjects": ("citizen",),
        "acceptance_department": city.hall,
        "materials": [{"code": "id_card", "name": "居民身份证", "required": True, "is_key": True}],
        "form_fields": [{"code": "trade_name", "label": "拟用名称", "type": "text", "required": True}],
    }
    return create_item(**{**arguments, **overrides})


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
