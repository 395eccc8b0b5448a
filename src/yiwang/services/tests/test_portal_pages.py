"""一网通办门户 pages (public): front page, search, browsing by department, life event and theme."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from yiwang.services.models import Bundle, BundleItem
from yiwang.services.search import index_bundle, index_item
from yiwang.services.tests.factories import create_item, portal_catalogue

pytestmark = pytest.mark.django_db
SEARCH = "/services/search/"


@pytest.fixture
def catalogue(service_city):
    items = portal_catalogue(service_city)
    bundle = Bundle.objects.create(
        code="open-restaurant",
        name="开餐饮店一件事",
        life_event="start_business",
        subject="enterprise",
        description="营业执照和食品经营许可一次办",
        status="published",
        lead_department=service_city.market,
    )
    BundleItem.objects.create(bundle=bundle, item=items["food"], position=0)
    index_bundle(bundle)
    items["bundle"] = bundle
    return items


def result_names(html: str) -> list[str]:
    return re.findall(r"<h3>(?:<a [^>]*>)?([^<]+)", html.split('class="portal-results"', 1)[-1])


def test_urls_of_the_portal():
    assert reverse("services:portal") == "/services/"
    assert reverse("services:search") == SEARCH
    assert reverse("services:department_items", args=[3]) == "/services/departments/3/"
    assert reverse("services:life_event_items", args=["birth"]) == "/services/events/birth/"
    assert reverse("services:theme_items", args=["market"]) == "/services/themes/market/"


def test_the_portal_shows_search_tabs_life_events_bundles_popular_items_themes_and_departments(
    client, catalogue
):
    response = client.get("/services/")
    html = response.content.decode()
    assert response.status_code == 200
    for shown in (
        "搜索事项",
        "个人办事",
        "法人办事",
        "一件事一次办",
        "开餐饮店一件事",
        "热门事项",
        "按主题",
        "按部门",
    ):
        assert shown in html
    assert 'href="/services/events/elderly/"' in html and "养老 <span" in html
    assert 'href="/services/events/start_business/"' in html
    assert 'href="/services/themes/food_drug/"' in html
    police = catalogue["departments"]["police"]
    assert f'href="/services/departments/{police.pk}/"' in html
    assert "birth" not in html  # no item for 出生: not offered as a dead end


def test_the_personal_tab_shows_only_what_people_apply_for(client, catalogue):
    html = client.get("/services/?subject=citizen").content.decode()
    assert 'aria-current="page">个人办事' in html
    assert "/services/events/elderly/?subject=citizen" in html
    # 个体工商户 is for people too: 开办企业 stays, with only that item counted.
    assert (
        "/services/events/start_business/?subject=citizen" in html
        and '开办企业 <span class="muted">1 项' in html
    )
    assert "/services/events/operating_permit/" not in html and "开餐饮店一件事" not in html


def test_an_unknown_subject_is_named_and_everything_shown(client, catalogue):
    response = client.get("/services/?subject=<x>")
    assert response.status_code == 400
    html = response.content.decode()
    assert "服务对象只能是个人" in html and "&lt;x&gt;" not in html and "开餐饮店一件事" in html


def test_searching_kai_fandian_lists_the_food_licence_first_with_a_marked_snippet(client, catalogue):
    response = client.get(SEARCH, {"q": "开饭店"})
    html = response.content.decode()
    assert response.status_code == 200
    assert result_names(html)[0] == "食品经营许可"
    assert "<mark>开饭店</mark>" in html
    assert f'href="{reverse("services:guide", args=[catalogue["food"].pk])}"' in html


def test_searching_yingye_zhizhao_lists_the_item_named_so_first(client, catalogue):
    html = client.get(SEARCH, {"q": "营业执照"}).content.decode()
    assert result_names(html)[:2] == ["企业设立登记（营业执照）", "个体工商户设立登记"]


def test_a_bundle_in_the_results(client, catalogue):
    html = client.get(SEARCH, {"q": "开餐饮店"}).content.decode()
    assert result_names(html)[0] == "开餐饮店一件事" and "一件事一次办" in html


def test_text_from_the_catalogue_is_escaped_in_snippets(client, service_city):
    item = create_item(
        department=service_city.market, name="演示登记", keywords="<b>演示</b> <script>alert(1)</script>"
    )
    index_item(item)
    html = client.get(SEARCH, {"q": "演示"}).content.decode()
    assert "<script>alert(1)" not in html and "<b>演示" not in html
    assert "&lt;b&gt;<mark>演示</mark>&lt;/b&gt; &lt;script&gt;alert(1)&lt;/script&gt;" in html


@pytest.mark.parametrize("query", ["", "   ", "，。？！", "😀", '"*:()', "^-+"])
def test_an_empty_or_punctuation_query_shows_the_hint(client, catalogue, query):
    response = client.get(SEARCH, {"q": query})
    assert response.status_code == 200 and "请输入要办理的事项名称或关键词" in response.content.decode()


def test_nothing_found_suggests_life_events(client, catalogue):
    response = client.get(SEARCH, {"q": "火星移民", "subject": "citizen"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "没有找到与“火星移民”相关的事项" in html
    assert 'href="/services/events/elderly/?subject=citizen"' in html


def test_a_query_over_a_hundred_characters_gets_a_chinese_message(client, catalogue):
    response = client.get(SEARCH, {"q": "营业执照" * 50})
    html = response.content.decode()
    assert response.status_code == 400
    assert "检索词不能超过100个字" in html and 'aria-invalid="true"' in html


@pytest.mark.parametrize(
    "params",
    [
        {"q": "营业执照", "subject": "alien"},
        {"q": "营业执照", "department": "abc"},
        {"q": "营业执照", "department": "99999999999999999999999"},
        {"q": "营业执照", "page": "abc"},
        {"q": "营业执照", "page": "-3"},
        {"q": "营业执照", "page": "99999999999999999999"},
        {"q": "营业执照\u200b😀'\"<>&"},
    ],
)
def test_malformed_parameters_never_give_a_500(client, catalogue, params):
    response = client.get(SEARCH, params)
    assert response.status_code in (200, 400)
    if response.status_code == 400:
        assert "field-error" in response.content.decode()


def test_results_are_paged_and_a_page_past_the_end_shows_the_last(client, service_city):
    for number in range(23):
        index_item(create_item(department=service_city.market, name=f"示范登记事项{number:02d}"))
    first = client.get(SEARCH, {"q": "示范登记"}).content.decode()
    assert len(result_names(first)) == 20 and "第 1 / 2 页，共 23 条" in first
    last = client.get(SEARCH, {"q": "示范登记", "page": "7"}).content.decode()
    assert len(result_names(last)) == 3 and "第 2 / 2 页" in last and "q=%E7%A4%BA" in last


def test_a_department_search_stays_in_the_department(client, catalogue):
    district = catalogue["departments"]["district"]
    html = client.get(SEARCH, {"q": "高龄津贴", "department": district.pk}).content.decode()
    assert len(result_names(html)) == 1 and f'name="department" value="{district.pk}"' in html


def test_browsing_a_department(client, catalogue, service_city):
    response = client.get(f"/services/departments/{service_city.market.pk}/")
    html = response.content.decode()
    assert response.status_code == 200 and "<h1>市市场监督管理局</h1>" in html
    assert set(result_names(html)) == {"食品经营许可", "企业设立登记（营业执照）", "个体工商户设立登记"}
    citizen = client.get(f"/services/departments/{service_city.market.pk}/?subject=citizen").content.decode()
    assert result_names(citizen) == ["个体工商户设立登记"]


def test_browsing_a_life_event_shows_its_bundles_and_items(client, catalogue):
    html = client.get("/services/events/start_business/").content.decode()
    assert "<h1>开办企业</h1>" in html and "开餐饮店一件事" in html
    assert {"企业设立登记（营业执照）", "个体工商户设立登记"} <= set(result_names(html))


def test_browsing_a_theme(client, catalogue):
    html = client.get("/services/themes/civil_affairs/").content.decode()
    assert "<h1>民政事务</h1>" in html and result_names(html) == ["高龄津贴申领", "高龄津贴申领"]
    empty = client.get("/services/themes/education/").content.decode()
    assert "暂无已发布的事项" in empty


@pytest.mark.parametrize(
    "path",
    [
        "/services/departments/999999/",
        "/services/events/mars/",
        "/services/themes/mars/",
        "/services/departments/0/",
    ],
)
def test_unknown_departments_and_codes_are_404(client, catalogue, path):
    assert client.get(path).status_code == 404


def test_a_bad_subject_on_a_browsing_page_is_named(client, catalogue):
    response = client.get("/services/events/elderly/?subject=alien")
    assert response.status_code == 400 and "服务对象只能是个人" in response.content.decode()


def test_the_pages_query_count_does_not_grow_with_the_catalogue(
    client, service_city, django_assert_max_num_queries
):
    for number in range(15):
        index_item(
            create_item(
                department=service_city.market,
                name=f"示范登记事项{number:02d}",
                life_events=("start_business",),
                themes=("market",),
            )
        )
    for path in (
        "/services/",
        f"{SEARCH}?q=示范登记",
        f"/services/departments/{service_city.market.pk}/",
        "/services/events/start_business/",
        "/services/themes/market/",
    ):
        with django_assert_max_num_queries(6):
            assert client.get(path).status_code == 200
