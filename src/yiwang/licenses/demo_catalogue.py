"""The demo's licence catalogue and the licences its citizen and enterprise hold. Plain data;
`licenses.demo` writes it through the services.

Defining bodies. A 证照类型代码 is the defining body's 统一社会信用代码 plus 3 digits (GB/T
36904). The real defining bodies are national — 国家市场监督管理总局 (营业执照, 食品经营许可证),
自然资源部 (不动产权证书), 公安部 (居民户口簿), 国家卫生健康委员会 (出生医学证明), 民政部
(结婚证) — and the demo city has none of them, so each type is defined under the demo city's
own department of that line (`department`, first of `issuers`): a code begins with that
department's USCC. 不动产权证书 is issued by 市自然资源和规划局 (the demo city has no separate
不动产登记中心), 户外广告设施设置许可证 by 市城市管理局.

The holdings: the enterprise holds a 营业执照 and a 食品经营许可证 for its staff canteen that
runs out in 20 days (the 到期提醒 shows), and a 户外广告设施设置许可证 that was revoked; the
citizen holds a 居民户口簿, a 不动产权证书 revised once (门牌整编: version 1 verifies as
superseded) and his son's 出生医学证明 (a newborn has no account: the certificate sits in the
father's wallet). 结婚证 is in the catalogue only. Dates of long-held licences are fixed; those
that must stay current are counted from today (`holdings(today)`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from yiwang.licenses.services.shapes import add_months

MARKET, LAND, POLICE = "市市场监督管理局", "市自然资源和规划局", "市公安局"
HEALTH, CIVIL, URBAN = "市卫生健康委员会", "市民政局", "市城市管理局"


def _text(name: str, label: str, required: bool = True) -> dict:
    return {"name": name, "label": label, "type": "text", "required": required}


def _enum(name: str, label: str, choices: list[str]) -> dict:
    return {"name": name, "label": label, "type": "enum", "required": True, "choices": choices}


@dataclass(frozen=True)
class TypeSpec:
    name: str
    serial: str  # the 3 digits after the defining department's USCC
    holder_kind: str
    issuers: list[str]  # department names; the first also defines the type
    fields: list[dict]
    validity: dict
    accent: str
    replaces: list[str]

    @property
    def department(self) -> str:
        return self.issuers[0]

    @property
    def layout(self) -> dict:
        return {"accent": self.accent, "order": [spec["name"] for spec in self.fields]}


LONG_TERM = {"long_term": True}

TYPES = [
    TypeSpec(
        name="营业执照",
        serial="001",
        holder_kind="legal_person",
        issuers=[MARKET],
        fields=[
            _text("name", "名称"),
            _enum(
                "company_type",
                "类型",
                [
                    "有限责任公司（自然人投资或控股）",
                    "有限责任公司（自然人独资）",
                    "有限责任公司（国有独资）",
                    "股份有限公司（非上市、自然人投资或控股）",
                    "个人独资企业",
                    "普通合伙企业",
                ],
            ),
            _text("legal_representative", "法定代表人"),
            _text("registered_capital", "注册资本"),
            {"name": "founded_on", "label": "成立日期", "type": "date", "required": True},
            _text("domicile", "住所"),
            _text("business_scope", "经营范围"),
        ],
        validity=LONG_TERM,
        accent="#b0262d",
        replaces=["营业执照", "营业执照副本复印件"],
    ),
    TypeSpec(
        name="食品经营许可证",
        serial="002",
        holder_kind="legal_person",
        issuers=[MARKET],
        fields=[
            _text("operator_name", "经营者名称"),
            _text("premises", "经营场所"),
            _enum("category", "主体业态", ["食品销售经营者", "餐饮服务经营者", "单位食堂"]),
            _text("business_items", "经营项目"),
        ],
        validity={"years": 5},
        accent="#1f6fb2",
        replaces=["食品经营许可证", "食品经营许可证复印件"],
    ),
    TypeSpec(
        name="不动产权证书",
        serial="001",
        holder_kind="citizen",
        issuers=[LAND],
        fields=[
            _text("right_holder", "权利人"),
            _enum("co_ownership", "共有情况", ["单独所有", "共同共有", "按份共有"]),
            _text("location", "坐落"),
            _text("unit_number", "不动产单元号"),
            _text("right_type", "权利类型"),
            _text("use", "用途"),
            {"name": "area", "label": "面积（平方米）", "type": "number", "required": True},
        ],
        validity=LONG_TERM,
        accent="#8a5a14",
        replaces=["不动产权证书", "不动产权证书复印件", "房屋所有权证"],
    ),
    TypeSpec(
        name="居民户口簿",
        serial="001",
        holder_kind="citizen",
        issuers=[POLICE],
        fields=[
            _text("householder_name", "户主姓名"),
            _enum("household_type", "户别", ["家庭户", "集体户"]),
            _text("address", "住址"),
            _text("relation", "与户主关系"),
        ],
        validity=LONG_TERM,
        accent="#5b3f8c",
        replaces=["居民户口簿", "户口簿首页及本人页复印件"],
    ),
    TypeSpec(
        name="出生医学证明",
        serial="001",
        holder_kind="citizen",
        issuers=[HEALTH],
        fields=[
            _text("newborn_name", "新生儿姓名"),
            _enum("sex", "性别", ["男", "女"]),
            _text("born_at", "出生时间"),  # 年月日时分, as the certificate prints it
            _text("birthplace", "出生地点"),
            _text("mother_name", "母亲姓名"),
            _text("father_name", "父亲姓名"),
        ],
        validity=LONG_TERM,
        accent="#c2185b",
        replaces=["出生医学证明", "出生医学证明复印件"],
    ),
    TypeSpec(
        name="结婚证",
        serial="001",
        holder_kind="citizen",
        issuers=[CIVIL],
        fields=[
            _text("holder_name", "持证人"),
            {"name": "registered_on", "label": "登记日期", "type": "date", "required": True},
            _text("spouse_name", "配偶姓名"),
        ],
        validity=LONG_TERM,
        accent="#d32f2f",
        replaces=["结婚证", "结婚证复印件"],
    ),
    TypeSpec(
        name="户外广告设施设置许可证",
        serial="001",
        holder_kind="legal_person",
        issuers=[URBAN],
        fields=[
            _text("applicant", "设置单位"),
            _text("site", "设置地点"),
            _enum("form", "广告形式", ["屋顶广告", "墙面广告", "立柱广告", "店招店牌", "电子显示屏"]),
            _text("size", "规格"),
        ],
        validity={"years": 3},
        accent="#00796b",
        replaces=["户外广告设施设置许可证"],
    ),
]


@dataclass(frozen=True)
class Holding:
    """One licence of a demo holder ("citizen" or "enterprise"), then optionally revised
    (`revise`: changed fields and the reason) or revoked (`revoke`: the reason)."""

    type_name: str
    holder: str
    number: str
    data: dict
    issued_on: date
    valid_until: date | None = None  # None: by the type's validity rule
    revise: tuple[dict, str] | None = None
    revoke: str = ""


ENTERPRISE_ADDRESS = "浙江省示范市明湖区新城街道科创路88号2幢1201室"
OLD_HOME = "示范市明湖区湖滨街道柳岸路18号3幢2单元501室"
HOME = "示范市明湖区湖滨街道柳岸路36号3幢2单元501室"  # after 门牌整编


def holdings(today: date, *, enterprise_name: str, enterprise_uscc: str, citizen_name: str) -> list[Holding]:
    canteen_until = today + timedelta(days=20)  # inside the 30-day reminder window
    advert_from = add_months(today, -14)
    return [
        Holding(
            type_name="营业执照",
            holder="enterprise",
            number=enterprise_uscc,  # a 营业执照's number is the USCC it carries
            data={
                "name": enterprise_name,
                "company_type": "有限责任公司（自然人投资或控股）",
                "legal_representative": "李华",
                "registered_capital": "伍佰万元整",
                "founded_on": "2019-06-18",
                "domicile": ENTERPRISE_ADDRESS,
                "business_scope": (
                    "一般项目：软件开发；信息系统集成服务；信息技术咨询服务；数据处理服务；"
                    "技术服务、技术开发、技术咨询、技术交流、技术转让、技术推广。"
                    "（除依法须经批准的项目外，凭营业执照依法自主开展经营活动）"
                ),
            },
            issued_on=date(2019, 6, 18),
        ),
        Holding(
            type_name="食品经营许可证",
            holder="enterprise",
            number="JY33399020000018",
            data={
                "operator_name": enterprise_name,
                "premises": "浙江省示范市明湖区新城街道科创路88号2幢1层",
                "category": "单位食堂",
                "business_items": "热食类食品制售",
            },
            issued_on=add_months(canteen_until + timedelta(days=1), -60),
            valid_until=canteen_until,
        ),
        Holding(
            type_name="户外广告设施设置许可证",
            holder="enterprise",
            number=f"示城广许〔{advert_from.year}〕第018号",
            data={
                "applicant": enterprise_name,
                "site": "示范市明湖区新城街道科创路88号2幢楼顶",
                "form": "屋顶广告",
                "size": "12.0米×3.0米",
            },
            issued_on=advert_from,
            revoke="广告设施存在安全隐患，经责令限期整改逾期未改正，依法撤回设置许可",
        ),
        Holding(
            type_name="居民户口簿",
            holder="citizen",
            number="339902100031",
            data={
                "householder_name": citizen_name,
                "household_type": "家庭户",
                "address": f"浙江省{HOME}",
                "relation": "户主",
            },
            issued_on=date(2016, 9, 5),
        ),
        Holding(
            type_name="不动产权证书",
            holder="citizen",
            number="浙（2021）示范市不动产权第0012345号",
            data={
                "right_holder": citizen_name,
                "co_ownership": "单独所有",
                "location": OLD_HOME,
                # GB/T 37346: 区县6 + 地籍区/子区6 + 宗地特征码2 + 宗地号5 + 定着物特征码1 + 定着物单元号8
                "unit_number": "339902001001GB00018F00030501",
                "right_type": "国有建设用地使用权/房屋所有权",
                "use": "城镇住宅用地/住宅",
                "area": "98.56",
            },
            issued_on=date(2021, 4, 12),
            revise=({"location": HOME}, "地名门牌整编，坐落变更"),
        ),
        Holding(
            type_name="出生医学证明",
            holder="citizen",
            number="Q339012345",
            data={
                "newborn_name": "张思远",
                "sex": "男",
                "born_at": "2023年05月12日08时35分",
                "birthplace": "浙江省示范市明湖区",
                "mother_name": "王芳",
                "father_name": citizen_name,
            },
            issued_on=date(2023, 5, 14),
        ),
    ]
