"""Samples and helpers shared by the import tests."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

from yiwang.core import codes
from yiwang.core.accounts.models import Permission, Role
from yiwang.core.audit.models import AuditRecord
from yiwang.core.tests import factories

ORGS = "/api/v1/orgs"
PAGE = "/workbench/orgs/import/"


def csv_bytes(*lines: str, encoding: str = "utf-8") -> bytes:
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


def bad_check_digit(uscc: str) -> str:
    wrong = next(c for c in codes.USCC_ALPHABET if c != uscc[17])
    return uscc[:17] + wrong


def upload(data: bytes, name: str = "list.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="text/csv")


def official_with(*permission_codes: str):
    """An official whose only role grants exactly these permissions, city-wide."""
    role = Role.objects.create(code=f"r{Role.objects.count()}", name="导入测试角色")
    role.permissions.set(Permission.objects.filter(code__in=permission_codes))
    user = factories.create_official()
    factories.grant(user, factories.create_department(), role.code, city_wide=True)
    return user


def statuses(report) -> list[tuple[int, str]]:
    return [(row.line, row.status) for row in report.sorted_rows()]


def created_records() -> int:
    return AuditRecord.objects.filter(action__in=["orgs.division.created", "orgs.department.created"]).count()


DIVISIONS_GBK = csv_bytes(
    "区划代码,名称,上级区划代码",
    "330102,上城区,330100",
    "330102001000,清波街道,330102",
    encoding="gbk",
)


def departments_file(*rows: str, bom: bool = False) -> bytes:
    data = csv_bytes("部门名称,统一社会信用代码,所属区划代码,上级部门名称,部门类型,排序", *rows)
    return (b"\xef\xbb\xbf" + data) if bom else data
