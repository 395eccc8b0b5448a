"""受理回执: the written proof of 受理 the applicant keeps (行政许可法 §32: 受理 is notified in
writing, with the date; STANDARDS §4: 承诺办结时限). It names the application, the item and
the version applied under, the applicant (masked), every material and how it was received —
uploaded, 免提交 and by what, or 容缺后补 — the promised limit and the promised date, the
accepting department, and carries the QR code of the window rating (一次一评, STANDARDS §5).
"""

from __future__ import annotations

from django.conf import settings
from django.utils import timezone

from yiwang.core.personal_data import mask_id_number
from yiwang.services.documents_pdf import Sheet
from yiwang.services.documents_store import attach_generated_pdf
from yiwang.services.models import LimitUnit, MaterialSource
from yiwang.services.rating_tokens import make_token

SOURCE_TEXT = {
    MaterialSource.UPLOADED: "已提交（网上上传）",
    MaterialSource.REUSED: "已提交（我的材料复用）",
    MaterialSource.WINDOW: "已提交（窗口收取纸质件）",
    MaterialSource.PROMISED: "容缺后补",
    MaterialSource.MISSING: "未提交",
}
FREE = (MaterialSource.LICENSE, MaterialSource.SHARED)


def rating_url(application) -> str:
    """The window rating page of this application (helper pages: /services/rate/<token>/).
    Absolute when the site's origin is known (the first of YIWANG_CSRF_TRUSTED_ORIGINS, which a
    deployment behind https sets), so a phone can open it from the printed code."""
    path = f"/services/rate/{make_token(application)}/"
    origins = [
        o for o in getattr(settings, "CSRF_TRUSTED_ORIGINS", []) if o.startswith(("https://", "http://"))
    ]
    return origins[0].rstrip("/") + path if origins else path


def applicant_code_masked(applicant) -> tuple[str, str]:
    """(label, masked code): 公民身份号码 of a person, 统一社会信用代码 of an enterprise."""
    if applicant.kind == "enterprise":
        return "统一社会信用代码", mask_id_number(applicant.uscc or "")
    return "公民身份号码", mask_id_number(applicant.id_number)


def limit_text(version) -> str:
    if not version.promised_limit:
        return "即办（当场办结）"
    return f"{version.promised_limit}个{LimitUnit(version.promised_limit_unit).label}"


def cn_datetime(moment) -> str:
    local = timezone.localtime(moment)
    return f"{local.year}年{local.month}月{local.day}日 {local:%H:%M}"


def cn_date(moment) -> str:
    local = timezone.localtime(moment)
    return f"{local.year}年{local.month}月{local.day}日"


def material_status(material) -> str:
    if material.source in FREE:
        return f"免提交：{material.provided_by or material.get_source_display()}"
    return SOURCE_TEXT.get(material.source, material.get_source_display())


def receipt_pdf(application, *, accepted_by, acceptance_department) -> bytes:
    version = application.item_version
    code_label, code = applicant_code_masked(application.applicant)
    sheet = Sheet(
        title="受理回执",
        author=acceptance_department.name,
        subject="受理回执",
        keywords=application.number,
    )
    sheet.text(f"办件编号：{application.number}", "subtitle", space=10)
    sheet.text(
        f"{application.applicant.display_name}：\n"
        f"你（单位）于{cn_datetime(application.submitted_at or application.created_at)}提交的"
        f"“{version.name}”申请，经审查，申请材料符合受理条件，本机关于{cn_datetime(application.accepted_at)}"
        "予以受理。",
        "indent",
    )
    due = cn_date(application.due_at) if application.due_at else "—"
    sheet.facts(
        [
            ("办件编号", application.number),
            ("事项名称", f"{version.name}（第{version.number}版）"),
            ("实施编码", application.item.implementation_code),
            ("申请人", application.applicant.display_name),
            (code_label, code),
            ("受理部门", acceptance_department.name),
            ("实施部门", application.department.name),
            ("受理人", accepted_by.display_name if accepted_by is not None else "—"),
            ("受理时间", cn_datetime(application.accepted_at)),
            ("承诺办结时限", limit_text(version)),
            ("承诺办结期限", due),
        ]
    )
    rows = [["序号", "材料名称", "收取情况"]]
    for position, material in enumerate(application.materials.all(), start=1):
        rows.append(
            [
                str(position),
                material.name + ("" if material.required else "（非必要）"),
                material_status(material),
            ]
        )
    sheet.text("申请材料", space=2).table(rows, [0.1, 0.5, 0.4])
    if application.deficiency_note:
        sheet.text(f"容缺受理说明：{application.deficiency_note}", space=8)
    sheet.text(
        "承诺办结期限自受理之日起计算；一次性告知补正、听证、检验检测等所需时间不计算在内。"
        "请凭办件编号查询办理进度。",
        "note",
        space=10,
    )
    sheet.qr(rating_url(application), "请扫码对本次窗口服务进行评价（一次一评）。")
    sheet.text(f"{acceptance_department.name}\n{cn_date(application.accepted_at)}", "right")
    return sheet.render()


def receipt_attach(*, actor, application, acceptance_department):
    """Make the receipt of an application just accepted and attach it (owner: the application)."""
    data = receipt_pdf(application, accepted_by=actor, acceptance_department=acceptance_department)
    return attach_generated_pdf(
        actor=actor, application=application, name=f"受理回执-{application.number}.pdf", data=data
    )
