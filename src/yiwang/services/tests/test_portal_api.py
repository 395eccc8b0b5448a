"""/api/v1/services — the portal's public reads: search, life events, themes, departments."""

from __future__ import annotations

import pytest
from django.test import Client

from yiwang.services.search import index_item
from yiwang.services.tests.factories import create_item, portal_catalogue

pytestmark = pytest.mark.django_db
BASE = "/api/v1/services"


@pytest.fixture
def catalogue(service_city):
    return portal_catalogue(service_city)


def get(path: str, **params):
    return Client().get(BASE + path, params)


def test_search_needs_no_sign_in_and_ranks_kai_fandian_first(catalogue):
    response = get("/search", q="开饭店")
    body = response.json()
    assert response.status_code == 200 and body["searchable"] is True
    first = body["items"][0]
    assert (first["kind"], first["id"], first["name"]) == ("item", catalogue["food"].pk, "食品经营许可")
    assert first["department"] == "市市场监督管理局" and first["url"].endswith(f"/{catalogue['food'].pk}/")
    assert "开饭店" in first["snippet"] and {"text": "开饭店", "match": True} in first["snippet_parts"]
    assert first["score"] > 0


def test_search_filters_and_pages(catalogue):
    everything = get("/search", q="登记").json()
    assert everything["count"] == 2
    page = get("/search", q="登记", limit=1, offset=1).json()
    assert len(page["items"]) == 1 and page["count"] == everything["count"]
    assert page["items"][0]["id"] == everything["items"][1]["id"]
    citizen = get("/search", q="营业执照", subject="citizen").json()
    assert [item["name"] for item in citizen["items"]] == ["个体工商户设立登记"]
    district = catalogue["departments"]["district"]
    only = get("/search", q="高龄津贴", department=district.pk).json()
    assert [item["id"] for item in only["items"]] == [catalogue["elderly_district"].pk]
    assert get("/search", q="登记", life_event="elderly").json()["count"] == 0


@pytest.mark.parametrize(
    "query",
    ["", "，。", '"', "营业*", "NEAR(营业 执照)", "营业 AND 执照", "name:营业", "😀", "\\", "a & b | !c"],
)
def test_query_syntax_is_plain_text(catalogue, query):
    response = get("/search", q=query)
    assert response.status_code == 200 and response.json()["count"] >= 0


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"q": "营业执照" * 50}, "q"),
        ({"q": "x" * 1001}, "q"),
        ({"q": "营业执照", "subject": "alien"}, "subject"),
        ({"q": "营业执照", "life_event": "mars"}, "life_event"),
        ({"q": "营业执照", "theme": "mars"}, "theme"),
        ({"q": "营业执照", "department": "abc"}, "department"),
        ({"q": "营业执照", "department": "0"}, "department"),
        ({"q": "营业执照", "limit": "0"}, "limit"),
        ({"q": "营业执照", "limit": "51"}, "limit"),
        ({"q": "营业执照", "offset": str(2**63)}, "offset"),
    ],
)
def test_bad_parameters_are_named_in_chinese(catalogue, params, field):
    response = get("/search", **params)
    assert response.status_code == 422
    error = response.json()["error"]
    assert field in error["fields"] and any("\u4e00" <= c <= "\u9fff" for c in error["fields"][field])


def test_a_query_of_a_hundred_characters_is_fine_and_one_more_is_not(catalogue):
    assert get("/search", q="营" * 100).status_code == 200
    response = get("/search", q="营" * 101)
    assert response.json()["error"]["fields"]["q"] == "检索词不能超过100个字，请精简后再试"


def test_life_events_with_their_groups_and_counts(catalogue):
    events = {event["code"]: event for event in get("/life-events").json()}
    assert events["start_business"] == {
        "code": "start_business",
        "label": "开办企业",
        "group": "enterprise",
        "count": 2,
    }
    assert events["elderly"]["group"] == "citizen" and events["elderly"]["count"] == 2
    assert events["birth"]["count"] == 0
    citizen = {event["code"]: event["count"] for event in get("/life-events", subject="citizen").json()}
    assert citizen["start_business"] == 1 and citizen["operating_permit"] == 0
    assert get("/life-events", subject="alien").status_code == 422


def test_themes_with_counts(catalogue):
    themes = {theme["code"]: theme["count"] for theme in get("/themes").json()}
    assert themes["civil_affairs"] == 2 and themes["food_drug"] == 1 and themes["education"] == 0


def test_departments_with_published_item_counts(catalogue, service_city):
    create_item(department=catalogue["departments"]["police"], name="草稿事项", published=False)
    counts = {row["name"]: row["count"] for row in get("/departments").json()}
    assert counts == {"市市场监督管理局": 3, "市公安局": 1, "市民政局": 1, "区民政局": 1}
    citizen = {row["name"]: row["count"] for row in get("/departments", subject="citizen").json()}
    assert citizen["市市场监督管理局"] == 1


def test_query_counts_do_not_grow_with_the_catalogue(catalogue, service_city, django_assert_max_num_queries):
    for number in range(12):
        index_item(create_item(department=service_city.market, name=f"示范登记事项{number:02d}"))
    # 6 of them are the anonymous rate limit's cache; search is count, page, items, bundles.
    for path, params in (
        ("/search", {"q": "登记", "limit": "50"}),
        ("/life-events", {}),
        ("/departments", {}),
    ):
        with django_assert_max_num_queries(10):
            assert get(path, **params).status_code == 200
