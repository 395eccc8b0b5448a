from django.urls import reverse

from yiwang.core.notify import services
from yiwang.core.notify.models import Message
from yiwang.core.tests import factories


def test_the_inbox_highlights_unread_messages_and_pages(client, citizen):
    for number in range(22):
        services.notify(recipient=citizen, title=f"通知{number:02d}")
    services.message_mark_read(actor=citizen, message=Message.objects.get(title="通知21"))
    client.force_login(citizen)
    page = client.get(reverse("notify:inbox")).content.decode()
    assert page.count('class="unread"') == 19  # 20 on the first page, the newest one read
    assert "通知21" in page and "通知01" not in page
    assert "全部标为已读" in page
    second = client.get(reverse("notify:inbox"), {"page": 2}).content.decode()
    assert "通知01" in second and "通知00" in second


def test_opening_a_message_marks_it_read(client, citizen):
    message = services.notify(recipient=citizen, title="受理通知", body="第一行\n第二行", link="/me/")
    client.force_login(citizen)
    response = client.get(reverse("notify:detail", args=[message.pk]))
    assert response.status_code == 200
    assert "第一行<br>第二行" in response.content.decode()
    message.refresh_from_db()
    assert message.read_at is not None


def test_another_persons_message_is_a_404_page(client, citizen):
    message = services.notify(recipient=citizen, title="私人消息")
    client.force_login(factories.create_citizen())
    assert client.get(reverse("notify:detail", args=[message.pk])).status_code == 404
    message.refresh_from_db()
    assert message.read_at is None


def test_the_mark_all_read_button_empties_the_unread_list(client, citizen):
    for number in range(3):
        services.notify(recipient=citizen, title=f"通知{number}")
    client.force_login(citizen)
    response = client.post(reverse("notify:read_all"))
    assert response.status_code == 302 and response["Location"] == reverse("notify:inbox")
    page = client.get(reverse("notify:inbox"), {"unread": "1"}).content.decode()
    assert "没有未读消息" in page
    assert client.get(reverse("notify:read_all")).status_code == 405


def test_the_inbox_asks_anonymous_visitors_to_log_in(client):
    assert client.get(reverse("notify:inbox")).status_code == 302


def test_the_inbox_page_takes_a_bounded_number_of_queries(client, citizen, django_assert_max_num_queries):
    for number in range(40):
        services.notify(recipient=citizen, title=f"通知{number}")
    client.force_login(citizen)
    # session, user, the shell's unread count, the page's count and one page of rows.
    with django_assert_max_num_queries(8):
        assert client.get(reverse("notify:inbox")).status_code == 200
