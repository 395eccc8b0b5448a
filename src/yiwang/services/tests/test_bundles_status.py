"""一件事的统一状态与统一送达: one status computed from the items, and the results delivered
together only when the last item has ended."""

from datetime import timedelta

import pytest
from django.utils import timezone

from yiwang.core.errors import Conflict, NotFound, PermissionDenied
from yiwang.core.notify.models import Message
from yiwang.services.models import Application, BundleApplication
from yiwang.services.selectors_bundles import (
    bundle_application_get,
    bundle_application_get_for_delivery,
    bundle_application_status,
    bundles_published,
    combined_code,
)
from yiwang.services.services.bundle_progress import DELIVERY_NOTE, bundle_child_finished, bundle_deliver
from yiwang.services.tests.factories import completed_application, create_bundle, fire_item, food_item


def _submitted(city, statuses=("submitted", "submitted"), delivery_method="electronic"):
    """A submitted bundle application with one child per status (rows written directly)."""
    food, fire = food_item(city), fire_item(city)
    bundle = create_bundle(city, [food, fire])
    bundle_application = BundleApplication.objects.create(
        bundle=bundle,
        applicant=city.enterprise,
        is_draft=False,
        number="YJS20260000001",
        submitted_at=timezone.now(),
        delivery_method=delivery_method,
    )
    for item, status in zip((food, fire), statuses, strict=True):
        child = completed_application(city, item, city.enterprise, status=status)
        child.bundle_application = bundle_application
        child.delivery_method = delivery_method
        child.save(update_fields=["bundle_application", "delivery_method"])
    return bundle_application


def _end(bundle_application, index: int, status: str = "completed"):
    """A child ends as the workflow effects end it: status saved, then the bundle told."""
    child = list(Application.objects.filter(bundle_application=bundle_application).order_by("id"))[index]
    child.status = status
    child.outcome = "approved" if status == "completed" else ""
    child.decided_at = timezone.now()
    child.save(update_fields=["status", "outcome", "decided_at"])
    bundle_child_finished(child)
    return child


def _status(city, bundle_application):
    fetched = bundle_application_get(actor=city.enterprise, bundle_application_id=bundle_application.pk)
    return bundle_application_status(fetched)


@pytest.mark.parametrize(
    ("statuses", "expected"),
    [
        (["submitted", "submitted"], "待受理"),
        (["accepted", "submitted"], "审查中"),
        (["supplement", "accepted"], "待补正"),
        (["completed", "supplement"], "待补正"),
        (["completed", "accepted"], "审查中"),
        (["completed", "not_accepted"], "已办结"),
        (["withdrawn", "completed"], "已办结"),
        (["withdrawn", "withdrawn"], "已撤回"),
    ],
)
def test_one_combined_status_from_the_items(statuses, expected):
    from yiwang.services.selectors_bundles import COMBINED_LABELS

    assert COMBINED_LABELS[combined_code(statuses, is_draft=False)] == expected
    assert combined_code(statuses, is_draft=True) == "draft"


def test_status_counts_items_and_shows_the_latest_deadline(service_city):
    city = service_city
    bundle_application = _submitted(city, statuses=("accepted", "accepted"))
    soon, later = timezone.now() + timedelta(days=3), timezone.now() + timedelta(days=9)
    for child, due in zip(
        Application.objects.filter(bundle_application=bundle_application).order_by("id"),
        (soon, later),
        strict=True,
    ):
        child.due_at = due
        child.save(update_fields=["due_at"])
    status = _status(city, bundle_application)
    assert (status.label, status.counts, status.ended, status.latest_due_at) == (
        "审查中",
        {"accepted": 2},
        0,
        later,
    )
    assert [c.department_name for c in status.children] == [city.market.name, city.fire.name]


def test_results_are_delivered_together_when_the_last_item_ends(service_city):
    city = service_city
    bundle_application = _submitted(city, statuses=("accepted", "accepted"))
    first = _end(bundle_application, 0)
    bundle_application.refresh_from_db()
    first.refresh_from_db()
    assert bundle_application.completed_at is None and first.delivered_at is None
    assert not Message.objects.filter(recipient=city.enterprise, title__contains="全部办结").exists()
    assert _status(city, bundle_application).label == "审查中"

    _end(bundle_application, 1)
    bundle_application.refresh_from_db()
    assert bundle_application.completed_at and bundle_application.delivered_at
    children = Application.objects.filter(bundle_application=bundle_application)
    assert {(c.delivery_note, c.delivered_at) for c in children} == {
        (DELIVERY_NOTE, bundle_application.delivered_at)
    }
    message = Message.objects.get(recipient=city.enterprise, title__contains="全部办结")
    assert "食品经营许可：准予" in message.body and "消防安全检查：准予" in message.body
    assert message.link == f"/me/bundles/{bundle_application.pk}/"
    assert _status(city, bundle_application).label == "已办结"
    # an effect repeated tells nobody twice
    bundle_child_finished(children.first())
    assert Message.objects.filter(recipient=city.enterprise, title__contains="全部办结").count() == 1


def test_only_completed_items_are_delivered(service_city):
    city = service_city
    bundle_application = _submitted(city, statuses=("accepted", "submitted"))
    _end(bundle_application, 1, "not_accepted")
    _end(bundle_application, 0)
    rows = dict(
        Application.objects.filter(bundle_application=bundle_application).values_list(
            "status", "delivery_note"
        )
    )
    assert rows == {"completed": DELIVERY_NOTE, "not_accepted": ""}


def test_mail_delivery_waits_for_the_lead_departments_window(service_city):
    city = service_city
    bundle_application = _submitted(city, statuses=("accepted", "accepted"), delivery_method="mail")
    with pytest.raises(Conflict):  # not all ended yet
        bundle_deliver(actor=city.market_admin, bundle_application=bundle_application, note="SF123")
    _end(bundle_application, 0)
    _end(bundle_application, 1)
    bundle_application.refresh_from_db()
    assert bundle_application.completed_at and bundle_application.delivered_at is None
    assert "统一邮寄送达" in Message.objects.get(recipient=city.enterprise, title__contains="全部办结").body
    # the hall's clerk is not over the lead department (市场监管局): it does not exist for them
    with pytest.raises(NotFound):
        bundle_application_get_for_delivery(actor=city.clerk, bundle_application_id=bundle_application.pk)
    with pytest.raises(PermissionDenied):
        bundle_deliver(actor=city.clerk, bundle_application=bundle_application, note="SF123")
    found = bundle_application_get_for_delivery(
        actor=city.market_admin, bundle_application_id=bundle_application.pk
    )
    bundle_deliver(actor=city.market_admin, bundle_application=found, note="顺丰 SF123")
    bundle_application.refresh_from_db()
    assert bundle_application.delivered_at is not None
    notes = set(
        Application.objects.filter(bundle_application=bundle_application).values_list(
            "delivery_note", flat=True
        )
    )
    assert notes == {f"{DELIVERY_NOTE}：顺丰 SF123"}
    with pytest.raises(Conflict):
        bundle_deliver(actor=city.market_admin, bundle_application=bundle_application)


def test_reading_a_status_costs_a_fixed_number_of_queries(service_city, django_assert_max_num_queries):
    city = service_city
    bundle_application = _submitted(city, statuses=("accepted", "completed"))
    with django_assert_max_num_queries(8):
        _status(city, bundle_application)


def test_the_public_list_is_one_query(service_city, django_assert_max_num_queries):
    city = service_city
    create_bundle(city, [food_item(city), fire_item(city)])
    create_bundle(city, [food_item(city, name="另一个")], code="hidden", published=False)
    with django_assert_max_num_queries(1):
        rows = list(bundles_published())
    assert [(b.code, b.item_count) for b in rows] == [("open-restaurant", 2)]
