"""一件事的管理: the 政务服务管理员 (services.bundle.manage) composes a bundle of items around one
life event, and publishes it to the portal or takes it offline.

A bundle is normally cross-department (新生儿出生一件事: 卫健 出生医学证明, 公安 户口登记, 医保
参保登记 …) — that is its point: the applicant no longer carries papers from one department to
the next. The rules checked at publishing (issue 5 §5):

- at least two items (departments may repeat, but one department's items are usually one
  item already);
- every item published, 网上可办 (网办深度 ≥ 4, STANDARDS.md §4: 互联网受理 — a bundle is
  applied for online in one go) and applicable to the bundle's 服务对象;
- the items share a 送达方式, since the results are delivered together;
- the merged form is consistent: a field code shared by several items has the same type and
  choices in each (bundle_forms.form_conflicts), else refused naming the code and the items.

Taking a bundle offline leaves running bundle applications alone: each child application goes
on under the item version it was made under.
"""

from __future__ import annotations

import re

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from yiwang.core.audit import services as audit
from yiwang.core.concurrency import save_if_version
from yiwang.core.errors import Conflict, InvalidInput, PermissionDenied, invalid
from yiwang.services import search
from yiwang.services.bundle_forms import common_delivery_methods, form_conflicts
from yiwang.services.models import (
    Bundle,
    BundleItem,
    BundleStatus,
    ItemStatus,
    LifeEvent,
    ServiceItem,
    SubjectKind,
)
from yiwang.services.models.catalogue import ONLINE_DEPTH_ONLINE
from yiwang.services.permissions import can_bundle_manage

BUNDLE_CODE = re.compile(r"^[a-z0-9][a-z0-9_-]{1,63}$")
RESERVED_CODES = frozenset({"new"})  # /workbench/services/bundles/new/ is the create page
ITEMS_MIN = 2
ITEMS_MAX = 20
_UNSET = object()


def _require_manager(actor) -> None:
    if not can_bundle_manage(actor):
        raise PermissionDenied("没有管理一件事的权限（services.bundle.manage）")


def _text(value, field: str, label: str, limit: int, errors: dict, *, required: bool) -> str:
    text = value.strip() if isinstance(value, str) else ""
    if value is not None and not isinstance(value, str):
        errors[field] = f"{label}格式不正确"
    elif required and not text:
        errors[field] = f"请填写{label}"
    elif len(text) > limit:
        errors[field] = f"{label}至多{limit}个字符"
    return text


def _choice(value, field: str, label: str, choices, errors: dict) -> str:
    if value not in choices.values:
        errors[field] = f"{label}无效，可选：{'、'.join(str(c.label) for c in choices)}"
    return value


def _department(department, errors: dict):
    if department is None:
        errors["lead_department_id"] = "请指定牵头部门"
    elif not department.is_active:
        errors["lead_department_id"] = f"牵头部门“{department.name}”已停用"
    return department


def _items(item_ids, errors: dict) -> list[ServiceItem]:
    """The items in the order given; unknown or repeated ids are the field's error."""
    if not isinstance(item_ids, list | tuple) or not all(
        isinstance(i, int) and not isinstance(i, bool) for i in item_ids
    ):
        errors["item_ids"] = "事项应为事项编号的列表"
        return []
    if len(item_ids) > ITEMS_MAX:
        errors["item_ids"] = f"一件事至多包含{ITEMS_MAX}个事项"
        return []
    if len(set(item_ids)) != len(item_ids):
        errors["item_ids"] = "事项重复"
        return []
    found = ServiceItem.objects.select_related("department", "published_version").in_bulk(item_ids)
    missing = [str(i) for i in item_ids if i not in found]
    if missing:
        errors["item_ids"] = f"事项不存在：{'、'.join(missing)}"
        return []
    return [found[i] for i in item_ids]


def _set_items(bundle: Bundle, items: list[ServiceItem]) -> None:
    BundleItem.objects.filter(bundle=bundle).delete()
    BundleItem.objects.bulk_create(
        [BundleItem(bundle=bundle, item=item, position=index) for index, item in enumerate(items)]
    )


def publish_problems(bundle: Bundle, items: list[ServiceItem] | None = None) -> dict[str, str]:
    """Why the bundle (with `items`, by default its own) cannot be published; empty if it can."""
    if items is None:
        entries = bundle.entries.select_related("item__department", "item__published_version")
        items = [entry.item for entry in entries]
    problems: dict[str, str] = {}
    reasons = []
    if len(items) < ITEMS_MIN:
        reasons.append(f"一件事至少包含{ITEMS_MIN}个事项")
    subject_label = (
        SubjectKind(bundle.subject).label if bundle.subject in SubjectKind.values else bundle.subject
    )
    for item in items:
        if item.status != ItemStatus.PUBLISHED or item.published_version_id is None:
            reasons.append(f"事项“{item.name}”未发布")
        elif item.online_depth < ONLINE_DEPTH_ONLINE:
            reasons.append(f"事项“{item.name}”网办深度为{item.online_depth}，须达到4（互联网受理）")
        if f",{bundle.subject}," not in item.subject_keys:
            reasons.append(f"事项“{item.name}”不面向{subject_label}")
    published = [(i, i.published_version) for i in items if i.published_version_id]
    if published and not common_delivery_methods(v for _i, v in published):
        reasons.append("各事项没有共同的送达方式，办理结果无法统一送达")
    if reasons:
        problems["item_ids"] = "；".join(reasons)
    problems.update(form_conflicts(published))
    return problems


@transaction.atomic
def bundle_create(
    *,
    actor,
    code: str,
    name: str,
    life_event: str,
    subject: str,
    lead_department,
    description: str = "",
    keywords: str = "",
    item_ids: list[int],
) -> Bundle:
    """A draft bundle (未发布). Items may still be unpublished; publishing checks them."""
    _require_manager(actor)
    errors: dict[str, str] = {}
    code_text = code.strip() if isinstance(code, str) else ""
    if not BUNDLE_CODE.match(code_text) or code_text in RESERVED_CODES:
        errors["code"] = "一件事代码应为2–64位小写字母、数字、下划线或横线，以字母或数字开头"
    elif Bundle.objects.filter(code=code_text).exists():
        errors["code"] = f"一件事代码“{code_text}”已存在"
    values = {
        "name": _text(name, "name", "名称", 128, errors, required=True),
        "life_event": _choice(life_event, "life_event", "人生事件", LifeEvent, errors),
        "subject": _choice(subject, "subject", "服务对象", SubjectKind, errors),
        "lead_department": _department(lead_department, errors),
        "description": _text(description, "description", "说明", 2000, errors, required=False),
        "keywords": _text(keywords, "keywords", "检索关键词", 255, errors, required=False),
    }
    items = _items(item_ids, errors)
    if errors:
        raise InvalidInput(fields=errors)
    bundle = Bundle(code=code_text, **values)
    try:
        with transaction.atomic():
            bundle.save(force_insert=True)
    except IntegrityError:  # two managers creating the same code at once
        raise invalid("code", f"一件事代码“{code_text}”已存在") from None
    _set_items(bundle, items)
    audit.record(
        actor=actor,
        action="services.bundle.created",
        target=bundle,
        changes={"code": code_text, "name": values["name"], "item_ids": [i.pk for i in items]},
    )
    return bundle


@transaction.atomic
def bundle_update(
    *,
    actor,
    bundle: Bundle,
    expected_version: int | None,
    name=None,
    life_event=None,
    subject=None,
    lead_department=_UNSET,
    description=None,
    keywords=None,
    item_ids=None,
) -> Bundle:
    """Change what is given (None: unchanged); the code is the bundle's identity (its URL). A
    published bundle must stay publishable: a change that breaks the rules is refused."""
    _require_manager(actor)
    errors: dict[str, str] = {}
    wanted: dict = {}
    if name is not None:
        wanted["name"] = _text(name, "name", "名称", 128, errors, required=True)
    if life_event is not None:
        wanted["life_event"] = _choice(life_event, "life_event", "人生事件", LifeEvent, errors)
    if subject is not None:
        wanted["subject"] = _choice(subject, "subject", "服务对象", SubjectKind, errors)
    if lead_department is not _UNSET:
        wanted["lead_department"] = _department(lead_department, errors)
    if description is not None:
        wanted["description"] = _text(description, "description", "说明", 2000, errors, required=False)
    if keywords is not None:
        wanted["keywords"] = _text(keywords, "keywords", "检索关键词", 255, errors, required=False)
    items = _items(item_ids, errors) if item_ids is not None else None
    if errors:
        raise InvalidInput(fields=errors)
    old_ids = list(bundle.entries.values_list("item_id", flat=True))
    changes = {
        k: [_plain(getattr(bundle, k)), _plain(v)] for k, v in wanted.items() if getattr(bundle, k) != v
    }
    if items is not None and [i.pk for i in items] != old_ids:
        changes["item_ids"] = [old_ids, [i.pk for i in items]]
    if not changes:
        if expected_version is not None and expected_version != bundle.version:
            raise Conflict(fields={"version": "数据已被他人修改，请刷新后重试"})
        return bundle
    for key, value in wanted.items():
        setattr(bundle, key, value)
    if bundle.status == BundleStatus.PUBLISHED:
        problems = publish_problems(bundle, items)
        if problems:
            raise InvalidInput("已发布的一件事修改后须仍符合发布条件", fields=problems)
    save_if_version(bundle, expected_version=expected_version, fields=list(wanted))
    if "item_ids" in changes:
        _set_items(bundle, items)
    audit.record(actor=actor, action="services.bundle.updated", target=bundle, changes=changes)
    if bundle.status == BundleStatus.PUBLISHED:
        search.index_bundle(bundle)
    return bundle


def _plain(value):
    return value.pk if hasattr(value, "pk") else value


@transaction.atomic
def bundle_publish(*, actor, bundle: Bundle) -> Bundle:
    _require_manager(actor)
    bundle = Bundle.objects.select_for_update().get(pk=bundle.pk)
    if bundle.status == BundleStatus.PUBLISHED:
        return bundle
    problems = publish_problems(bundle)
    if problems:
        raise InvalidInput("一件事不符合发布条件", fields=problems)
    bundle.status = BundleStatus.PUBLISHED
    bundle.published_at = timezone.now()
    Bundle.objects.filter(pk=bundle.pk).update(
        status=bundle.status, published_at=bundle.published_at, version=F("version") + 1
    )
    bundle.version += 1
    audit.record(
        actor=actor, action="services.bundle.published", target=bundle, changes={"status": "published"}
    )
    search.index_bundle(bundle)
    return bundle


@transaction.atomic
def bundle_unpublish(*, actor, bundle: Bundle) -> Bundle:
    """下线: the portal no longer offers it; bundle applications already made go on."""
    _require_manager(actor)
    bundle = Bundle.objects.select_for_update().get(pk=bundle.pk)
    if bundle.status != BundleStatus.PUBLISHED:
        raise Conflict("该一件事未发布，无需下线")
    bundle.status = BundleStatus.OFFLINE
    Bundle.objects.filter(pk=bundle.pk).update(status=bundle.status, version=F("version") + 1)
    bundle.version += 1
    audit.record(
        actor=actor, action="services.bundle.unpublished", target=bundle, changes={"status": "offline"}
    )
    search.index_bundle(bundle)
    return bundle
