from yiwang.core.notify import services
from yiwang.core.tests import factories

URL = "/api/v1/messages/"


def test_the_inbox_lists_only_ones_own_messages_newest_first(client, citizen):
    for number in range(3):
        services.notify(recipient=citizen, title=f"消息{number}")
    services.notify(recipient=factories.create_citizen(), title="别人的消息")
    client.force_login(citizen)
    body = client.get(URL).json()
    assert body["count"] == 3
    assert [item["title"] for item in body["items"]] == ["消息2", "消息1", "消息0"]


def test_the_unread_filter_and_count_follow_reading(client, citizen):
    first = services.notify(recipient=citizen, title="一")
    services.notify(recipient=citizen, title="二")
    client.force_login(citizen)
    assert client.get(f"{URL}unread-count").json() == {"count": 2}

    response = client.post(f"{URL}{first.pk}/read")
    assert response.status_code == 200 and response.json()["is_read"] is True

    assert client.get(f"{URL}unread-count").json() == {"count": 1}
    assert [item["title"] for item in client.get(URL, {"unread": "true"}).json()["items"]] == ["二"]
    assert client.post(f"{URL}read-all").json() == {"marked": 1}
    assert client.get(f"{URL}unread-count").json() == {"count": 0}


def test_nobody_reads_or_marks_another_persons_message(client, citizen, sys_admin):
    message = services.notify(recipient=citizen, title="私人消息")
    for outsider in (factories.create_citizen(), sys_admin):
        client.force_login(outsider)
        assert client.get(f"{URL}{message.pk}").status_code == 404
        assert client.post(f"{URL}{message.pk}/read").status_code == 404
        assert client.get(URL).json()["count"] == 0
    message.refresh_from_db()
    assert message.read_at is None


def test_anonymous_callers_get_401(client):
    assert client.get(URL).status_code == 401


def test_the_list_is_paginated_in_a_bounded_number_of_queries(client, citizen, django_assert_max_num_queries):
    for number in range(30):
        services.notify(recipient=citizen, title=f"消息{number}")
    client.force_login(citizen)
    # session, user and the rate-limit cache take about 8; the list itself is a count and one page.
    with django_assert_max_num_queries(12):
        body = client.get(URL, {"limit": 10, "offset": 10}).json()
    assert body["count"] == 30
    assert [item["title"] for item in body["items"]] == [f"消息{n}" for n in range(19, 9, -1)]


def test_a_limit_above_the_maximum_is_refused(client, citizen):
    client.force_login(citizen)
    assert client.get(URL, {"limit": 1000}).status_code == 422


def test_an_impossible_id_is_a_404_not_a_crash(client, citizen):
    client.force_login(citizen)
    assert client.get(f"{URL}99999999999999999999999").status_code == 404
    assert client.post(f"{URL}99999999999999999999999/read").status_code == 404


def test_a_malformed_id_gets_the_json_envelope(client, citizen):
    client.force_login(citizen)
    response = client.post(f"{URL}abc/read")
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "invalid"
