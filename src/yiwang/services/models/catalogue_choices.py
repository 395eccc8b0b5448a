"""The enumerations of the 政务服务事项实施清单 (STANDARDS.md §4): stored as stable English
codes with Chinese labels. Re-exported by models/catalogue.py."""

from __future__ import annotations

from django.db import models


class ItemType(models.TextChoices):
    """事项类型 — the eleven types (STANDARDS.md §4)."""

    LICENSING = "licensing", "行政许可"
    PENALTY = "penalty", "行政处罚"
    ENFORCEMENT = "enforcement", "行政强制"
    LEVY = "levy", "行政征收"
    BENEFIT = "benefit", "行政给付"
    INSPECTION = "inspection", "行政检查"
    CONFIRMATION = "confirmation", "行政确认"
    REWARD = "reward", "行政奖励"
    ADJUDICATION = "adjudication", "行政裁决"
    OTHER_POWER = "other_power", "其他行政权力"
    PUBLIC_SERVICE = "public_service", "公共服务"


# 依申请 (STANDARDS.md §4): only these types are applied for; the others are not in the portal.
APPLICABLE_TYPES = frozenset(
    {
        ItemType.LICENSING,
        ItemType.BENEFIT,
        ItemType.CONFIRMATION,
        ItemType.ADJUDICATION,
        ItemType.REWARD,
        ItemType.OTHER_POWER,
        ItemType.PUBLIC_SERVICE,
    }
)


class SubjectKind(models.TextChoices):
    """服务对象: who applies. Stored as the account kinds of `accounts.UserKind`."""

    CITIZEN = "citizen", "自然人"
    ENTERPRISE = "enterprise", "法人"


class HandlingKind(models.TextChoices):
    """办件类型."""

    IMMEDIATE = "immediate", "即办件"
    COMMITMENT = "commitment", "承诺件"
    REPORTED = "reported", "上报件"


class LimitUnit(models.TextChoices):
    """时限单位 of 法定/承诺办结时限; the codes are workflow time units (core.workcal.units)."""

    WORKING_DAYS = "working_days", "工作日"
    NATURAL_DAYS = "natural_days", "自然日"


class HandlingForm(models.TextChoices):
    """办理形式."""

    WINDOW = "window", "窗口办理"
    ONLINE = "online", "网上办理"
    EXPRESS = "express", "快递申请"
    HOME = "home", "上门办理"


class Scope(models.TextChoices):
    """通办范围."""

    NATION = "nation", "全国"
    PROVINCE = "province", "全省"
    CITY = "city", "全市"
    COUNTY = "county", "全县"
    TOWN = "town", "全镇"
    VILLAGES = "villages", "跨村"


class ExerciseLevel(models.TextChoices):
    """行使层级."""

    NATION = "nation", "国家级"
    PROVINCE = "province", "省级"
    CITY = "city", "市级"
    COUNTY = "county", "县级"
    TOWN = "town", "镇（乡、街道）级"
    VILLAGE = "village", "村（社区）级"


# 网办深度 (STANDARDS.md §4): 1–7. 网上可办 (the figure cities report) means depth ≥ 4.
ONLINE_DEPTHS = {
    1: "互联网咨询",
    2: "互联网收件",
    3: "互联网预审",
    4: "互联网受理",
    5: "互联网办理",
    6: "互联网办理结果信息反馈",
    7: "互联网电子证照反馈",
}
ONLINE_DEPTH_ONLINE = 4


class LifeEvent(models.TextChoices):
    """人生事件 (自然人) and 企业生命周期 (法人): how the portal groups items for people."""

    BIRTH = "birth", "出生"
    SCHOOL = "school", "上学"
    EMPLOYMENT = "employment", "就业"
    MARRIAGE = "marriage", "婚育"
    HOUSING = "housing", "住房"
    MEDICAL = "medical", "就医"
    SOCIAL_SECURITY = "social_security", "社保"
    TRAVEL = "travel", "出行"
    IDENTITY = "identity", "户籍证件"
    RETIREMENT = "retirement", "退休"
    ELDERLY = "elderly", "养老"
    DEATH = "death", "身后"
    START_BUSINESS = "start_business", "开办企业"
    OPERATING_PERMIT = "operating_permit", "经营许可"
    CONSTRUCTION = "construction", "工程建设"
    TAX = "tax", "纳税缴费"
    CHANGE = "change", "变更登记"
    CLOSE_BUSINESS = "close_business", "注销退出"


class Theme(models.TextChoices):
    """主题分类 (the theme the portal browses by, beside departments)."""

    MARKET = "market", "市场主体"
    FOOD_DRUG = "food_drug", "食品药品"
    LABOUR = "labour", "劳动就业"
    SOCIAL_SECURITY = "social_security", "社会保障"
    CIVIL_AFFAIRS = "civil_affairs", "民政事务"
    PUBLIC_SECURITY = "public_security", "公安户政"
    HOUSING = "housing", "住房保障"
    REAL_ESTATE = "real_estate", "不动产"
    PLANNING = "planning", "规划建设"
    HEALTH = "health", "医疗卫生"
    EDUCATION = "education", "教育"
    TRANSPORT = "transport", "交通出行"
    ENVIRONMENT = "environment", "生态环境"
    SAFETY = "safety", "安全生产"


class ResultKind(models.TextChoices):
    """办理结果: an electronic licence (电子证照库) or a signed decision document."""

    LICENSE = "license", "电子证照"
    DOCUMENT = "document", "决定文书"


class ItemStatus(models.TextChoices):
    DRAFT = "draft", "未发布"
    PUBLISHED = "published", "已发布"
    OFFLINE = "offline", "已下线"


class VersionStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    SUBMITTED = "submitted", "待审核"
    RETURNED = "returned", "已退回"
    PUBLISHED = "published", "已发布"
    SUPERSEDED = "superseded", "已被替代"


class MaterialForm(models.TextChoices):
    """材料形式."""

    ORIGINAL = "original", "原件"
    COPY = "copy", "复印件"
    ELECTRONIC = "electronic", "电子件"
