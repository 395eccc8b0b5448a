"""检索同义词: what people type for an item, added to its keywords when it is indexed.

Index-time expansion keeps every query an AND of its own words (segment.py): a person typing
驾照 finds 机动车驾驶证…, without the query growing ORs that would drag in unrelated items.
Keys are matched against the item's name, its keywords and its result's name — not the
materials list, or every item that asks for a 营业执照 would be found by 开公司.
"""

from __future__ import annotations

SYNONYMS: dict[str, str] = {
    "营业执照": "执照 工商执照 开公司 注册公司",
    "企业设立": "开公司 注册公司 办企业 开办企业",
    "个体工商户": "个体户 开店 摆摊",
    "食品经营许可": "开饭店 开餐馆 餐饮 小吃店 食品销售",
    "居民身份证": "身份证 办身份证",
    "户口": "户籍",
    "户籍": "户口",
    "社会保险": "社保",
    "住房公积金": "公积金",
    "结婚登记": "领证 结婚证",
    "出生医学证明": "出生证",
    "新生儿": "生孩子 宝宝",
    "失业保险金": "失业金",
    "高龄津贴": "老年人补贴 尊老金",
    "不动产登记": "房产证 过户 房本",
    "建设工程规划许可": "建房 盖房 规划证",
    "机动车驾驶证": "驾照",
    "养老保险": "养老金 退休金",
}


def expansions(*texts: str) -> str:
    """The synonyms of every key found in the texts, space-separated."""
    joined = " ".join(texts)
    return " ".join(words for key, words in SYNONYMS.items() if key in joined)
