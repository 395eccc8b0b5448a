"""Index and search on the database the tests run on (SQLite FTS5 or PostgreSQL tsvector)."""

from __future__ import annotations

import pytest
from django.db import connection

from yiwang.core.search import services as search
from yiwang.core.search.models import SearchDocument

pytestmark = pytest.mark.django_db


def add(object_id: int, title: str, keywords: str = "", body: str = "", popularity: int = 0, **kwargs):
    return search.index(
        kind="thing",
        object_id=object_id,
        title=title,
        keywords=keywords,
        body=body,
        popularity=popularity,
        **kwargs,
    )


def found(query: str, **kwargs) -> list[int]:
    return [hit.object_id for hit in search.search(kinds=["thing"], query=query, **kwargs).hits]


def test_the_full_text_index_is_the_databases_own():
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name FROM sqlite_master WHERE name = 'search_document_fts'")
        else:
            cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'search_document_vector'")
        row = cursor.fetchone()
    assert row and ("gin" in row[0] if connection.vendor == "postgresql" else True)


def test_a_title_match_outranks_a_keyword_match_outranks_a_body_match():
    add(1, "食品销售备案", body="材料：营业执照")
    add(2, "企业设立登记（营业执照）")
    add(3, "名称自主申报", keywords="营业执照 字号")
    assert found("营业执照") == [2, 3, 1]


def test_the_order_holds_for_a_word_in_most_documents():
    # BM25 gives ~0 to a term in more than half the documents: the coverage keeps the order.
    for n in range(4, 10):
        add(n, f"其他事项{n}", body="申请材料：营业执照、申请书")
    add(3, "名称自主申报", keywords="营业执照")
    add(2, "企业设立登记（营业执照）")
    assert found("营业执照")[:3] == [2, 3, 4]


def test_popularity_breaks_ties_and_can_be_updated_alone():
    add(1, "高龄津贴申领", popularity=0)
    add(2, "高龄津贴申领", popularity=500)
    assert found("高龄津贴") == [2, 1]
    search.popularity_set(kind="thing", object_id=1, popularity=100_000)
    assert found("高龄津贴") == [1, 2]
    assert search.boost_for(0) == 1.0 and 1.9 < search.boost_for(10_000) < 2.0


def test_popularity_does_not_lift_a_body_match_over_a_name_match():
    add(1, "不动产登记")
    add(2, "房屋交易备案", body="不动产登记证明", popularity=100_000)
    assert found("不动产登记") == [1, 2]


def test_every_term_must_match_before_any_term_may():
    add(1, "食品经营许可", keywords="开饭店 开餐馆 餐饮")
    add(2, "旅馆业特种行业许可证核发", keywords="开宾馆 开饭店式公寓")
    add(3, "个体工商户设立登记", keywords="开店")
    assert set(found("开饭店")) == {1, 2}  # 开店 alone is not 开饭店
    results = search.search(kinds=["thing"], query="我要开一家饭店餐饮")
    assert [hit.object_id for hit in results.hits] == [1] and results.terms == ("开", "饭店", "餐饮")
    # No document has both 饭店 and 失业: any term may match, the better matches first.
    assert found("饭店 失业") == [1, 2]


def test_characters_are_the_last_resort():
    add(1, "居民身份证换领", keywords="身份证")
    assert found("换证") == [1]
    assert found("办证") == []


def test_removed_and_replaced_documents_are_no_longer_found():
    add(1, "失业保险金申领")
    add(1, "就业登记")
    assert found("失业") == [] and found("就业") == [1]
    search.remove(kind="thing", object_id=1)
    assert found("就业") == [] and SearchDocument.objects.count() == 0


def test_a_full_reindex_sweeps_documents_no_longer_kept():
    add(1, "就业登记")
    add(2, "就业失业登记证")
    assert search.remove_all(kind="thing", keep_ids=[2]) == 1
    assert found("就业") == [2]


def test_kinds_and_tags_filter_the_results():
    add(1, "出生医学证明", tags=["event:birth", "dept:7"])
    add(2, "出生登记", tags=["event:birth", "dept:8"])
    search.index(kind="other", object_id=3, title="出生一件事", tags=["event:birth"])
    assert found("出生", tags=["dept:7"]) == [1]
    assert set(found("出生", tags=["event:birth"])) == {1, 2}
    assert found("出生", tags=["event:birth_x"]) == []
    both = search.search(kinds=["thing", "other"], query="出生")
    assert {(hit.kind, hit.object_id) for hit in both.hits} == {("thing", 1), ("thing", 2), ("other", 3)}
    with pytest.raises(ValueError):
        found("出生", tags=["dept:7%"])


def test_pages_and_totals():
    for n in range(1, 8):
        add(n, f"登记事项{n}", popularity=n)
    first = search.search(kinds=["thing"], query="登记", limit=3)
    last = search.search(kinds=["thing"], query="登记", limit=3, offset=6)
    beyond = search.search(kinds=["thing"], query="登记", limit=3, offset=60)
    assert [h.object_id for h in first.hits] == [7, 6, 5] and first.total == 7
    assert [h.object_id for h in last.hits] == [1] and beyond.hits == [] and beyond.total == 7


@pytest.mark.parametrize(
    "query",
    [
        '"',
        '"营业执照',
        "营业*",
        "*",
        "营业 AND 执照",
        "NEAR(营业 执照)",
        "title_tokens:营业",
        "营业 OR",
        "NOT 营业",
        "-营业",
        "(((",
        "营业执照😀🎉",
        "😀",
        "'; DROP TABLE search_searchdocument; --",
        "\\",
        "营业执照" * 50,
        "ｅ签宝 １２３",
        "a & b | !c <-> d:*",
    ],
)
def test_query_syntax_in_user_input_is_only_text(query):
    add(1, "企业设立登记（营业执照）", keywords="and near or not")
    results = search.search(kinds=["thing"], query=query)
    assert results.total >= 0
    assert SearchDocument.objects.count() == 1


def test_an_empty_or_punctuation_query_finds_nothing():
    add(1, "营业执照")
    assert found("") == [] and found("，。！？“”") == []
