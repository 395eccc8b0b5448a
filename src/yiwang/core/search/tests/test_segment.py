"""Segmentation: documents and queries become the same terms (jieba search-engine mode)."""

from __future__ import annotations

from yiwang.core.search import segment


def test_a_long_word_also_yields_its_sub_words():
    assert {"营业", "执照", "营业执照"} <= set(segment.words("企业设立登记（营业执照）"))


def test_documents_also_index_every_cjk_character():
    terms = segment.index_terms("身份证换领").split()
    assert {"身份证", "换领", "换", "领", "身", "份", "证"} <= set(terms)


def test_terms_are_normalised_and_keep_only_letters_and_digits():
    assert list(segment.words("ＩＣＰ许可证"))[0] == "icp"
    assert segment.index_terms('"NEAR(营业 执照)" AND * : 😀').split()[:4] == ["near", "营业", "执照", "and"]
    assert segment.query_terms('"*:()😀') == ()
    assert segment.query_terms("  ") == ()


def test_query_stop_words_are_dropped_unless_nothing_else_is_left():
    assert segment.query_terms("我要开一家饭店") == ("开", "饭店")
    assert segment.query_terms("怎么办") == ("怎么", "怎么办")


def test_query_terms_are_distinct_and_bounded():
    terms = segment.query_terms("营业执照" * 100)
    assert terms == ("营业", "执照", "营业执照")
    assert len(segment.query_terms(" ".join(f"词{n}" for n in range(200)))) == segment.MAX_QUERY_TERMS


def test_query_characters_are_the_cjk_characters_of_the_terms():
    assert segment.query_characters(("办证", "a1")) == ("办", "证")


def test_highlight_cuts_a_window_around_the_first_match_and_marks_every_match():
    text = "申请材料：" + "甲" * 40 + "营业执照（副本）与营业执照原件" + "乙" * 40
    parts = segment.highlight(text, ("营业", "营业执照"), width=40)
    assert parts[0][0].startswith("…") and parts[-1][0].endswith("…")
    assert [fragment for fragment, marked in parts if marked] == ["营业执照", "营业执照"]


def test_highlight_without_a_match_shows_the_start_and_keeps_markup_as_text():
    parts = segment.highlight("<b>条件</b>", ("无关",))
    assert parts == (("<b>条件</b>", False),)
    assert segment.highlight("", ("x",)) == ()
