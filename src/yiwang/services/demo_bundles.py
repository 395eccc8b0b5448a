"""The demo's two 一件事 (demo_catalogue.BUNDLES: 新生儿出生一件事, 开办餐饮店一件事), composed
and published by the 政务服务管理员 through the bundle services, which check what publishing
requires (items published and 网上可办, a common 送达方式, a consistent merged form).

Idempotent: a bundle is found by its code; one that exists is left as it is (a manager may
have taken it offline on purpose).
"""

from __future__ import annotations

from yiwang.core.demo.loader import DemoConflict
from yiwang.services.demo_catalogue import BUNDLES, ITEMS
from yiwang.services.demo_staff import department
from yiwang.services.models import Bundle, ServiceItem
from yiwang.services.services.bundles import bundle_create, bundle_publish


def _item_ids(keys: list[str]) -> list[int]:
    ids = []
    for key in keys:
        spec = next(spec for spec in ITEMS if spec["key"] == key)
        item = ServiceItem.objects.filter(
            department=department(spec["department"]), base_code=spec["base_code"]
        ).first()
        if item is None:
            raise DemoConflict(f"一网通办示范数据未载入：一件事缺少事项“{spec['content']['name']}”")
        ids.append(item.pk)
    return ids


def bundles_load(*, actor) -> None:
    for spec in BUNDLES:
        if Bundle.objects.filter(code=spec["code"]).exists():
            continue
        bundle = bundle_create(
            actor=actor,
            code=spec["code"],
            name=spec["name"],
            life_event=spec["life_event"],
            subject=spec["subject"],
            lead_department=department(spec["lead_department"]),
            description=spec["description"],
            keywords=spec["keywords"],
            item_ids=_item_ids(spec["items"]),
        )
        bundle_publish(actor=actor, bundle=bundle)
