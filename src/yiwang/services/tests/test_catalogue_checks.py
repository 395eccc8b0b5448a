"""Every rule a version's content must satisfy, each refused with its field named in Chinese."""

from __future__ import annotations

import pytest

from yiwang.core.errors import InvalidInput
from yiwang.core.tests import factories as core
from yiwang.licenses.services.types import license_type_create
from yiwang.services.models import ServiceItemVersion
from yiwang.services.services import catalogue
from yiwang.services.tests.factories import catalogue_item

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(service_city):
    item = catalogue_item(service_city)
    return item.versions.get()


def refused(city, version, content) -> dict:
    version = ServiceItemVersion.objects.get(pk=version.pk)
    with pytest.raises(InvalidInput) as error:
        catalogue.version_update(
            actor=city.market_admin, version=version, content=content, expected_version=version.edit_version
        )
    return error.value.fields


def saved(city, version, content) -> ServiceItemVersion:
    version = ServiceItemVersion.objects.get(pk=version.pk)
    catalogue.version_update(
        actor=city.market_admin, version=version, content=content, expected_version=version.edit_version
    )
    return ServiceItemVersion.objects.get(pk=version.pk)


@pytest.mark.parametrize(
    ("content", "field", "reason"),
    [
        ({"item_type": "tax"}, "item_type", "事项类型无效"),
        ({"exercise_level": "galaxy"}, "exercise_level", "行使层级无效"),
        ({"statutory_limit_unit": "hours"}, "statutory_limit_unit", "法定时限单位无效"),
        ({"promised_limit_unit": 3}, "promised_limit_unit", "承诺时限单位无效"),
        ({"handling_kind": "fast"}, "handling_kind", "办件类型无效"),
        ({"scope": "world"}, "scope", "通办范围无效"),
        ({"result_kind": "gift"}, "result_kind", "结果类型无效"),
        ({"subjects": []}, "subjects", "请至少选择一项服务对象"),
        ({"subjects": ["alien"]}, "subjects", "服务对象中“alien”无效"),
        ({"subjects": "citizen"}, "subjects", "服务对象应为列表"),
        ({"handling_forms": ["fax"]}, "handling_forms", "办理形式中“fax”无效"),
        ({"delivery_methods": []}, "delivery_methods", "请至少选择一项送达方式"),
        ({"delivery_methods": ["pigeon"]}, "delivery_methods", "送达方式中“pigeon”无效"),
        ({"life_events": ["lottery"]}, "life_events", "人生事件中“lottery”无效"),
        ({"themes": ["space"]}, "themes", "主题分类中“space”无效"),
        ({"statutory_limit": 1000}, "statutory_limit", "法定办结时限应为0–999的整数"),
        ({"promised_limit": -1}, "promised_limit", "承诺办结时限应为0–999的整数"),
        ({"promised_limit": "5"}, "promised_limit", "承诺办结时限应为0–999的整数"),
        ({"online_depth": 8}, "online_depth", "网办深度应为1–7的整数"),
        ({"online_depth": 0}, "online_depth", "网办深度应为1–7的整数"),
        ({"visits": 4}, "visits", "到办事现场次数应为0–3的整数"),
        ({"visits": True}, "visits", "到办事现场次数应为0–3的整数"),
        ({"fee_free": "yes"}, "fee_free", "不收费应为 true 或 false"),
        ({"allows_deficiency": 1}, "allows_deficiency", "容缺受理应为 true 或 false"),
        ({"name": ""}, "name", "请填写事项名称"),
        ({"name": "名" * 129}, "name", "事项名称至多128个字符"),
        ({"legal_basis": "x" * 4001}, "legal_basis", "设定依据至多4000个字符"),
        ({"conditions": 5}, "conditions", "受理条件应为文字"),
        ({"power_source": "x" * 65}, "power_source", "权力来源至多64个字符"),
        ({"location": "a\x00b"}, "location", "办理地点应为文字"),
        ({"office_hours": "x" * 256}, "office_hours", "办理时间至多255个字符"),
        ({"phone": "1" * 65}, "phone", "咨询电话至多64个字符"),
        ({"keywords": "k" * 256}, "keywords", "检索关键词至多255个字符"),
        ({"result_name": "r" * 129}, "result_name", "结果名称至多128个字符"),
        ({"process_code": "services.rectification"}, "process_code", "办理流程无效"),
        ({"acceptance_department": 999999}, "acceptance_department", "部门不存在"),
        ({"joint_departments": "fire"}, "joint_departments", "并联审批部门应为不超过20个部门的列表"),
        ({"joint_departments": [999999]}, "joint_departments", "部门不存在：999999"),
        ({"result_field_map": ["a"]}, "result_field_map", "证照字段来源应为"),
        ({"form_fields": "text"}, "form_fields", "申请表字段应为不超过60项的列表"),
        ({"form_fields": [{"code": "Bad", "label": "x"}]}, "form_fields[0].code", "字段代码应为小写字母开头"),
        ({"form_fields": [{"code": "a", "label": ""}]}, "form_fields[0].label", "请填写字段名称"),
        (
            {"form_fields": [{"code": "a", "label": "x", "type": "colour"}]},
            "form_fields[0].type",
            "字段类型“colour”无效",
        ),
        (
            {"form_fields": [{"code": "a", "label": "x", "type": "choice", "choices": ["一"]}]},
            "form_fields[0].choices",
            "单选字段须有2–50个选项",
        ),
        ({"status": "published"}, "status", "未知字段或不可修改的字段"),
        ({"number": 9}, "number", "未知字段或不可修改的字段"),
    ],
)
def test_each_field_is_checked_and_named(service_city, draft, content, field, reason):
    assert refused(service_city, draft, content)[field].startswith(reason)


def test_content_that_is_not_an_object_is_refused(service_city, draft):
    assert refused(service_city, draft, ["name"]) == {"content": "内容应为“字段 → 值”的对象"}


def test_promised_limit_may_not_exceed_the_statutory_one_in_the_same_unit(service_city, draft):
    fields = refused(service_city, draft, {"statutory_limit": 20, "promised_limit": 21})
    assert fields == {"promised_limit": "承诺办结时限不能超过法定办结时限（20个工作日）"}
    # in different units the two are not compared
    saved(service_city, draft, {"promised_limit": 25, "promised_limit_unit": "natural_days"})


def test_immediate_items_use_the_immediate_process_and_only_they(service_city, draft):
    assert refused(service_city, draft, {"handling_kind": "immediate"}) == {
        "handling_kind": "即办件应使用“即办件办理”流程（services.immediate）"
    }
    assert refused(service_city, draft, {"process_code": "services.immediate"}) == {
        "process_code": "“即办件办理”流程只用于办件类型为即办件的事项"
    }
    version = saved(service_city, draft, {"handling_kind": "immediate", "process_code": "services.immediate"})
    assert version.process_code == "services.immediate"


def test_joint_review_needs_exactly_one_other_active_department(service_city, draft):
    city = service_city
    assert refused(city, draft, {"process_code": "services.joint"}) == {
        "joint_departments": "并联审批须指定1个协办部门"
    }
    assert refused(city, draft, {"joint_departments": [city.fire.pk]}) == {
        "joint_departments": "只有“并联审批”流程的事项可以指定并联审批部门"
    }
    assert refused(
        city, draft, {"process_code": "services.joint", "joint_departments": [city.market.pk]}
    ) == {"joint_departments": "实施部门是主办部门，不能同时列为并联审批（协办）部门"}
    closed = core.create_department("已撤销部门", division=city.city)
    closed.is_active = False
    closed.save()
    assert refused(city, draft, {"process_code": "services.joint", "joint_departments": [closed.pk]}) == {
        "joint_departments": "部门已停用：已撤销部门"
    }
    assert refused(city, draft, {"acceptance_department": closed.pk}) == {
        "acceptance_department": "部门“已撤销部门”已停用"
    }
    version = saved(
        city,
        draft,
        {
            "process_code": "services.joint",
            "joint_departments": [city.fire.pk],
            "acceptance_department": city.hall.pk,
        },
    )
    assert list(version.joint_departments.all()) == [city.fire] and version.acceptance_department == city.hall


def test_a_charged_item_states_its_fees(service_city, draft):
    assert refused(service_city, draft, {"fee_free": False}) == {"fees": "收费事项须填写收费标准及依据"}
    saved(service_city, draft, {"fee_free": False, "fees": "工本费10元（发改价格〔2019〕1号）"})


def test_a_licence_result_names_a_type_the_department_issues_and_where_each_field_comes_from(
    service_city, draft
):
    city = service_city
    assert refused(city, draft, {"result_kind": "license"}) == {
        "result_license_type": "结果为电子证照时须选择证照类型"
    }
    assert refused(city, draft, {"result_kind": "license", "result_license_type": "nope"}) == {
        "result_license_type": "证照类型“nope”不存在或已停用"
    }
    foreign = license_type_create(
        actor=city.sys_admin,
        code=f"{city.fire.uscc}001",
        name="消防检查合格证",
        holder_kind="legal_person",
        defining_department=city.fire,
        issuers=[city.fire],
        fields=[{"name": "scope", "label": "范围", "type": "text"}],
        validity={"years": 1},
    )
    assert refused(city, draft, {"result_kind": "license", "result_license_type": foreign.code}) == {
        "result_license_type": "实施部门不是“消防检查合格证”的颁发机构"
    }
    food = city.food_type.code
    fields = refused(
        city,
        draft,
        {
            "result_kind": "license",
            "result_license_type": food,
            "result_field_map": {
                "colour": "applicant.name",
                "address": "form:nowhere",
                "business_scope": "sky",
            },
        },
    )
    assert fields["result_field_map.colour"] == "“食品经营许可证”没有信息项“colour”"
    assert fields["result_field_map.address"].startswith("来源应为 form:<申请表字段代码>")
    assert fields["result_field_map.business_scope"].startswith("来源应为")
    assert refused(
        city,
        draft,
        {
            "result_kind": "license",
            "result_license_type": food,
            "result_field_map": {"address": "form:address"},
        },
    ) == {"result_field_map": "证照必填信息项须指定来源：经营项目"}
    version = saved(
        city,
        draft,
        {
            "result_kind": "license",
            "result_license_type": food,
            "result_field_map": {"address": "form:address", "business_scope": "form:business_scope"},
        },
    )
    assert version.result_license_type == food
    # the form field a licence field comes from cannot be removed from the form
    assert refused(city, draft, {"form_fields": [{"code": "address", "label": "经营场所"}]}) == {
        "result_field_map.business_scope": (
            "来源应为 form:<申请表字段代码>（该字段须在申请表中）、applicant.name、applicant.code 或 application.number"
        )
    }
    # a document result clears the licence leftovers; naming a licence type with it is refused
    assert refused(city, draft, {"result_kind": "document", "result_license_type": food}) == {
        "result_license_type": "结果类型为决定文书时不填写证照类型与证照字段来源"
    }
    version = saved(city, draft, {"result_kind": "document"})
    assert (version.result_license_type, version.result_field_map) == ("", {})


def test_several_bad_fields_are_named_at_once_and_nothing_changes(service_city, draft):
    fields = refused(service_city, draft, {"online_depth": 9, "visits": -1, "subjects": [], "name": ""})
    assert set(fields) == {"online_depth", "visits", "subjects", "name"}
    assert ServiceItemVersion.objects.get(pk=draft.pk).name == "食品经营许可（示例）"
