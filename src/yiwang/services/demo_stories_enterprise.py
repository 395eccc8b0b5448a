"""The demo enterprise 示范市云帆科技有限公司's applications, over the last four weeks, beside
its café (demo_stories_cafe.py).

Its agent (经办人) 张明 applied for the new R&D building's 建设工程规划许可 (并联审批: 自然资源局
agreed, 住建局 has yet to). Its pool's 公共场所卫生许可 was granted, the decision mailed with a
tracking number and rated 5; an employee's 生育津贴 waits for 人社局's decision; the data
centre's 排污许可 is 预警; a 危险化学品经营许可 was not accepted (using solvents is not trading
them); a retirement it applied for on an employee's behalf was withdrawn.
"""

from __future__ import annotations

from datetime import date, timedelta

from yiwang.services.demo_people import (
    CITIZEN_PHONE,
    EMPLOYEE_MOTHER,
    EMPLOYEE_MOTHER_ID,
    ENTERPRISE_CONTACT,
    ENTERPRISE_CONTACT_PHONE,
    LEGAL_REPRESENTATIVE,
    PARK,
    doc,
    enterprise_application_form,
    enterprise_license_holder_id,
)
from yiwang.services.demo_script import Cast, Materials, Script
from yiwang.services.demo_stories_cafe import cafe_stories

ENTERPRISE_MAIL = f"浙江省{PARK}2幢1201室 {ENTERPRISE_CONTACT} 收"


def enterprise_stories(cast: Cast, days: list[date]) -> None:
    today = days[0]
    cafe_stories(cast)
    _pool_hygiene(cast)
    _rnd_building(cast)
    _maternity(cast, today)
    _generator_permit(cast)
    _chemicals(cast)
    _retirement(cast, today)


def _pool_hygiene(cast: Cast) -> None:
    """准予 with a signed decision document, mailed with a tracking number, rated 5."""
    form = {
        "place_name": "云帆健身游泳馆",
        "premises": f"{PARK}1幢2层",
        "place_category": "游泳场所",
        "operating_area": "1260",
        "legal_representative": LEGAL_REPRESENTATIVE,
        "contact_phone": ENTERPRISE_CONTACT_PHONE,
    }
    materials = Materials(
        upload={
            "application_form": enterprise_application_form("公共场所卫生许可", "场所名称：云帆健身游泳馆"),
            "id_card": enterprise_license_holder_id(),
            "hygiene_report": doc(
                "公共场所卫生检测报告",
                "检测机构：示范市疾病预防控制中心",
                "游泳池水：游离性余氯0.5mg/L，浑浊度0.3NTU，尿素2.1mg/L，均符合GB 37488-2019。",
            ),
            "site_plan": doc(
                "场所平面图及卫生设施布局图", "更衣室、淋浴室、强制通过式浸脚消毒池、水质循环净化消毒设备间。"
            ),
            "hygiene_rules": doc(
                "卫生管理制度",
                "一、从业人员健康管理制度；二、池水水质检测与消毒制度；三、公共用品清洗消毒制度。",
            ),
        }
    )
    (
        Script(cast, "pool-hygiene", "public_place_hygiene_license", applicant="enterprise")
        .draft((17, "13:40"), form, materials, delivery="mail", address=ENTERPRISE_MAIL)
        .submit((17, "14:00"))
        .pre_review((16, "09:30"))
        .accept((16, "10:00"))
        .review(
            (14, "15:00"),
            "approver_health",
            "现场核查：池水循环净化消毒设施运行正常，池水余氯、浑浊度、尿素等指标合格，从业人员持有效健康证明。",
        )
        .decide((13, "10:00"), "approver_health", "准予行政许可，公共场所卫生许可有效期四年。")
        .deliver((12, "14:30"), "SF1402385677193（顺丰速运）")
        .rate((10, "19:00"), 5, "网上提交材料，现场核查一次通过，许可决定书直接寄到公司，很方便。")
    )


def _rnd_building(cast: Cast) -> None:
    """By the enterprise's 经办人 张明; 并联审批 mid-way: the lead department agreed."""
    form = {
        "project_name": "云帆科技研发中心（3号楼）新建工程",
        "project_code": "2026-339902-65-01-104527",
        "project_address": f"{PARK}3号地块",
        "building_area": "18650",
        "land_certificate_number": "浙（2025）示范市不动产权第0031876号",
        "design_unit": "示范市建筑设计研究院有限公司",
        "contact_name": "张明",
        "contact_phone": CITIZEN_PHONE,
    }
    materials = Materials(
        upload={
            "application_form": enterprise_application_form(
                "建设工程规划许可证", "项目名称：云帆科技研发中心（3号楼）新建工程"
            ),
            "land_use_proof": doc(
                "不动产权证书（土地）", "浙（2025）示范市不动产权第0031876号；用途：科研用地。"
            ),
            "project_approval": doc("企业投资项目备案通知书", "项目代码：2026-339902-65-01-104527"),
            "design_scheme": doc(
                "建设工程设计方案", "总建筑面积18650平方米，地上9层，建筑高度39.6米，容积率1.8。"
            ),
            "power_of_attorney": doc(
                "授权委托书",
                "委托人：示范市云帆科技有限公司（盖章）　法定代表人：李华",
                "受托人：张明　委托事项：建设工程规划许可证申请",
            ),
        }
    )
    (
        Script(cast, "rnd-building", "construction_planning_permit", applicant="enterprise", by="citizen")
        .draft((5, "15:30"), form, materials)
        .submit((5, "16:00"))
        .pre_review((4, "09:20"))
        .accept((4, "09:50"))
        .review(
            (2, "15:30"),
            "approver_land",
            "设计方案符合控制性详细规划和规划条件（容积率1.8、建筑限高45米、绿地率25%），同意。",
        )
    )


def _maternity(cast: Cast, today: date) -> None:
    """单位代办 for an employee: reviewed, 待决定 at 人社局."""
    form = {
        "mother_name": EMPLOYEE_MOTHER,
        "mother_id_number": EMPLOYEE_MOTHER_ID,
        "newborn_birth_date": (today - timedelta(days=58)).isoformat(),
        "delivery_kind": "难产（剖宫产）",
        "employer_name": "示范市云帆科技有限公司",
        "bank_account": "6222021202004567893",
        "contact_phone": ENTERPRISE_CONTACT_PHONE,
    }
    materials = Materials(
        upload={
            "id_card": doc(
                f"{EMPLOYEE_MOTHER}居民身份证（正反面）", f"姓名：{EMPLOYEE_MOTHER}　性别：女　民族：汉"
            ),
            "birth_certificate": doc(
                "出生医学证明", f"母亲姓名：{EMPLOYEE_MOTHER}　签发机构：示范市妇幼保健院"
            ),
            "discharge_summary": doc("出院记录", "入院诊断：孕39周，头盆不称；手术名称：子宫下段剖宫产术。"),
            "bank_card": doc(
                "社会保障卡（金融账户）", f"持卡人：{EMPLOYEE_MOTHER}　银行账号：6222 0212 0200 4567 893"
            ),
        }
    )
    (
        Script(cast, "maternity", "maternity_allowance", applicant="enterprise")
        .draft((3, "10:00"), form, materials)
        .submit((3, "10:20"))
        .pre_review((2, "09:10"))
        .accept((2, "09:40"))
        .review(
            (1, "11:00"),
            "approver_hrss",
            f"{EMPLOYEE_MOTHER}连续参保缴费满12个月；剖宫产增加产假15天，生育津贴按用人单位上年度职工月平均工资计发113天。",
        )
    )


def _generator_permit(cast: Cast) -> None:
    """Accepted nine working days ago with a ten-day limit: 预警 on the supervision page."""
    form = {
        "industry": "软件和信息技术服务业（配套数据中心备用柴油发电机组）",
        "premises": f"{PARK}2幢",
        "management_category": "简化管理",
        "main_pollutants": "颗粒物、氮氧化物、二氧化硫",
        "outlet_count": "2",
        "contact_phone": ENTERPRISE_CONTACT_PHONE,
    }
    materials = Materials(
        upload={
            "application_form": enterprise_application_form(
                "排污许可证", "排放口：备用柴油发电机组排气筒2个"
            ),
            "eia_approval": doc("建设项目环境影响登记表备案回执", "备案号：202633990200000158"),
            "monitoring_plan": doc("自行监测方案", "排气筒颗粒物、氮氧化物、二氧化硫每年监测一次。"),
            "compliance_commitment": doc("守法承诺书", "本单位承诺按证排污，如实记录和报告排污信息。"),
        }
    )
    (
        Script(cast, "generator-permit", "pollutant_discharge_permit", applicant="enterprise")
        .draft((10, "14:20"), form, materials)
        .submit((10, "15:00"))
        .pre_review((9, "09:15"))
        .accept((9, "09:40"))
    )


def _chemicals(cast: Cast) -> None:
    """不予受理 at 预审: using solvents is not trading in them (危险化学品安全管理条例 §33)."""
    form = {
        "premises": f"{PARK}2幢B1层",
        "storage": "不带有储存设施经营",
        "chemical_list": "无水乙醇（500毫升×20瓶）、异丙醇（500毫升×10瓶），用于数据中心服务器设备清洁",
        "principal_name": LEGAL_REPRESENTATIVE,
        "contact_phone": ENTERPRISE_CONTACT_PHONE,
    }
    materials = Materials(
        upload={
            code: doc(title, "见附件。")
            for code, title in (
                ("application_form", "危险化学品经营许可证申请书"),
                ("premises_proof", "经营场所产权证明"),
                ("safety_certificates", "主要负责人安全生产知识和管理能力考核合格证"),
                ("safety_rules", "安全生产规章制度和岗位操作规程"),
                ("emergency_plan", "生产安全事故应急预案"),
            )
        }
    )
    (
        Script(cast, "chemicals", "hazardous_chemicals_license", applicant="enterprise")
        .draft((6, "15:50"), form, materials)
        .submit((6, "16:20"))
        .not_accept(
            (5, "10:15"),
            "经核实，贵单位购买无水乙醇、异丙醇仅用于本单位数据中心设备清洁，属于危险化学品使用行为，"
            "不属于危险化学品经营活动，依法无需申请危险化学品经营许可证。请按《危险化学品安全管理条例》"
            "有关规定做好使用环节的安全管理。",
        )
    )


def _retirement(cast: Cast, today: date) -> None:
    """单位代办 for an employee, withdrawn before 预审."""
    in_two_months = (today.replace(day=1) + timedelta(days=62)).replace(day=1)
    form = {
        "applicant_role": "单位代办",
        "retirement_kind": "正常退休",
        "retirement_date": in_two_months.isoformat(),
        "employer_name": "示范市云帆科技有限公司",
        "bank_account": "6227001234567890123",
        "contact_phone": ENTERPRISE_CONTACT_PHONE,
    }
    materials = Materials(
        upload={
            "id_card": doc("刘建平居民身份证（正反面）", "姓名：刘建平　性别：男　民族：汉"),
            "retirement_form": doc(
                "职工退休申报表", "职工姓名：刘建平　参加工作时间：1986年7月　退休类别：正常退休"
            ),
            "personnel_file": doc("职工人事档案（扫描件）", "含招工审批表、工资变动表、历年劳动合同。"),
            "bank_card": doc("社会保障卡（金融账户）", "持卡人：刘建平　银行账号：6227 0012 3456 7890 123"),
        }
    )
    (
        Script(cast, "retirement", "retirement_pension", applicant="enterprise")
        .draft((4, "13:30"), form, materials)
        .submit((4, "14:00"))
        .withdraw(
            (3, "09:05"),
            "经与职工刘建平本人核实，其选择弹性延迟退休，撤回本次申请，待确定退休时间后重新申报。",
        )
    )
