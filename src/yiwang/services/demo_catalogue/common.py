"""Shared constants and builders of the demo catalogue (see the package docstring)."""

from __future__ import annotations

from yiwang.core.demo import city
from yiwang.licenses import demo_catalogue as license_catalogue

MARKET, POLICE, HRSS = "市市场监督管理局", "市公安局", "市人力资源和社会保障局"
CIVIL, HOUSING, LAND = "市民政局", "市住房和城乡建设局", "市自然资源和规划局"
URBAN, HEALTH, ECOLOGY = "市城市管理局", "市卫生健康委员会", "市生态环境局"
TRANSPORT, EMERGENCY = "市交通运输局", "市应急管理局"
CENTER, DISTRICT_CENTER = "市政务服务中心", "明湖区政务服务中心"

# 事项类型 letter of the invented base codes.
TYPE_LETTERS = {
    "licensing": "A",
    "penalty": "B",
    "enforcement": "C",
    "levy": "D",
    "benefit": "E",
    "inspection": "F",
    "confirmation": "G",
    "reward": "H",
    "adjudication": "I",
    "other_power": "J",
    "public_service": "K",
}

CENTER_ADDRESS = "示范市明湖区新城街道市民大道1号 示范市民中心（市政务服务中心）"
OFFICE_HOURS = "工作日 上午9:00—12:00，下午13:30—17:00；周六上午9:00—12:00延时服务（法定节假日除外）"
HOTLINE = "；12345政务服务热线"

WINDOWS = [
    {"department": CENTER, "code": "A01", "name": "综合受理一号窗口（商事登记）"},
    {"department": CENTER, "code": "A02", "name": "综合受理二号窗口（工程建设项目）"},
    {"department": CENTER, "code": "A03", "name": "综合受理三号窗口（社会事务）"},
    {"department": CENTER, "code": "A04", "name": "综合受理四号窗口（不动产登记）"},
    {"department": CENTER, "code": "A05", "name": "帮办代办窗口"},
    {"department": DISTRICT_CENTER, "code": "B01", "name": "综合受理窗口（全市通办）"},
]
WINDOW_PLACES = {
    "A01": "一楼A区 综合受理一号窗口（A01）",
    "A02": "三楼C区 综合受理二号窗口（A02）",
    "A03": "二楼B区 综合受理三号窗口（A03）",
    "A04": "二楼D区 综合受理四号窗口（A04）",
}


def license_type_code(name: str) -> str:
    """The 证照类型代码 the licence demo gives the type called `name`: the defining
    department's USCC plus the type's 3-digit serial (GB/T 36904; licenses/demo.py)."""
    spec = next(spec for spec in license_catalogue.TYPES if spec.name == name)
    department = next(d for d in city.DEPARTMENTS if d["name"] == spec.department)
    return f"{department['uscc']}{spec.serial}"


def _phone(serial: str) -> str:
    return f"0589-8811{serial}{HOTLINE}"


def _at(window: str) -> str:
    return f"{CENTER_ADDRESS}{WINDOW_PLACES[window]}"


def _field(code, label, kind="text", *, required=True, choices=None, help_text="") -> dict:
    """A 申请表 field (forms_spec.py)."""
    field = {"code": code, "label": label, "type": kind, "required": required}
    if choices:
        field["choices"] = list(choices)
    if help_text:
        field["help"] = help_text
    return field


def _material(code, name, form="electronic", *, required=True, key=True, license="", copies=1, notes=""):
    """An ItemMaterial; `key=False` marks a material 容缺受理 may accept later."""
    return {
        "code": code,
        "name": name,
        "required": required,
        "form": form,
        "copies": copies,
        "is_key": key,
        "license_type": license,
        "shared_data": "",
        "notes": notes,
    }


CONTACT_NAME = _field("contact_name", "联系人")
CONTACT_PHONE = _field("contact_phone", "联系电话", "phone")
PREMISES = _field("premises", "经营场所", help_text="详细到门牌号，如：示范市明湖区湖滨街道柳岸路8号1层")
LEGAL_REPRESENTATIVE = _field("legal_representative", "法定代表人（负责人）")
NEWBORN_NAME = _field("newborn_name", "新生儿姓名")
NEWBORN_SEX = _field("newborn_sex", "新生儿性别", "choice", choices=["男", "女"])
NEWBORN_BIRTH_DATE = _field("newborn_birth_date", "新生儿出生日期", "date")
MOTHER_NAME = _field("mother_name", "母亲姓名")
MOTHER_ID = _field("mother_id_number", "母亲身份证号码", "id_number")
FATHER_ID = _field("father_id_number", "父亲身份证号码", "id_number", required=False)
BANK_ACCOUNT = _field("bank_account", "收款银行账号", help_text="本人名下银行账户或社会保障卡金融账户")

IMMEDIATE = {"handling_kind": "immediate", "process_code": "services.immediate", "promised_limit": 0}
LICENSE_FORM_KINDS = ["window", "online", "express"]

_DEFAULTS = {
    "power_source": "法定本级行使",
    "exercise_level": "city",
    "statutory_limit_unit": "working_days",
    "promised_limit_unit": "working_days",
    "handling_kind": "commitment",
    "process_code": "services.commitment",
    "online_depth": 4,
    "visits": 0,
    "handling_forms": ["window", "online"],
    "fee_free": True,
    "fees": "",
    "office_hours": OFFICE_HOURS,
    "scope": "city",
    "acceptance_department": CENTER,
    "joint_departments": [],
    "allows_deficiency": False,
    "result_kind": "document",
    "result_license_type": "",
    "result_field_map": {},
    "delivery_methods": ["electronic", "window"],
}


def _item(key, department, base_code, *, materials, **content) -> dict:
    """One item; `content` names ServiceItemVersion fields, the rest take `_DEFAULTS`."""
    return {
        "key": key,
        "department": department,
        "base_code": base_code,
        "content": {**_DEFAULTS, **content},
        "materials": materials,
    }
