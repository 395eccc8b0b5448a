"""示范市: a made-up city for demonstrations and trials. Plain data; `loader` writes it.

Codes are invented but valid in structure, so every validator accepts them:

- 行政区划 (GB/T 2260): the city sits in a real province, 浙江省 (330000), under prefecture code
  339900, which no real prefecture of 浙江 uses (they run 3301–3311). Its two county-level
  units follow the national convention: 02–20 市辖区, 21–80 县.
- 统计用区划代码: township digits 001–099 街道, 100–199 镇, 200–399 乡; village digits
  001–199 居委会 (社区), 200–399 村委会 (村).
- 单元网格编码 (CJ/T 213): 14 digits, the community's 12 plus a 2-digit grid number.
- 统一社会信用代码 (GB 32100-2015): 机关 "11", 事业单位 "12" (登记管理部门 1 = 机构编制),
  enterprise "91" (工商); the 组织机构代码 (GB 11714) and both check characters are computed.
- 身份证号 (GB 11643-1999): address code of 明湖区, check character computed.

Everyone shares one password, `DEMO_PASSWORD`; it meets the password rules (three of four
character classes, 8+ characters). Never load the demo into a production database.
"""

from __future__ import annotations

from yiwang.core import codes

DEMO_PASSWORD = "Yiwang@2026"


def org_code(body8: str) -> str:
    """组织机构代码 (GB 11714): 8-character body plus its check character."""
    return body8 + codes.org_code_check_char(body8)


def uscc(prefix: str, division: str, body8: str) -> str:
    """统一社会信用代码 (GB 32100-2015 §4): 2-character prefix, 6-digit division, 9-character
    组织机构代码, check character."""
    body17 = f"{prefix}{division}{org_code(body8)}"
    return body17 + codes.uscc_check_char(body17)


def id_number(body17: str) -> str:
    return body17 + codes.id_number_check_char(body17)


PROVINCE = {"code": "330000", "name": "浙江省"}
CITY = {"code": "339900", "name": "示范市"}

# Each county-level unit with its townships, each township with two communities or villages.
DISTRICTS = [
    {
        "code": "339902",
        "name": "明湖区",
        "townships": [
            {
                "code": "339902001000",
                "name": "湖滨街道",
                "villages": [("339902001001", "柳岸社区"), ("339902001002", "荷花社区")],
            },
            {
                "code": "339902002000",
                "name": "新城街道",
                "villages": [("339902002001", "科创社区"), ("339902002002", "锦绣社区")],
            },
            {
                "code": "339902101000",
                "name": "望江镇",
                "villages": [("339902101001", "望江社区"), ("339902101201", "沙洲村")],
            },
        ],
    },
    {
        "code": "339921",
        "name": "青山县",
        "townships": [
            {
                "code": "339921001000",
                "name": "城关街道",
                "villages": [("339921001001", "东门社区"), ("339921001002", "南门社区")],
            },
            {
                "code": "339921101000",
                "name": "青山镇",
                "villages": [("339921101201", "竹林村"), ("339921101202", "茶园村")],
            },
            {
                "code": "339921201000",
                "name": "白云乡",
                "villages": [("339921201201", "白云村"), ("339921201202", "石桥村")],
            },
        ],
    },
]


def _department(name, division, serial, *, kind="government", parent=None, prefix="11", short_name=""):
    return {
        "name": name,
        "short_name": short_name,
        "division": division,
        "kind": kind,
        "parent": parent,
        "uscc": uscc(prefix, division[:6], f"9{division[2:6]}{serial:03d}"),
        "sort_order": serial * 10,
    }


# Parents come before their children. 事业单位 (service centres, the hotline) take "12".
DEPARTMENTS = [
    _department("市政务服务管理局", "339900", 1, short_name="政务服务管理局"),
    _department("市大数据管理局", "339900", 2, short_name="大数据局"),
    _department("市市场监督管理局", "339900", 3, short_name="市场监管局"),
    _department("市公安局", "339900", 4),
    _department("市人力资源和社会保障局", "339900", 5, short_name="人社局"),
    _department("市民政局", "339900", 6),
    _department("市住房和城乡建设局", "339900", 7, short_name="住建局"),
    _department("市自然资源和规划局", "339900", 8, short_name="自然资源局"),
    _department("市城市管理局", "339900", 9, short_name="城管局"),
    _department("市卫生健康委员会", "339900", 10, short_name="卫健委"),
    _department("市生态环境局", "339900", 11),
    _department("市交通运输局", "339900", 12),
    _department("市应急管理局", "339900", 13),
    _department("12345热线中心", "339900", 14, kind="hotline", prefix="12", short_name="12345"),
    _department(
        "市政务服务中心", "339900", 15, kind="service_center", parent="市政务服务管理局", prefix="12"
    ),
    _department("明湖区政务服务中心", "339902", 16, kind="service_center", prefix="12"),
    _department("湖滨街道办事处", "339902001000", 17, kind="township_office"),
    _department("青山县政务服务中心", "339921", 18, kind="service_center", prefix="12"),
    _department("城关街道办事处", "339921001000", 19, kind="township_office"),
]

# The department the bootstrap creates directly, for the first administrator's post.
BOOTSTRAP_DEPARTMENT = "市大数据管理局"


def _square(west: float, south: float, size: float = 0.004) -> dict:
    """A closed GeoJSON Polygon ring (RFC 7946 §3.1.6), counter-clockwise, [lon, lat]."""
    east, north = round(west + size, 6), round(south + size, 6)
    ring = [[west, south], [east, south], [east, north], [west, north], [west, south]]
    return {"type": "Polygon", "coordinates": [ring]}


GRIDS = [
    {
        "code": "33990200100101",
        "name": "柳岸社区第一网格",
        "division": "339902001001",
        "department": "湖滨街道办事处",
        "boundary": _square(120.600, 29.400),
    },
    {
        "code": "33990200100102",
        "name": "柳岸社区第二网格",
        "division": "339902001001",
        "department": "湖滨街道办事处",
        "boundary": _square(120.604, 29.400),
    },
    {
        "code": "33990200100201",
        "name": "荷花社区第一网格",
        "division": "339902001002",
        "department": "湖滨街道办事处",
        "boundary": _square(120.600, 29.404),
    },
    {
        "code": "33990200200101",
        "name": "科创社区第一网格",
        "division": "339902002001",
        "department": "市城市管理局",
        "boundary": _square(120.620, 29.410),
    },
    {
        "code": "33992100100101",
        "name": "东门社区第一网格",
        "division": "339921001001",
        "department": "城关街道办事处",
        "boundary": _square(120.700, 29.300),
    },
]

# One account for every built-in role (accounts.rbac.BUILTIN_ROLES). The first is the
# bootstrap administrator: every later write is made by this account through the services.
OFFICIALS = [
    {
        "username": "sysadmin",
        "display_name": "陈晓东",
        "role": "sys_admin",
        "department": "市大数据管理局",
        "city_wide": True,
    },
    {
        "username": "deptadmin",
        "display_name": "王丽华",
        "role": "dept_admin",
        "department": "市市场监督管理局",
        "city_wide": False,
    },
    {
        "username": "clerk",
        "display_name": "刘芳",
        "role": "window_clerk",
        "department": "市政务服务中心",
        "city_wide": False,
    },
    {
        "username": "approver",
        "display_name": "孙伟",
        "role": "approver",
        "department": "市市场监督管理局",
        "city_wide": False,
    },
    {
        "username": "hotline",
        "display_name": "李静",
        "role": "hotline_agent",
        "department": "12345热线中心",
        "city_wide": False,
    },
    {
        "username": "handler",
        "display_name": "张强",
        "role": "handler",
        "department": "市城市管理局",
        "city_wide": False,
    },
    {
        "username": "dataadmin",
        "display_name": "杨帆",
        "role": "data_admin",
        "department": "市大数据管理局",
        "city_wide": False,
    },
    {
        "username": "supervisor",
        "display_name": "赵敏",
        "role": "supervisor",
        "department": "市政务服务管理局",
        "city_wide": True,
    },
    {
        "username": "leader",
        "display_name": "黄志远",
        "role": "leader",
        "department": "市政务服务管理局",
        "city_wide": True,
    },
    {
        "username": "servicemgr",
        "display_name": "周宁",
        "role": "service_manager",
        "department": "市政务服务管理局",
        "city_wide": True,
    },
]

# 339902 明湖区, born 1990-03-07, sequence 031 (odd: male, GB 11643 §5.3).
CITIZEN = {
    "username": "citizen",
    "display_name": "张明",
    "id_number": id_number("33990219900307031"),
    "phone": "13900000001",
    "email": "zhangming@example.com",
}

ENTERPRISE = {
    "username": "enterprise",
    "name": "示范市云帆科技有限公司",
    "uscc": uscc("91", "339902", "MA2D0001"),
    "legal_representative": "李华",
    "phone": "13900000002",
}
