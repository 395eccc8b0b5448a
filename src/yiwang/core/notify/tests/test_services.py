import pytest
from django.core import mail

from yiwang.core.errors import NotFound
from yiwang.core.notify import services
from yiwang.core.notify.backends import MemorySms
from yiwang.core.notify.models import Delivery, Message
from yiwang.core.tests import factories


def test_an_inbox_message_is_kept_and_logged_without_any_sms(citizen, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        message = services.notify(recipient=citizen, title="您的申请已受理", body="受理编号 2026-0001")
    assert callbacks == []
    assert list(Message.objects.filter(recipient=citizen)) == [message]
    inbox = Delivery.objects.get()
    assert (inbox.channel, inbox.status, inbox.message) == ("inbox", "sent", message)
    assert MemorySms.outbox == []


def test_sms_is_sent_after_commit_and_logged_with_a_masked_phone(db, django_capture_on_commit_callbacks):
    person = factories.create_citizen(phone="13912345678")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        message = services.notify(
            recipient=person, title="请补正材料", body="缺少营业执照", channels=("inbox", "sms")
        )
    assert MemorySms.outbox == []  # nothing leaves before the transaction commits
    for callback in callbacks:
        callback()

    assert MemorySms.outbox == [("13912345678", "请补正材料\n缺少营业执照")]
    sms = Delivery.objects.get(channel="sms")
    assert sms.message == message and sms.recipient == person
    assert sms.status == "sent"
    assert sms.address_masked == "139****5678"
    assert sms.backend == "yiwang.core.notify.backends.MemorySms"


def test_a_failing_gateway_is_logged_as_failed_and_the_inbox_message_stays(
    db, settings, django_capture_on_commit_callbacks
):
    settings.SMS_BACKEND = "yiwang.core.notify.tests.backends.FailingSms"
    person = factories.create_citizen(phone="13912345678")
    with django_capture_on_commit_callbacks(execute=True):
        message = services.notify(recipient=person, title="办结通知", channels=("sms",))

    assert Message.objects.filter(pk=message.pk).exists()
    sms = Delivery.objects.get(channel="sms")
    assert sms.status == "failed"
    assert "GatewayDown" in sms.error and "余额不足" in sms.error
    assert "13912345678" not in sms.error and "139****5678" in sms.error


def test_email_goes_through_django_mail(db, django_capture_on_commit_callbacks):
    person = factories.create_citizen()
    person.email = "zhangsan@example.com"
    person.save(update_fields=["email"])
    with django_capture_on_commit_callbacks(execute=True):
        services.notify(
            recipient=person,
            title="证照已签发",
            body="请到我的证照查看",
            link="/licenses/1/",
            channels=("inbox", "email"),
        )

    assert len(mail.outbox) == 1
    sent = mail.outbox[0]
    assert (sent.subject, sent.to) == ("证照已签发", ["zhangsan@example.com"])
    assert "请到我的证照查看" in sent.body and "/licenses/1/" in sent.body
    email = Delivery.objects.get(channel="email")
    assert (email.status, email.address_masked) == ("sent", "z***@example.com")
    assert email.backend == "django.core.mail.backends.locmem.EmailBackend"


def test_a_channel_without_an_address_is_logged_as_skipped(db, django_capture_on_commit_callbacks):
    person = factories.create_enterprise()  # no phone, no e-mail
    with django_capture_on_commit_callbacks(execute=True):
        services.notify(recipient=person, title="年报提醒", channels=("sms", "email"))
    assert sorted(Delivery.objects.exclude(channel="inbox").values_list("channel", "status")) == [
        ("email", "skipped"),
        ("sms", "skipped"),
    ]
    assert MemorySms.outbox == [] and mail.outbox == []


def test_a_queue_that_cannot_take_the_task_is_logged_and_does_not_raise(
    citizen, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = {"default": {"BACKEND": "yiwang.core.notify.tests.backends.RefusingTaskBackend"}}
    with django_capture_on_commit_callbacks(execute=True):
        message = services.notify(recipient=citizen, title="提醒", channels=("sms",))
    assert Message.objects.filter(pk=message.pk).exists()
    assert Delivery.objects.get(channel="sms").status == "failed"


def test_unknown_channels_and_script_links_are_programming_errors(citizen):
    with pytest.raises(ValueError):
        services.notify(recipient=citizen, title="x", channels=("wechat",))
    with pytest.raises(ValueError):
        services.notify(recipient=citizen, title="x", link="javascript:alert(1)")
    assert not Message.objects.exists()


def test_marking_read_is_for_the_recipient_only_and_keeps_the_first_time(citizen):
    message = services.notify(recipient=citizen, title="t")
    with pytest.raises(NotFound):
        services.message_mark_read(actor=factories.create_citizen(), message=message)
    first = services.message_mark_read(actor=citizen, message=message).read_at
    again = services.message_mark_read(actor=citizen, message=Message.objects.get(pk=message.pk)).read_at
    assert first is not None and again == first


def test_mark_all_read_touches_only_the_actors_unread_messages(citizen):
    other = factories.create_citizen()
    for number in range(3):
        services.notify(recipient=citizen, title=f"m{number}")
    services.notify(recipient=other, title="not yours")
    assert services.message_mark_all_read(actor=citizen) == 3
    assert services.message_mark_all_read(actor=citizen) == 0
    assert Message.objects.filter(recipient=other, read_at=None).count() == 1


@pytest.mark.django_db(transaction=True)  # the worker commits and checks its connection like a real one
def test_on_the_database_queue_the_sms_waits_for_the_worker(settings):
    from django.core.management import call_command
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    person = factories.create_citizen(phone="13912345678")
    services.notify(recipient=person, title="预约提醒", channels=("sms",))
    assert MemorySms.outbox == [] and DBTaskResult.objects.count() == 1

    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)

    assert MemorySms.outbox == [("13912345678", "预约提醒")]
    assert Delivery.objects.get(channel="sms").status == "sent"


@pytest.mark.django_db
def test_notify_many_puts_each_message_in_its_inbox_with_its_delivery_in_bulk(django_assert_max_num_queries):
    people = [factories.create_citizen() for _ in range(3)]
    notices = [
        services.Notice(person, f"待办即将到期 {n}", "办理时限", "/workbench/tasks/", "workflow")
        for n, person in enumerate(people)
    ]

    with django_assert_max_num_queries(4):  # a savepoint pair and one INSERT per table
        sent = services.notify_many(notices)

    assert [m.recipient_id for m in sent] == [p.pk for p in people]
    for person in people:
        message = Message.objects.get(recipient=person)
        assert message.link == "/workbench/tasks/" and message.category == "workflow"
        assert Delivery.objects.get(message=message).status == "sent"


@pytest.mark.django_db
def test_notify_many_refuses_a_bad_link_and_writes_nothing(citizen):
    notices = [
        services.Notice(citizen, "好", link="/ok/"),
        services.Notice(citizen, "坏", link="javascript:alert(1)"),
    ]
    with pytest.raises(ValueError):
        services.notify_many(notices)
    assert not Message.objects.filter(recipient=citizen).exists()
