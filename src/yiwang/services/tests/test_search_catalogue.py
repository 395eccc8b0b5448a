"""门户检索 (services/search.py): what a person typing into the portal's search box finds."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from yiwang.core.errors import InvalidInput
from yiwang.core.search.models import SearchDocument
from yiwang.services import search
from yiwang.services.models import Bundle, BundleItem, ItemStatus
from yiwang.services.search import index_bundle, index_item, search_catalogue
from yiwang.services.tests.factories import create_item, portal_catalogue

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue(service_city):
    return portal_catalogue(service_city)


def names(query: str, **filters) -> list[str]:
    return [hit.name for hit in search_catalogue(query=query, **filters).hits]


def test_yingye_zhizhao_finds_the_item_named_so_first_then_by_keywords_then_by_materials(catalogue):
    found = names("营业执照")
    assert found[:2] == ["企业设立登记（营业执照）", "个体工商户设立登记"]
    assert "食品经营许可" in found  # asks for a 营业执照 among its materials


def test_kai_fandian_finds_the_food_licence_first(catalogue):
    page = search_catalogue(query="开饭店")
    assert page.hits[0].name == "食品经营许可" and page.hits[0].kind == "item"
    assert page.hits[0].department_name == "市市场监督管理局"
    assert "网上可办" in page.hits[0].badges
    assert names("我要开一家饭店")[0] == "食品经营许可"
    assert names("餐馆")[0] == "食品经营许可"


def test_the_snippet_marks_what_matched(catalogue):
    hit = search_catalogue(query="开饭店").hits[0]
    assert ("开饭店", True) in hit.snippet and "开饭店" in hit.snippet_text


def test_synonyms_life_events_and_results_are_searchable(catalogue):
    assert names("个体户")[0] == "个体工商户设立登记"  # keywords
    assert names("身份证")[0] == "居民身份证换领"
    assert names("尊老金")[0] == "高龄津贴申领"  # search_terms synonym
    assert names("开办企业")[0] in ("企业设立登记（营业执照）", "个体工商户设立登记")  # life-event label


def test_popularity_breaks_a_tie_and_follows_the_stored_count(catalogue):
    city_item, district_item = catalogue["elderly_city"], catalogue["elderly_district"]
    district_item.popularity = 40
    district_item.save(update_fields=["popularity"])
    search.index_item_popularity(district_item)
    hits = search_catalogue(query="高龄津贴").hits
    assert [hit.id for hit in hits] == [district_item.pk, city_item.pk]
    city_item.popularity = 4000
    city_item.save(update_fields=["popularity"])
    index_item(city_item)
    assert [hit.id for hit in search_catalogue(query="高龄津贴").hits] == [city_item.pk, district_item.pk]


def test_unpublished_and_offline_items_are_not_found_and_come_back_when_republished(catalogue):
    food = catalogue["food"]
    food.status = ItemStatus.OFFLINE
    food.save(update_fields=["status"])
    index_item(food)
    assert "食品经营许可" not in names("开饭店")
    food.status = ItemStatus.PUBLISHED
    food.save(update_fields=["status"])
    index_item(food)
    assert names("开饭店")[0] == "食品经营许可"


def test_a_stale_index_entry_of_an_unpublished_item_is_not_shown(catalogue):
    food = catalogue["food"]
    food.status = ItemStatus.DRAFT
    food.save(update_fields=["status"])  # without index_item
    assert "食品经营许可" not in names("开饭店")


def test_draft_items_and_items_not_applied_for_are_never_indexed(service_city):
    draft = create_item(department=service_city.market, name="草稿事项登记", published=False)
    penalty = create_item(department=service_city.market, name="处罚事项登记", item_type="penalty")
    index_item(draft)
    index_item(penalty)
    assert names("登记") == [] and not SearchDocument.objects.exists()


def test_filters_by_subject_department_and_life_event(catalogue):
    assert "企业设立登记（营业执照）" not in names("登记", subject="citizen")
    assert "个体工商户设立登记" in names("登记", subject="citizen")
    district = catalogue["departments"]["district"]
    assert [h.id for h in search_catalogue(query="高龄津贴", department_id=district.pk).hits] == [
        catalogue["elderly_district"].pk
    ]
    assert names("登记", life_event="start_business") == ["企业设立登记（营业执照）", "个体工商户设立登记"]
    assert names("高龄津贴", theme="market") == []


def test_published_bundles_are_found_with_their_items_and_leave_when_unpublished(catalogue, service_city):
    bundle = Bundle.objects.create(
        code="open-restaurant",
        name="开餐饮店一件事",
        life_event="start_business",
        subject="enterprise",
        description="营业执照和食品经营许可一次办",
        keywords="开饭店",
        status="published",
        lead_department=service_city.market,
    )
    BundleItem.objects.create(bundle=bundle, item=catalogue["company"], position=0)
    BundleItem.objects.create(bundle=bundle, item=catalogue["food"], position=1)
    index_bundle(bundle)
    hits = search_catalogue(query="开餐饮店").hits
    assert (hits[0].kind, hits[0].name, hits[0].badges) == ("bundle", "开餐饮店一件事", ("一件事一次办",))
    assert "bundle" in {hit.kind for hit in search_catalogue(query="企业设立登记").hits}  # its item's name
    assert "bundle" not in {hit.kind for hit in search_catalogue(query="开餐饮店", subject="citizen").hits}
    bundle.status = "offline"
    bundle.save(update_fields=["status"])
    index_item(catalogue["food"])  # an item's change reindexes its bundles
    assert "bundle" not in {hit.kind for hit in search_catalogue(query="开餐饮店").hits}


@pytest.mark.parametrize(
    "query",
    ['"', '营业执照"', "营业*", "营业 AND 执照", "NEAR(营业 执照)", "name:营业", "😀🎉", "营业执照🚀", "\\"],
)
def test_query_syntax_and_emoji_are_plain_text(catalogue, query):
    page = search_catalogue(query=query)
    assert page.total >= 0


def test_an_empty_or_punctuation_only_query_is_not_searchable(catalogue):
    for query in ("", "   ", "，。？！", "😀", "*"):
        page = search_catalogue(query=query)
        assert (page.searchable, page.total, page.hits) == (False, 0, [])


def test_bad_filters_are_named_one_by_one_in_chinese(catalogue):
    with pytest.raises(InvalidInput) as raised:
        search_catalogue(
            query="营业执照" * 30,
            subject="alien",
            life_event="x",
            theme="y",
            department_id=0,
            limit=0,
            offset=-1,
        )
    fields = raised.value.fields
    assert set(fields) == {"q", "subject", "life_event", "theme", "department", "limit", "offset"}
    assert "100" in fields["q"] and "服务对象" in fields["subject"]
    with pytest.raises(InvalidInput) as raised:
        search_catalogue(query="营" * 101)
    assert raised.value.fields == {"q": raised.value.message}
    assert search_catalogue(query="营" * 100).total >= 0


def test_pages_of_results(catalogue):
    first = search_catalogue(query="登记", limit=1)
    second = search_catalogue(query="登记", limit=1, offset=1)
    assert first.total == second.total >= 2 and first.hits[0].id != second.hits[0].id


def test_reindex_rebuilds_the_index_and_drops_what_is_no_longer_published(catalogue):
    SearchDocument.objects.filter(kind="item", object_id=catalogue["food"].pk).delete()
    SearchDocument.objects.create(kind="item", object_id=999_999, title_tokens="幽灵", display_text="幽灵")
    out = StringIO()
    call_command("search_reindex", stdout=out)
    assert "事项 6 项" in out.getvalue()
    assert names("开饭店")[0] == "食品经营许可"
    assert not SearchDocument.objects.filter(object_id=999_999).exists()


def test_a_reindex_failing_midway_leaves_the_index_as_it_was(catalogue, monkeypatch):
    before = list(SearchDocument.objects.order_by("pk").values_list("kind", "object_id", "title_tokens"))
    SearchDocument.objects.create(kind="item", object_id=999_999, title_tokens="幽灵")
    calls = []

    def failing(item):
        calls.append(item)
        if len(calls) == 3:
            raise RuntimeError("database went away")
        SearchDocument.objects.filter(kind="item", object_id=item.pk).update(title_tokens="改")

    monkeypatch.setattr(search, "_index_published_item", failing)
    with pytest.raises(RuntimeError):
        call_command("search_reindex", stdout=StringIO())
    after = list(
        SearchDocument.objects.exclude(object_id=999_999)
        .order_by("pk")
        .values_list("kind", "object_id", "title_tokens")
    )
    assert after == before and SearchDocument.objects.filter(object_id=999_999).exists()
