"""新生儿出生一件事, applied for by 张明 one evening: one merged form, the 出生医学证明 and the
户口簿 免提交 from his licences, one upload per material; submitted once, it fans out to 公安局
(出生登记, reviewed and waiting for the decision), 人社局's 医保 (a 即办件, decided at the window:
the child already approved, and rated) and 人社局's 生育津贴 (in review, signed for).

The newborn is the child of the citizen's 出生医学证明 in the licence demo: its name, sex, date
of birth, mother and certificate number are taken from that demo's data (licenses/
demo_catalogue.holdings), so the form and the 免提交 licence agree.
"""

from __future__ import annotations

import re
from datetime import date

from yiwang.licenses.demo_catalogue import holdings
from yiwang.services.demo_people import CITIZEN_PHONE, PARTNER_ID, doc
from yiwang.services.demo_script import TOKEN_PREFIX, Cast, Materials, Script
from yiwang.services.models import Application, Bundle, BundleApplication
from yiwang.services.services.bundle_applying import (
    bundle_application_create,
    bundle_application_save,
    bundle_material_upload,
)
from yiwang.services.services.bundle_submitting import bundle_application_submit

BORN = re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日")


def _child(cast: Cast, today: date) -> dict:
    """The child of the citizen's 出生医学证明, as the licence demo issued it."""
    enterprise, citizen = cast["enterprise"], cast["citizen"]
    certificate = next(
        holding
        for holding in holdings(
            today,
            enterprise_name=enterprise.display_name,
            enterprise_uscc=enterprise.uscc,
            citizen_name=citizen.display_name,
        )
        if holding.type_name == "出生医学证明"
    )
    data, born = certificate.data, BORN.search(certificate.data["born_at"])
    return {
        "name": data["newborn_name"],
        "sex": data["sex"],
        "born": date(*map(int, born.groups())).isoformat(),
        "certificate": certificate.number,
        "mother": data["mother_name"],
    }


class BundleScript:
    """One 一件事 application: drafted, filled and submitted as one; `child(item)` is the
    Script of one of its item applications, for the departments' moves."""

    def __init__(self, cast: Cast, key: str, bundle_code: str, *, applicant: str):
        self.cast, self.key, self.applicant = cast, key, cast[applicant]
        self.bundle_code = bundle_code
        self.bundle_application_id: int | None = None

    def _fresh(self) -> BundleApplication:
        return BundleApplication.objects.get(pk=self.bundle_application_id)

    def draft(self, when, form: dict, materials: Materials) -> BundleScript:
        def do():
            bundle = Bundle.objects.get(code=self.bundle_code)
            created = bundle_application_create(actor=self.applicant, bundle=bundle)
            self.bundle_application_id = created.pk
            bundle_application_save(
                actor=self.applicant, bundle_application=created, form=form, expected_version=created.version
            )
            for code, make in materials.upload.items():
                bundle_material_upload(
                    actor=self.applicant, bundle_application=self._fresh(), code=code, upload=make()
                )

        self.cast.timeline.add(when, f"{self.key}：填写一件事申请", do)
        return self

    def submit(self, when) -> BundleScript:
        self.cast.timeline.add(
            when,
            f"{self.key}：提交一件事",
            lambda: bundle_application_submit(
                actor=self.applicant, bundle_application=self._fresh(), client_token=TOKEN_PREFIX + self.key
            ),
        )
        return self

    def child(self, item: str) -> Script:
        script = Script(self.cast, f"{self.key}/{item}", item, applicant=self.applicant.username)
        script.resolve = lambda: (
            Application.objects.get(
                bundle_application_id=self.bundle_application_id, item=self.cast.item(item)
            ).pk
        )
        return script


def bundle_stories(cast: Cast, days: list[date]) -> None:
    child = _child(cast, days[0])
    form = {
        "newborn_name": child["name"],
        "newborn_sex": child["sex"],
        "newborn_birth_date": child["born"],
        "birth_certificate_number": child["certificate"],
        "settle_with": "随父落户",
        "mother_name": child["mother"],
        "mother_id_number": PARTNER_ID,
        "delivery_kind": "顺产",
        "employer_name": "示范市湖滨实验小学",
        "bank_account": "6228480388098765432",
        "contact_phone": CITIZEN_PHONE,
    }
    parents = doc(
        "父母居民身份证（正反面）", "父亲：张明　母亲：王芳", "住址：浙江省示范市明湖区湖滨街道柳岸路36号"
    )
    materials = Materials(
        upload={
            "parents_id_card": parents,
            "id_card": doc(
                f"{child['mother']}居民身份证（正反面）", f"姓名：{child['mother']}　性别：女　民族：汉"
            ),
            "discharge_summary": doc("出院记录", "产妇：王芳；分娩方式：自然分娩；新生儿Apgar评分10分。"),
            "bank_card": doc(
                "社会保障卡（金融账户）", f"持卡人：{child['mother']}　银行账号：6228 4803 8809 8765 432"
            ),
        }
    )
    newborn = BundleScript(cast, "newborn", "newborn", applicant="citizen")
    newborn.draft((3, "20:10"), form, materials).submit((3, "20:30"))
    (
        newborn.child("newborn_household_registration")
        .pre_review((2, "09:20"))
        .accept((2, "09:40"))
        .review(
            (1, "10:30"),
            "approver_police",
            "出生医学证明、父母身份信息经核验无误，申请随父落户至父亲户籍地址，符合出生登记条件。",
        )
    )
    (
        newborn.child("newborn_medical_insurance")
        .pre_review((2, "09:25"))
        .decide_now((2, "09:50"), "新生儿城乡居民基本医疗保险参保登记已办结，自出生之日起享受医保待遇。")
        .rate((2, "20:00"), 5, "一张表同时办三件事，宝宝医保当场就参保了，不用来回跑。")
    )
    (
        newborn.child("maternity_allowance")
        .pre_review((2, "09:30"))
        .accept((2, "09:45"))
        .claim((1, "14:00"), "approver_hrss", "review")
    )
