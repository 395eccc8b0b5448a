"""The staffed test city of 一网通办 (`ServiceCity`) and published items made directly (no
catalogue services), so each area's tests stand on their own. Re-exported by factories.py,
where the flows built on them live."""

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
