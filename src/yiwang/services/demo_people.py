"""The people, places and papers the demo applications name. Invented, valid in structure
(身份证号 with their GB 11643 check character, the city's 0589 area), and consistent with the
licence demo: 张明 lives at 柳岸路36号 (licenses/demo_catalogue.HOME), 示范市云帆科技有限公司 sits
at 科创路88号2幢 (ENTERPRISE_ADDRESS) and its legal representative is 李华.
"""

from __future__ import annotations

from collections.abc import Callable

from yiwang.core.demo import city
from yiwang.licenses.demo_catalogue import ENTERPRISE_ADDRESS, HOME
from yiwang.services.demo_files import pdf_upload, photo_upload

CITIZEN_PHONE = city.CITIZEN["phone"]
HOME_ADDRESS = f"浙江省{HOME}"
ENTERPRISE_CONTACT, ENTERPRISE_CONTACT_PHONE = "陈思雨", "13900000012"
LEGAL_REPRESENTATIVE = "李华"
# 王芳: 张明's partner, the newborn's mother (licence demo's 出生医学证明); born 1992-08-15, female.
PARTNER_NAME, PARTNER_ID = "王芳", city.id_number("33990219920815042")
# 张德厚: 张明's grandfather, born 1944-03-16, male (高龄津贴).
ELDER_NAME, ELDER_ID = "张德厚", city.id_number("33990219440316013")
# 陈静: an employee of the enterprise, born 1994-07-21, female (生育津贴, 单位代办).
EMPLOYEE_MOTHER, EMPLOYEE_MOTHER_ID = "陈静", city.id_number("33990219940721028")
# 云帆·拾光咖啡: the café the enterprise opens in its park (店招, 食品经营许可, 排水许可).
CAFE = "示范市明湖区新城街道科创路88号1幢1层103室"
PARK = "示范市明湖区新城街道科创路88号"


def doc(title: str, *lines: str) -> Callable:
    """An upload made when the move happens: a one-page PDF (demo_files)."""
    return lambda: pdf_upload(title, lines)


def photo(name: str, *, people: int = 1, red: bool = False) -> Callable:
    return lambda: photo_upload(name, people=people, background=(204, 32, 38) if red else (255, 255, 255))


def citizen_id_card() -> Callable:
    return doc(
        f"{city.CITIZEN['display_name']}居民身份证（正反面）",
        f"姓名：{city.CITIZEN['display_name']}　性别：男　民族：汉",
        f"住址：{HOME_ADDRESS}",
        "签发机关：示范市公安局明湖分局　有效期限：2016.09.05—2036.09.05",
    )


def enterprise_license_holder_id() -> Callable:
    return doc(
        f"法定代表人{LEGAL_REPRESENTATIVE}居民身份证（正反面）",
        f"姓名：{LEGAL_REPRESENTATIVE}　性别：男　民族：汉",
        f"住址：浙江省{PARK}6幢502室",
    )


def enterprise_application_form(item_name: str, *facts: str) -> Callable:
    return doc(
        f"{item_name}申请书",
        "申请单位：示范市云帆科技有限公司",
        f"住所：{ENTERPRISE_ADDRESS}",
        f"法定代表人：{LEGAL_REPRESENTATIVE}　联系人：{ENTERPRISE_CONTACT}（{ENTERPRISE_CONTACT_PHONE}）",
        *facts,
        "本单位承诺所提交材料真实有效，并对其真实性负责。（申请单位盖章）",
    )
