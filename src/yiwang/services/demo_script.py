"""The demo's moves on one application, each through the service a person would use: the
applicant's (or 经办人's) applying services, the window clerk's and approvers' handling
services, 好差评 and 差评整改. A `Script` only writes down when each move happens; the
`Timeline` (demo_clock.py) runs all stories' moves together in the order they happened.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from yiwang.core.accounts.models import User
from yiwang.core.demo.loader import DemoConflict
from yiwang.services.demo_clock import Timeline, When
from yiwang.services.models import Application, Channel, PersonalMaterial, Rating, ServiceItem, ServiceWindow
from yiwang.services.models.ratings import INDICATORS
from yiwang.services.rating_tokens import make_token
from yiwang.services.services import handling, handling_decide, ratings, rectifications
from yiwang.services.services.applying import application_draft_create, application_draft_save
from yiwang.services.services.applying_materials import (
    application_material_paper,
    application_material_promise,
    application_material_reuse,
    application_material_upload,
)
from yiwang.services.services.applying_submit import application_submit, application_withdraw
from yiwang.workflow.models_runtime import Task, TaskStatus
from yiwang.workflow.services.claim import task_claim

TOKEN_PREFIX = "demo-"  # the client_token of every demo submission: the loader's marker


@dataclass
class Cast:
    """Who and what the stories name: demo accounts by username, items by their catalogue key."""

    people: dict[str, User]
    items: dict[str, ServiceItem]
    windows: dict[str, ServiceWindow]  # by window code
    timeline: Timeline = field(default_factory=Timeline)

    def __getitem__(self, username: str) -> User:
        return self.people[username]

    def item(self, key: str) -> ServiceItem:
        if key not in self.items:
            raise DemoConflict(f"一网通办示范办件未载入：示范事项“{key}”不存在或未发布")
        return self.items[key]

    def window(self, code: str) -> ServiceWindow:
        if code not in self.windows:
            raise DemoConflict(f"一网通办示范办件未载入：服务窗口 {code} 不存在或已停用")
        return self.windows[code]


@dataclass
class Materials:
    """What the applicant (or the window clerk) does with each material before submitting."""

    upload: dict[str, Callable] = field(default_factory=dict)  # code → () -> an upload
    reuse: dict[str, str] = field(default_factory=dict)  # code → the 我的材料 file's name
    promise: tuple[str, ...] = ()  # 容缺后补
    paper: tuple[str, ...] = ()  # 窗口收取纸质件


class Script:
    """One application's life. `by` applies (the applicant, an enterprise's 经办人, or the
    window clerk at `window`); `clerk` works 预审/受理 and 送达 at the acceptance department."""

    def __init__(self, cast: Cast, key: str, item: str, *, applicant: str, by: str = "", window: str = ""):
        self.cast, self.key, self.item = cast, key, cast.item(item)
        self.applicant = cast[applicant]
        self.by = cast[by or applicant]
        self.window = cast.window(window) if window else None
        self.clerk = self.by if self.window else cast["clerk"]
        self.application_id: int | None = None
        self.resolve: Callable[[], int] | None = None

    def application(self) -> Application:
        if self.application_id is None and self.resolve is not None:
            self.application_id = self.resolve()
        return Application.objects.get(pk=self.application_id)

    def _add(self, when: When, what: str, do: Callable[[], object]) -> Script:
        self.cast.timeline.add(when, f"{self.key}：{what}", do)
        return self

    # --- the applicant -------------------------------------------------------------------------
    def draft(self, when: When, form: dict, materials: Materials, *, delivery="", address="") -> Script:
        def do():
            application = application_draft_create(
                actor=self.by,
                item=self.item,
                applicant=self.applicant,
                channel=Channel.WINDOW if self.window else Channel.ONLINE,
                window=self.window,
            )
            self.application_id = application.pk
            application_draft_save(
                actor=self.by,
                application=application,
                form=form,
                delivery_method=delivery or None,
                delivery_address=address or None,
                expected_version=application.version,
            )
            fill_materials(self, materials)

        return self._add(when, "填写申请", do)

    def submit(self, when: When) -> Script:
        return self._add(
            when,
            "提交",
            lambda: application_submit(
                actor=self.by, application=self.application(), client_token=TOKEN_PREFIX + self.key
            ),
        )

    def withdraw(self, when: When, reason: str) -> Script:
        return self._add(
            when,
            "撤回",
            lambda: application_withdraw(actor=self.by, application=self.application(), reason=reason),
        )

    def rate(self, when: When, level: int, comment: str, **indicators: int) -> Script:
        scores = {key: indicators.get(key, level) for key in INDICATORS}
        return self._add(
            when,
            "评价",
            lambda: ratings.rating_submit_online(
                actor=self.by, application=self.application(), level=level, indicators=scores, comment=comment
            ),
        )

    def rate_window(self, when: When, level: int, comment: str) -> Script:
        """一次一评: the QR code on the receipt, scanned on the applicant's phone."""
        return self._add(
            when,
            "窗口评价",
            lambda: ratings.rating_submit_window(
                token=make_token(self.application()), level=level, comment=comment
            ),
        )

    # --- the window ----------------------------------------------------------------------------
    def pre_review(self, when: When, opinion: str = "材料齐全，预审通过") -> Script:
        return self._add(
            when,
            "预审",
            lambda: handling.application_pre_review_pass(
                actor=self.clerk, application=self.application(), opinion=opinion
            ),
        )

    def ask_correction(self, when: When, items: dict[str, str], note: str) -> Script:
        """一次性告知补正: every material's problem at once (code → what is wrong)."""
        listed = [{"code": code, "problem": problem} for code, problem in items.items()]
        return self._add(
            when,
            "一次性告知",
            lambda: handling.application_request_correction(
                actor=self.clerk, application=self.application(), items=listed, note=note
            ),
        )

    def accept(
        self, when: When, opinion: str = "材料齐全，符合法定形式，予以受理", deficiency: str = ""
    ) -> Script:
        return self._add(
            when,
            "受理",
            lambda: handling.application_accept(
                actor=self.clerk, application=self.application(), opinion=opinion, deficiency_note=deficiency
            ),
        )

    def not_accept(self, when: When, reason: str) -> Script:
        return self._add(
            when,
            "不予受理",
            lambda: handling.application_not_accept(
                actor=self.clerk, application=self.application(), reason=reason
            ),
        )

    def decide_now(self, when: When, opinion: str) -> Script:
        """即办件: 受理并办结 at the window."""
        return self._add(
            when,
            "受理并办结",
            lambda: handling_decide.application_decide_immediate(
                actor=self.clerk, application=self.application(), opinion=opinion
            ),
        )

    def deliver(self, when: When, note: str) -> Script:
        return self._add(
            when,
            "送达",
            lambda: handling_decide.application_deliver(
                actor=self.clerk, application=self.application(), note=note
            ),
        )

    # --- the departments -----------------------------------------------------------------------
    def claim(self, when: When, who: str, state: str) -> Script:
        def do():
            task = Task.objects.get(
                instance_id=self.application().instance_id, state=state, status=TaskStatus.OPEN
            )
            task_claim(actor=self.cast[who], task=task, expected_version=task.version)

        return self._add(when, "签收", do)

    def review(self, when: When, who: str, opinion: str, *, agree: bool = True) -> Script:
        return self._add(
            when,
            "审查",
            lambda: handling_decide.application_review(
                actor=self.cast[who], application=self.application(), agree=agree, opinion=opinion
            ),
        )

    def decide(self, when: When, who: str, opinion: str, *, reason: str = "", basis: str = "") -> Script:
        """准予, or 不予 when a reason is given."""
        return self._add(
            when,
            "决定",
            lambda: handling_decide.application_decide(
                actor=self.cast[who],
                application=self.application(),
                approve=not reason,
                opinion=opinion,
                reason=reason,
                basis=basis,
            ),
        )

    # --- 差评整改 --------------------------------------------------------------------------------
    def _rectification(self):
        return Rating.objects.get(application_id=self.application().pk, level__lte=2).rectification

    def rectify(self, when: When, who: str, text: str) -> Script:
        return self._add(
            when,
            "差评整改",
            lambda: rectifications.rectification_respond(
                actor=self.cast[who], rectification=self._rectification(), text=text
            ),
        )

    def revisit(self, when: When, who: str, note: str) -> Script:
        return self._add(
            when,
            "回访",
            lambda: rectifications.rectification_revisit(
                actor=self.cast[who], rectification=self._rectification(), satisfied=True, note=note
            ),
        )


def fill_materials(script: Script, materials: Materials) -> None:
    """Upload, reuse, promise or hand in on paper, as the script's applicant (or clerk) would."""
    actor, application = script.by, script.application()
    for code in materials.paper:
        application_material_paper(actor=actor, application=application, code=code)
    for code, make in materials.upload.items():
        application_material_upload(actor=actor, application=application, code=code, upload=make())
    for code, name in materials.reuse.items():
        kept = (
            PersonalMaterial.objects.filter(
                owner=script.applicant, code=code, attachment__name=name, is_active=True
            )
            .order_by("-created_at", "-id")
            .first()
        )
        application_material_reuse(actor=actor, application=application, code=code, personal_material=kept)
    for code in materials.promise:
        application_material_promise(actor=actor, application=application, code=code)
