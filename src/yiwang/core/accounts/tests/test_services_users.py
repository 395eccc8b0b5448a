"""The services behind the API are the same for forms and imports: they validate on their own."""

from __future__ import annotations

import pytest

from yiwang.core.accounts.models import User
from yiwang.core.accounts.services import officials, personal, users
from yiwang.core.audit.models import AuditRecord
from yiwang.core.errors import InvalidInput, NotFound, PermissionDenied
from yiwang.core.tests import factories


def test_citizen_register_checks_codes_without_the_schema(db):
    with pytest.raises(InvalidInput) as caught:
        users.citizen_register(
            username="zhangsan",
            password=factories.PASSWORD,
            display_name="张三",
            id_number="110105194912310021",
            phone="1381234567",
            email="not-an-email",
        )

    assert caught.value.fields == {
        "id_number": "身份证号校验位错误",
        "phone": "手机号码应为11位，以1开头",
        "email": "电子邮箱格式不正确",
    }
    assert not User.objects.exists() or not User.objects.filter(username="zhangsan").exists()


def test_enterprise_register_checks_the_uscc(citizen):
    uscc = factories.make_uscc()
    wrong = uscc[:-1] + ("0" if uscc[-1] != "0" else "1")

    with pytest.raises(InvalidInput) as caught:
        users.enterprise_register(
            agent=citizen,
            username="ent_x",
            password=factories.PASSWORD,
            name="某公司",
            uscc=wrong,
            legal_representative="李四",
        )

    assert caught.value.fields == {"uscc": "统一社会信用代码校验位错误"}


def test_official_update_requires_management_scope(department, other_department):
    admin = factories.create_official(department=department, role="dept_admin")
    foreign = factories.create_official(department=other_department, role="handler")

    with pytest.raises(PermissionDenied):
        officials.official_update(actor=admin, user=foreign, display_name="改名")

    foreign.refresh_from_db()
    assert foreign.display_name == "王五"


def test_official_update_refuses_a_phone_someone_else_uses(department):
    admin = factories.create_official(department=department, role="dept_admin")
    clerk = factories.create_official(department=department, role="window_clerk")
    factories.create_citizen(phone="13512345678")

    with pytest.raises(InvalidInput) as caught:
        officials.official_update(actor=admin, user=clerk, phone="13512345678")

    assert caught.value.fields == {"phone": "该手机号码已被其他账号使用"}


def test_citizen_accounts_are_unlocked_only_with_city_wide_scope(department, citizen):
    from yiwang.core.accounts.services.login import user_unlock

    local_admin = factories.create_official(department=department, role="dept_admin")
    city_admin = factories.create_official(role="dept_admin", city_wide=True)

    with pytest.raises(PermissionDenied):
        user_unlock(actor=local_admin, user=citizen)
    user_unlock(actor=city_admin, user=citizen)

    assert AuditRecord.objects.filter(action="core.user.unlocked", actor_id=city_admin.pk).exists()


def test_reading_ones_own_data_needs_no_permission(citizen):
    assert (
        personal.personal_data_reveal(actor=citizen, subject_id=citizen.pk, field="phone", purpose="")
        == citizen.phone
    )


def test_reveal_of_someone_out_of_sight_is_not_found(citizen):
    other = factories.create_citizen()

    with pytest.raises(NotFound):
        personal.personal_data_reveal(actor=citizen, subject_id=other.pk, field="id_number", purpose="好奇")
