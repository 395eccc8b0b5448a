"""`yiwang demo`: 一网通办 applications in every state, lived through the last weeks, once."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from yiwang.core.accounts.models import Post, User
from yiwang.core.audit.models import AuditRecord
from yiwang.core.audit.verify import verify_chains
from yiwang.core.demo.loader import load_demo
from yiwang.core.files.models import Attachment
from yiwang.core.notify.models import Message
from yiwang.licenses.models import License, LicenseStatus, SigningKey
from yiwang.licenses.services.verification import license_verify_identifier
from yiwang.services.documents_store import read_attachment_bytes
from yiwang.services.models import (
    Application,
    ApplicationMaterial,
    ApplicationStatus,
    Bundle,
    BundleApplication,
    BundleStatus,
    CorrectionNotice,
    DecisionDocument,
    MaterialSource,
    PersonalMaterial,
    Rating,
    Rectification,
    RectificationStatus,
    ServiceWindow,
)
from yiwang.services.rating_tokens import make_token
from yiwang.services.selectors_handling import application_box_counts
from yiwang.services.services.results import decision_document_verify
from yiwang.workflow.models_runtime import ClockStatus, InstanceEvent, ProcessInstance, Task, TaskStatus
from yiwang.workflow.selectors_runtime import task_inbox

pytestmark = pytest.mark.django_db
# A Monday morning: the stories reach back over a weekend and several weeks (calendar 2026).
NOW = datetime(2026, 11, 23, 10, 30, tzinfo=ZoneInfo("Asia/Shanghai"))
OPEN = (TaskStatus.OPEN, TaskStatus.CLAIMED)


@pytest.fixture(autouse=True)
def _quick_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def demo():
    with time_machine.travel(NOW, tick=False):
        result = load_demo()
        yield result


def person(username: str) -> User:
    return User.objects.get(username=username)


def of(item_name: str, applicant: str = "") -> Application:
    found = Application.objects.filter(item__name=item_name, bundle_application=None)
    return found.get(applicant__username=applicant) if applicant else found.get()


def open_states(application) -> dict[str, str]:
    tasks = Task.objects.filter(instance=application.instance, status__in=OPEN).select_related(
        "candidate_department"
    )
    return {task.state: task.candidate_department.name if task.candidate_department else "" for task in tasks}


def test_every_state_a_page_can_show_exists_with_its_papers(demo):
    assert set(Application.objects.values_list("status", flat=True)) == set(ApplicationStatus.values)
    enterprise, citizen = person("enterprise"), person("citizen")
    assert {"approver_land", "approver_housing", "clerk_civil", "deptadmin_hrss"} <= {
        login.username for login in demo.logins
    }
    assert Bundle.objects.filter(status=BundleStatus.PUBLISHED).count() == 2

    # 准予: the 店招 licence is in the enterprise's wallet and verifies.
    sign = of("户外广告设施设置许可（店招店牌）")
    assert (sign.status, sign.outcome, sign.license.holder) == ("completed", "approved", enterprise)
    assert license_verify_identifier(sign.license.identifier).status == "valid"
    assert License.objects.filter(
        holder=enterprise, status=LicenseStatus.VALID, type_name=sign.license.type_name
    )
    # 受理回执 of every accepted application; decision documents signed and verifying.
    receipts = Application.objects.exclude(receipt=None)
    assert receipts.count() >= 10 and read_attachment_bytes(receipts.first().receipt).startswith(b"%PDF-")
    documents = DecisionDocument.objects.all()
    assert {d.kind for d in documents} == {"approval", "rejection", "not_accepted"}
    assert all(decision_document_verify(d) for d in documents)
    refused = of("失业保险金申领")
    assert refused.outcome == "rejected" and "不满1年" in refused.decision_reason
    assert refused.decision_basis.startswith("《失业保险条例》第十四条")
    assert "无需申请" in of("危险化学品经营许可证核发").not_accepted_reason
    assert of("职工退休申请及基本养老金申领").withdrawn_reason

    # 容缺受理, 一次性告知 (two materials, clock stopped), 并联审批 half way, 即办件.
    food = of("食品经营许可")
    assert food.status == "accepted" and food.deficiency_note
    assert set(food.materials.filter(source=MaterialSource.PROMISED).values_list("code", flat=True)) == {
        "layout_plan",
        "safety_rules",
    }
    sewage = of("城镇污水排入排水管网许可")
    assert sewage.status == "supplement" and len(CorrectionNotice.objects.get(application=sewage).items) == 2
    assert sewage.instance.status == "suspended"
    planning = of("建设工程规划许可证核发")
    assert open_states(planning) == {"partner_review": "市住房和城乡建设局"}
    assert planning.submitted_by == citizen and planning.applicant == enterprise  # the 经办人
    insurance = of("灵活就业人员社会保险参保登记")
    assert insurance.outcome == "approved" and insurance.accepted_at == insurance.decided_at
    assert insurance.instance.definition_code == "services.immediate"

    # 送达: one waiting to be mailed, one mailed with its tracking number.
    assert of("高龄津贴申领").delivery_method == "mail" and of("高龄津贴申领").delivered_at is None
    assert "运单号 SF" in of("公共场所卫生许可").delivery_note
    # 免提交 by a licence the applicant holds, and 我的材料 reused.
    shop = of("个体工商户设立登记")
    assert (
        shop.status == "submitted" and shop.materials.get(code="real_estate_certificate").source == "license"
    )
    assert shop.materials.get(code="id_card").source == "reused"
    assert (
        PersonalMaterial.objects.get(owner=citizen, attachment__name="张明居民身份证（正反面）.pdf").use_count
        == 4
    )
    # At a window: 预审 passed, waiting for 受理 — at the 综合窗口 and at the 婚姻登记处.
    for name, department in (("居民身份证换领", "市政务服务中心"), ("内地居民结婚登记", "市民政局")):
        waiting = of(name)
        assert waiting.channel == "window" and open_states(waiting) == {"acceptance": department}

    # 电子监察: one application 超期, one 预警.
    clocks = set(Application.objects.values_list("instance__clock_status", flat=True))
    assert {ClockStatus.OVERDUE, ClockStatus.WARNING} <= clocks
    assert of("不动产登记（转移登记）").instance.clock_status == ClockStatus.OVERDUE

    # 一件事: submitted once, its items in their departments, one approved already.
    bundle_application = BundleApplication.objects.get(bundle__code="newborn")
    children = {a.item.name: a for a in bundle_application.applications.select_related("item")}
    assert not bundle_application.is_draft and len(children) == 3
    assert children["新生儿城乡居民基本医疗保险参保登记"].outcome == "approved"
    assert open_states(children["新生儿出生登记（落户）"]) == {"decision": "市公安局"}
    assert children["新生儿出生登记（落户）"].materials.get(code="birth_certificate").source == "license"

    # 好差评: online ratings mostly good, a window rating, one 差评 rectified and revisited, one
    # open in 人社局's inbox with its deadline.
    online = list(Rating.objects.filter(channel="online").values_list("level", flat=True))
    assert len(online) >= 5 and sum(level >= 4 for level in online) > len(online) / 2
    assert Rating.objects.filter(channel="window", level=5, window__code="A04").exists()
    closed = Rectification.objects.get(status=RectificationStatus.CLOSED)
    assert closed.revisit_result == "satisfied" and closed.department.name == "市城市管理局"
    rectification = Rectification.objects.get(status=RectificationStatus.OPEN)
    assert rectification.department.name == "市人力资源和社会保障局" and rectification.due_at > NOW
    with time_machine.travel(NOW, tick=False):
        inbox = task_inbox(actor=person("deptadmin_hrss"), box="department")
        assert inbox.filter(instance=rectification.instance, state="rectify").exists()
        assert application_box_counts(actor=person("approver_hrss"))["decision"] == 1
        assert application_box_counts(actor=person("clerk"))["intake"] >= 2


def test_the_past_was_lived_in_order_and_the_audit_log_keeps_the_real_time(demo):
    for application in Application.objects.exclude(status="draft"):
        moments = [application.created_at, application.submitted_at, application.accepted_at]
        moments += [application.decided_at, application.delivered_at]
        moments = [m for m in moments if m is not None]
        assert moments == sorted(moments) and moments[-1] <= NOW, application.item.name
        events = list(
            InstanceEvent.objects.filter(instance=application.instance).values_list("at", flat=True)
        )
        assert events == sorted(events) and events[-1] <= NOW
    notice = CorrectionNotice.objects.get()
    assert notice.application.submitted_at < notice.issued_at < NOW - timedelta(days=1)
    first = Application.objects.exclude(number=None).order_by("submitted_at").first()
    assert first.submitted_at < NOW - timedelta(days=21)  # about four weeks back
    files = Attachment.objects.filter(owner_type="services.application")
    assert files.filter(created_at__lt=NOW - timedelta(days=7)).exists()
    assert Message.objects.filter(recipient__username="citizen", created_at__lt=NOW - timedelta(days=7))
    for instance in ProcessInstance.objects.filter(status="completed"):
        assert instance.working_days_used and instance.working_days_used > 0
    assert verify_chains().intact
    assert not AuditRecord.objects.filter(created_at__lt=NOW - timedelta(minutes=5)).exists()


def test_every_demo_login_finds_something_true_on_its_pages(demo, client):
    def page(url: str, username: str) -> str:
        client.force_login(person(username))
        response = client.get(url)
        assert response.status_code == 200, (url, username)
        return response.content.decode()

    with time_machine.travel(NOW, tick=False):
        for username in ("citizen", "enterprise"):
            mine = page(reverse("services:my_applications"), username)
            for application in Application.objects.filter(applicant__username=username).exclude(number=None):
                assert application.number in mine or application.bundle_application_id
                page(reverse("services:my_application", args=[application.pk]), username)
        newborn = BundleApplication.objects.get()
        assert newborn.number in page(reverse("services:my_bundle", args=[newborn.pk]), "citizen")
        assert "居民身份证" in page(reverse("services:my_materials"), "citizen")
        boxes = {
            ("clerk", "intake"): of("个体工商户设立登记"),
            ("approver_hrss", "decision"): of("生育津贴申领", "enterprise"),
            ("approver_housing", "review"): of("建设工程规划许可证核发"),
            ("approver_ecology", "review"): of("排污许可证核发"),
            ("clerk", "delivery"): of("高龄津贴申领"),
        }
        for (username, box), application in boxes.items():
            inbox = page(reverse("services:office_applications") + f"?box={box}", username)
            assert application.number in inbox, (username, box)
        for application in Application.objects.exclude(number=None).filter(
            department__name="市人力资源和社会保障局"
        ):
            page(reverse("services:office_application", args=[application.pk]), "approver_hrss")
        rectification = Rectification.objects.get(status="open")
        page(reverse("services:rectification", args=[rectification.pk]), "deptadmin_hrss")
        page(reverse("services:figures"), "supervisor")
        page(reverse("services:ratings_office"), "supervisor")
        client.logout()
        assert client.get(reverse("services:ratings_public")).status_code == 200
        token = make_token(of("居民身份证换领"))
        assert client.get(reverse("services:rate_window", args=[token])).status_code == 200


def test_a_second_run_creates_nothing(demo):
    models = (
        Application,
        ApplicationMaterial,
        BundleApplication,
        Bundle,
        Rating,
        Rectification,
        DecisionDocument,
        ProcessInstance,
        Task,
        InstanceEvent,
        Attachment,
        License,
        SigningKey,
        ServiceWindow,
        User,
        Post,
        Message,
        AuditRecord,
    )
    first = [model.objects.count() for model in models]
    with time_machine.travel(NOW + timedelta(hours=2), tick=False):
        assert load_demo().created == 0
    assert [model.objects.count() for model in models] == first
