import pytest

from yiwang.core.validation_messages import pydantic_errors_to_fields


@pytest.mark.parametrize(
    ("loc", "field"),
    [
        (("body", "payload", "id_number"), "id_number"),
        (("form", "payload", "file"), "file"),
        (("query", "limit"), "limit"),
        (("body", "payload", "items", 0, "name"), "items.0.name"),
        (("body", "payload"), "payload"),
    ],
)
def test_field_names_drop_only_location_and_parameter(loc, field):
    assert list(pydantic_errors_to_fields([{"loc": loc, "type": "missing", "msg": ""}])) == [field]


def test_our_validators_reason_is_shown_without_pydantic_prefix():
    errors = [
        {
            "loc": ("body", "payload", "uscc"),
            "type": "value_error",
            "msg": "Value error, 统一社会信用代码校验位错误",
        }
    ]
    assert pydantic_errors_to_fields(errors) == {"uscc": "统一社会信用代码校验位错误"}


def test_type_errors_are_said_in_chinese():
    errors = [{"loc": ("query", "limit"), "type": "int_parsing", "msg": "Input should be a valid integer"}]
    assert pydantic_errors_to_fields(errors) == {"limit": "应为整数"}
