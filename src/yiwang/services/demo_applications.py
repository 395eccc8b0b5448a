"""一网通办 demo applications (`yiwang demo`, issue 5 §8: "demo applications in every state so
every page has something true to show"), after the catalogue (demo.py).

What is written, all through the services, with the demo administrator's authority only where
a person of the city would not act:

1. the staff those applications need, the 婚姻登记处's window and the departments' signing keys
   (demo_staff.py), and the two 一件事 published by the 政务服务管理员 (demo_bundles.py);
2. about twenty applications of the demo citizen 张明 and the demo enterprise (its own account,
   and once its 经办人 张明), lived through over the last four weeks — applied for, 预审,
   一次性告知, 受理 or 容缺受理 or 不予受理, 并联审批, 准予 (a licence into the wallet, or a signed
   decision document) or 不予, 送达 by mail, 撤回, rated, 差评 rectified and revisited — so that
   every state a page can show exists: 草稿 … 已撤回, 待送达, 预警 and 超期 (the stories:
   demo_stories_citizen.py, demo_stories_enterprise.py, demo_stories_cafe.py,
   demo_stories_bundle.py; the moves: demo_script.py; how the past is made: demo_clock.py).

Idempotent: staff, window, keys and bundles are each found before being made; the stories run
once — every submission carries a client_token "demo-<story>", and if any demo submission
exists nothing of them is made again (they run in one transaction with the rest of the demo,
so they are there entirely or not at all). A service refusing a move stops the demo with a
DemoConflict naming the story, the move and every field refused.
"""

from __future__ import annotations

import logging
from contextlib import contextmanager

from django.utils import timezone

from yiwang.core.accounts.models import User
from yiwang.core.demo.loader import DemoConflict, Login
from yiwang.core.errors import DomainError
from yiwang.core.workcal.errors import CalendarYearMissing
from yiwang.services.demo_bundles import bundles_load
from yiwang.services.demo_catalogue import ITEMS
from yiwang.services.demo_catalogue.common import CENTER
from yiwang.services.demo_clock import working_days_back
from yiwang.services.demo_script import TOKEN_PREFIX, Cast
from yiwang.services.demo_staff import (
    MARRIAGE_WINDOW,
    department,
    marriage_window_load,
    signing_keys_load,
    staff_load,
)
from yiwang.services.demo_stories_bundle import bundle_stories
from yiwang.services.demo_stories_citizen import citizen_stories
from yiwang.services.demo_stories_enterprise import enterprise_stories
from yiwang.services.models import Application, BundleApplication, ServiceItem, ServiceWindow
from yiwang.services.permissions import can_bundle_manage

logger = logging.getLogger("yiwang.services.demo")

DAYS_BACK = 25  # working days the stories reach back to, with room to spare


@contextmanager
def _step(what: str):
    try:
        yield
    except DomainError as error:
        details = "；".join(f"{name}：{reason}" for name, reason in error.fields.items())
        raise DemoConflict(
            f"一网通办示范办件未载入：{what}失败：{error.message}" + (f"（{details}）" if details else "")
        ) from None


def _loaded() -> bool:
    demo = {"client_token__startswith": TOKEN_PREFIX}
    return Application.objects.filter(**demo).exists() or BundleApplication.objects.filter(**demo).exists()


_USERNAMES = (
    "citizen",
    "enterprise",
    "clerk",
    "servicemgr",
    "clerk_civil",
    "approver_land",
    "approver_hrss",
    "approver_civil",
    "approver_health",
    "approver_urban",
    "approver_police",
)


def _cast() -> Cast:
    items = {}
    for spec in ITEMS:
        item = ServiceItem.objects.filter(
            department=department(spec["department"]), base_code=spec["base_code"]
        ).first()
        if item is not None:
            items[spec["key"]] = item
    people = {user.username: user for user in User.objects.filter(is_active=True, username__in=_USERNAMES)}
    missing = sorted(set(_USERNAMES) - set(people))
    if missing:
        raise DemoConflict(f"一网通办示范办件未载入：缺少示范账号 {'、'.join(missing)}")
    halls = [department(CENTER), department(MARRIAGE_WINDOW["department"])]
    windows = {w.code: w for w in ServiceWindow.objects.filter(department__in=halls, is_active=True)}
    return Cast(people=people, items=items, windows=windows)


def _live_through_the_past() -> None:
    now = timezone.now()
    try:
        days = working_days_back(timezone.localdate(now), DAYS_BACK)
    except CalendarYearMissing as missing:
        logger.warning("一网通办示范办件未载入：工作日历缺少%s年", missing.year)
        return
    cast = _cast()
    with _step("编排示范办件"):
        citizen_stories(cast, days)
        enterprise_stories(cast, days)
        bundle_stories(cast, days)
    cast.timeline.run(now=now, days=days, guard=_step)


def load(*, actor) -> list[Login]:
    """Called by demo.load with the demo administrator; returns the logins it adds."""
    manager = User.objects.filter(username="servicemgr", is_active=True).first()
    manager = manager if manager is not None and can_bundle_manage(manager) else actor
    with _step("配备示范人员"):
        logins = staff_load(actor=actor)
        marriage_window_load(actor=manager)
        signing_keys_load(actor=actor)
    with _step("发布一件事"):
        bundles_load(actor=manager)
    if not _loaded():
        _live_through_the_past()
    return logins
