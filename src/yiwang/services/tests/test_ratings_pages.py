"""好差评 pages: 一事一评 by the applicant, 一次一评 from a phone without signing in, and the
public aggregates that show numbers only."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from yiwang.services.models import Rating, RectificationStatus
from yiwang.services.rating_tokens import make_token
from yiwang.services.tests.factories import completed_application, food_item

pytestmark = pytest.mark.django_db
FIVES = {
    "level": "5",
    "overall": "5",
    "efficiency": "5",
    "guide_accuracy": "4",
    "convenience": "5",
    "usability": "5",
}


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def completed(service_city):
    return completed_application(service_city, food_item(service_city), service_city.enterprise)


def test_the_applicant_rates_after_completion_and_sees_the_thanks(service_city, completed):
    url = reverse("services:rate", args=[completed.pk])
    client = signed_in(service_city.agent)  # the enterprise's 经办人 acts for it
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    for label in (
        "整体满意度",
        "办事效率",
        "办事指南精确度",
        "办事便捷度",
        "平台操作性",
        "非常满意",
        "非常不满意",
    ):
        assert label in html
    refused = client.post(url, {**FIVES, "level": "1", "comment": "慢"})
    assert refused.status_code == 400
    assert "差评请说明原因（至少5个字），以便整改" in refused.content.decode()
    missing = client.post(url, {"level": "5"})
    assert missing.status_code == 400 and "请选择办事效率" in missing.content.decode()
    garbage = client.post(url, {**FIVES, "level": "abc", "overall": "99"})
    assert garbage.status_code == 400 and "请选择1至5分" in garbage.content.decode()
    done = client.post(url, {**FIVES, "comment": "一次办好"})
    assert done.status_code == 302 and done["Location"] == url
    thanks = client.get(url).content.decode()
    assert "感谢您的评价" in thanks and "一次办好" in thanks
    assert Rating.objects.get().rater == service_city.agent


def test_another_person_gets_404_and_a_visitor_signs_in_first(service_city, completed):
    url = reverse("services:rate", args=[completed.pk])
    assert signed_in(service_city.other_citizen).get(url).status_code == 404
    assert signed_in(service_city.other_citizen).post(url, FIVES).status_code == 404
    assert Client().get(url).status_code == 302
    assert signed_in(service_city.enterprise).get(reverse("services:rate", args=[999999])).status_code == 404
    assert not Rating.objects.exists()


def test_before_completion_the_page_says_so(service_city):
    running = completed_application(
        service_city, food_item(service_city), service_city.enterprise, status="accepted"
    )
    page = signed_in(service_city.enterprise).get(reverse("services:rate", args=[running.pk]))
    assert page.status_code == 200 and "办件办结后即可评价" in page.content.decode()


def test_window_rating_from_a_phone_without_signing_in(service_city):
    city = service_city
    application = completed_application(
        city, food_item(city), city.enterprise, window=city.window, channel="window"
    )
    url = reverse("services:rate_window", args=[make_token(application)])
    phone = Client()
    page = phone.get(url)
    assert page.status_code == 200 and application.number in page.content.decode()
    assert city.enterprise.display_name not in page.content.decode()  # the receipt's holder stays unnamed
    refused = phone.post(url, {"level": "2", "comment": ""})
    assert refused.status_code == 400 and "差评请说明原因" in refused.content.decode()
    assert phone.post(url, {"level": "abc"}).status_code == 400
    done = phone.post(url, {"level": "2", "comment": "等候时间太长了"})
    assert done.status_code == 302
    assert "感谢您的评价" in phone.get(url).content.decode()
    rating = Rating.objects.get()
    assert (rating.channel, rating.department, rating.window) == ("window", city.hall, city.window)
    assert rating.rectification.status == RectificationStatus.OPEN


def test_a_tampered_window_code_is_refused_with_a_reason(service_city):
    application = completed_application(service_city, food_item(service_city), service_city.enterprise)
    token = make_token(application)
    page = Client().get(reverse("services:rate_window", args=[token[:-3] + "abc"]))
    assert page.status_code == 400 and "评价二维码无效或已过期" in page.content.decode()
    posted = Client().post(reverse("services:rate_window", args=["x" * 40]), {"level": "5"})
    assert posted.status_code == 400 and not Rating.objects.exists()


def test_the_public_page_shows_numbers_never_comments_or_names(service_city):
    city = service_city
    application = completed_application(city, food_item(city), city.enterprise)
    client = signed_in(city.enterprise)
    comment = "窗口王小明态度恶劣拒绝解释"
    client.post(reverse("services:rate", args=[application.pk]), {**FIVES, "level": "1", "comment": comment})
    assert Rating.objects.filter(comment=comment).exists()
    page = Client().get(reverse("services:ratings_public"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "市市场监督管理局" in html and "食品经营许可" in html and "0.0%" in html
    for secret in (comment, "王小明", city.enterprise.display_name, application.number):
        assert secret not in html
