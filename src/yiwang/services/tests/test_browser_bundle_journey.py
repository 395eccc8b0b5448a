"""Browser test of issue 5's journey (Playwright driving Debian's Chromium): on a phone, a
citizen finds 新生儿出生一件事 by searching in Chinese, applies once — 出生医学证明 is 免提交 (a
licence the citizen holds), 户口簿 is taken from 我的材料 (uploaded for an earlier
application), the 参保登记表 is uploaded — and gets the bundle's number; the window asks for one
correction (一次性告知), the citizen resubmits; the window accepts both items and the two
departments' approvers decide in parallel; the citizen downloads the decision document, rates
it 差评, and the rated department sees its 差评整改 with the deadline 15 working days later."""

from __future__ import annotations

import re
import uuid
from io import BytesIO

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect
from pypdf import PdfReader

from yiwang.core.tests import factories
from yiwang.core.workcal.clock import add_working_days
from yiwang.licenses.services.issuing import license_issue
from yiwang.licenses.services.keys import signing_key_generate
from yiwang.licenses.services.types import license_type_create
from yiwang.services.models import BundleApplication, Rectification
from yiwang.services.search import index_bundle, index_item
from yiwang.services.services.applying import application_draft_create
from yiwang.services.services.applying_materials import application_material_upload
from yiwang.services.services.applying_submit import application_save_and_submit
from yiwang.services.tests import browser_fixtures
from yiwang.services.tests.browser_fixtures import (  # noqa: F401 (fixtures, used by name)
    _allow_sync_orm_beside_playwright,
    act,
    audit_flushable_here,
    browser_context_args,
    browser_type_launch_args,
    fits_the_phone,
    log_in,
    open_application,
    pdf_file,
    playwright,
    said,
)
from yiwang.services.tests.factories import (
    create_bundle,
    create_item,
    create_service_city,
    department_with_uscc,
    pdf_upload,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
site = browser_fixtures.site  # the fixture, used by name

NEWBORN_FIELDS = [
    {"code": "newborn_name", "label": "新生儿姓名", "type": "text", "required": True},
    {"code": "contact_phone", "label": "联系电话", "type": "phone", "required": True},
]
BIRTH_CERTIFICATE = {"code": "birth_certificate", "name": "出生医学证明", "required": True, "is_key": True}
HOUSEHOLD_REGISTER = {"code": "household_register", "name": "户口簿", "required": True, "is_key": True}
ENROLMENT_FORM = {"code": "enrolment_form", "name": "参保登记表", "required": True, "is_key": True}
PROBLEM = "户口簿缺少户主页，请上传含户主页的完整户口簿"


def a_department(city, name: str, short: str):
    """An implementing department with its 部门管理员 (signs its decisions) and 审批员."""
    department = department_with_uscc(name, city.city)
    admin = factories.create_official(department=department, role="dept_admin", display_name=f"{short}管理员")
    signing_key_generate(actor=admin, department=department)
    approver = factories.create_official(
        department=department, role="approver", display_name=f"{short}审批员"
    )
    return department, admin, approver


def newborn_city():
    """The city, a 出生医学证明 the citizen holds, an earlier application that put 户口簿 in
    我的材料, and 新生儿出生一件事: 新生儿入户登记 (公安) + 新生儿医保参保登记 (医保), both accepted
    at the hall's 综合窗口, indexed for the portal search."""
    city = create_service_city()
    health, health_admin, _ = a_department(city, "市卫生健康委员会", "卫健")
    city.police, city.police_admin, city.police_approver = a_department(city, "市公安局", "公安")
    city.medical, _, city.medical_approver = a_department(city, "市医疗保障局", "医保")
    birth = license_type_create(
        actor=city.sys_admin,
        code=f"{health.uscc}003",
        name="出生医学证明",
        holder_kind="citizen",
        defining_department=health,
        issuers=[health],
        fields=[{"name": "newborn", "label": "新生儿姓名", "type": "text", "required": True}],
        validity={"long_term": True},
    )
    city.birth_certificate = license_issue(
        actor=health_admin,
        license_type=birth,
        holder=city.citizen,
        number="Q330100123",
        data={"newborn": "张小明"},
    )
    common = {
        "subjects": ("citizen",),
        "item_type": "public_service",
        "acceptance_department": city.hall,
        "life_events": ("birth",),
        "delivery_methods": ("electronic", "window"),
        "license_codes": {"<birth>": birth.code},
    }
    certificate = {**BIRTH_CERTIFICATE, "license_type": "<birth>"}
    city.registration = create_item(
        department=city.police,
        name="新生儿入户登记",
        keywords="报户口 出生登记",
        form_fields=[
            *NEWBORN_FIELDS,
            {"code": "household_head", "label": "户主姓名", "type": "text", "required": True},
        ],
        materials=[certificate, HOUSEHOLD_REGISTER],
        **common,
    )
    city.insurance = create_item(
        department=city.medical,
        name="新生儿城乡居民医保参保登记",
        keywords="医保 参保",
        form_fields=NEWBORN_FIELDS,
        materials=[certificate, ENROLMENT_FORM],
        **common,
    )
    earlier = create_item(
        department=city.police,
        name="户籍证明开具",
        form_fields=NEWBORN_FIELDS[1:],
        materials=[HOUSEHOLD_REGISTER],
        **common,
    )
    draft = application_draft_create(actor=city.citizen, item=earlier)
    application_material_upload(
        actor=city.citizen,
        application=draft,
        code="household_register",
        upload=pdf_upload("户口簿.pdf", "earlier"),
    )
    draft.refresh_from_db()
    application_save_and_submit(
        actor=city.citizen,
        application=draft,
        form={"contact_phone": "13800138000"},
        delivery_method="electronic",
        delivery_address="",
        expected_version=draft.version,
        client_token=uuid.uuid4().hex,
    )
    city.bundle = create_bundle(
        city,
        [city.registration, city.insurance],
        code="newborn",
        name="新生儿出生一件事",
        life_event="birth",
        subject="citizen",
        lead_department=city.police,
        description="出生医学证明、落户、医保参保，一次申请",
    )
    for item in (city.registration, city.insurance, earlier):
        index_item(item)
    index_bundle(city.bundle)
    return city


def citizen_applies(page: Page, city) -> str:
    """Search, open the bundle, apply once; returns the bundle's number."""
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="办事大厅").click()
    expect(page.get_by_role("heading", name="一网通办 · 政务服务", level=1)).to_be_visible()
    page.get_by_label("搜索事项").fill("新生儿")
    page.get_by_label("搜索事项").press("Enter")
    expect(page.get_by_role("status")).to_contain_text("找到与“新生儿”相关的")
    fits_the_phone(page)
    page.get_by_role("link", name="新生儿出生一件事").click()
    expect(page.get_by_role("heading", name="新生儿出生一件事", level=1)).to_be_visible()
    expect(page.locator("#materials-h + p + .table-wrap")).to_contain_text("可由电子证照免提交")
    fits_the_phone(page)
    page.get_by_role("button", name="一次申请").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("草稿")

    certificate = page.locator("#material-birth_certificate")
    expect(certificate.locator(".badge")).to_have_text("免提交")
    expect(certificate.locator(".help")).to_contain_text(
        f"已由电子证照“出生医学证明”（{city.birth_certificate.identifier}）免提交"
    )
    expect(certificate.get_by_label("上传文件")).to_have_count(0)  # nothing to upload
    register = page.locator("#material-household_register")
    expect(register.get_by_label("从我的材料选用")).to_contain_text("户口簿.pdf")
    register.get_by_role("button", name="选用", exact=True).click()
    expect(said(page)).to_contain_text("材料已提交")
    expect(page.locator("#material-household_register")).to_contain_text("户口簿.pdf")
    enrolment = page.locator("#material-enrolment_form")
    enrolment.get_by_label("上传文件").set_input_files(pdf_file("参保登记表.pdf"))
    enrolment.get_by_role("button", name="上传", exact=True).click()
    expect(page.locator("#material-enrolment_form")).to_contain_text("参保登记表.pdf")
    fits_the_phone(page)

    expect(page.get_by_label("新生儿姓名")).to_have_count(1)  # 共同信息: asked once
    page.get_by_label("新生儿姓名").fill("张小明")
    page.get_by_label("联系电话").fill("13800138000")
    page.get_by_label("户主姓名").fill("张明")
    page.get_by_role("button", name="一次提交").click()
    expect(said(page)).to_contain_text("已提交，编号 YJS")
    number = page.locator("dl.facts dd").first.inner_text()
    assert re.fullmatch(r"YJS\d{11}", number)
    fits_the_phone(page)
    return number


def test_a_citizen_applies_for_a_bundle_corrects_it_gets_the_results_and_rates_it(site, browser: Browser):
    city = newborn_city()

    phone = log_in(browser, site, city.citizen, phone=True)
    bundle_number = citizen_applies(phone, city)
    bundle_application = BundleApplication.objects.get(number=bundle_number)
    children = {a.item_id: a for a in bundle_application.applications.all()}
    registration, insurance = children[city.registration.pk], children[city.insurance.pk]

    # The window: 预审 passed, then one 一次性告知 on the 户口簿 of 新生儿入户登记.
    clerk = log_in(browser, site, city.clerk)
    open_application(clerk, registration)
    act(clerk, "预审通过", done="已预审通过")
    correction = clerk.locator("form", has=clerk.get_by_role("button", name="发出一次性告知"))
    register = correction.locator("fieldset", has_text="户口簿")
    register.get_by_label("需补正").check()
    register.get_by_label("补正要求").fill(PROBLEM)
    act(clerk, "发出一次性告知", done="已发出一次性告知")

    # The citizen sees 待补正 with the problem, uploads a new 户口簿 and resubmits.
    phone.goto(f"/me/bundles/{bundle_application.pk}/")
    expect(phone.get_by_role("heading", level=1)).to_contain_text("待补正")
    phone.get_by_role("link", name="新生儿入户登记").click()
    expect(phone.get_by_role("heading", level=1)).to_contain_text("待补正")
    register = phone.locator("#material-household_register")
    expect(register).to_contain_text(f"补正要求：{PROBLEM}")
    register.get_by_label("上传文件").set_input_files(pdf_file("户口簿（含户主页）.pdf", "corrected"))
    register.get_by_role("button", name="上传", exact=True).click()
    expect(phone.locator("#material-household_register")).to_contain_text("户口簿（含户主页）.pdf")
    fits_the_phone(phone)
    phone.get_by_role("button", name="提交补正材料").click()
    expect(said(phone)).to_contain_text("补正材料已提交")
    expect(phone.get_by_role("heading", level=1)).to_contain_text("待受理")

    # The window accepts both items: 新生儿入户登记 is back at 受理 (where 补正 was asked),
    # 新生儿城乡居民医保参保登记 still at 预审.
    open_application(clerk, registration)
    act(clerk, "受理并出具受理回执", done="已受理")
    open_application(clerk, insurance)
    act(clerk, "预审通过", done="已预审通过")
    act(clerk, "受理并出具受理回执", done="已受理")
    clerk.context.close()

    # Two departments in parallel: each approver has theirs (and only theirs) before either
    # decides, reviews, then decides 准予.
    police = log_in(browser, site, city.police_approver)
    medical = log_in(browser, site, city.medical_approver)
    for page, mine, other in ((police, registration, insurance), (medical, insurance, registration)):
        page.goto("/workbench/services/applications/?box=review")
        expect(page.get_by_role("link", name=mine.number)).to_be_visible()
        expect(page.get_by_role("link", name=other.number)).to_have_count(0)
    for page, application in ((police, registration), (medical, insurance)):
        open_application(page, application)
        act(page, "提交审查意见", {"同意": True, "审查意见": "材料齐全，符合条件"}, done="已提交审查意见")
    for page in (police, medical):
        act(page, "作出决定", {"准予": True, "决定意见": "准予办理"}, done="已作出决定")
        page.context.close()

    # The citizen: 已办结, the decision document downloaded, a 差评 on 新生儿入户登记.
    phone.goto(f"/me/bundles/{bundle_application.pk}/")
    expect(phone.get_by_role("heading", level=1)).to_contain_text("已办结")
    fits_the_phone(phone)
    phone.get_by_role("link", name="新生儿入户登记").click()
    with phone.expect_download() as downloading:
        phone.get_by_role("link", name=re.compile(r"^下载.*决定书")).click()
    with open(downloading.value.path(), "rb") as saved:
        content = saved.read()
    assert content.startswith(b"%PDF-")
    text = re.sub(r"\s+", "", "".join(p.extract_text() for p in PdfReader(BytesIO(content)).pages))
    assert registration.number in text and "新生儿入户登记" in text

    phone.get_by_role("link", name="评价本次办理（好差评）").click()
    for scale in ("总体评价", "整体满意度", "办事效率", "办事指南精确度", "办事便捷度", "平台操作性"):
        phone.get_by_role("group", name=scale).get_by_label("不满意", exact=True).check()
    phone.get_by_label("评价内容").fill("补正要求没有一次说清楚，跑了两趟")
    fits_the_phone(phone)
    rated_from = timezone.now()
    phone.get_by_role("button", name="提交评价").click()
    expect(phone.get_by_role("status").filter(has_text="感谢您的评价")).to_be_visible()
    rated_until = timezone.now()
    phone.context.close()

    # The rated department's 差评整改, due 15 working days after the rating.
    deadlines = {add_working_days(moment, 15).date().isoformat() for moment in (rated_from, rated_until)}
    assert Rectification.objects.get().department_id == city.police.pk
    admin = log_in(browser, site, city.police_admin)
    admin.goto("/workbench/services/rectifications/")
    row = admin.locator("tbody tr", has_text=registration.number)
    expect(row).to_contain_text("新生儿入户登记")
    due = "(" + "|".join(sorted(deadlines)) + ")"
    expect(row.locator("time")).to_have_text(re.compile(f"^{due}$"))
    # … and in the workflow inbox, as the department's task waiting to be signed for.
    admin.goto("/workbench/tasks/")
    admin.get_by_role("link", name=re.compile(r"^部门待签收（1）")).click()
    task = admin.locator("tbody tr", has=admin.get_by_role("link", name="整改", exact=True))
    expect(task).to_contain_text("services.rectification")
    expect(task.locator("time")).to_have_text(re.compile(f"^{due} 23:59$"))
    admin.context.close()
