"""Browser test (Playwright driving Debian's Chromium): a citizen keeps a file in 我的材料."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from yiwang.core.files.tests import samples
from yiwang.core.tests.factories import PASSWORD, create_citizen

# The browser fixtures live beside the web pages' browser tests; importing them here makes
# them apply to this module too (Debian Chromium, zh-CN locale, the ORM beside Playwright).
from yiwang.core.web.tests.conftest import (  # noqa: F401
    _allow_sync_orm_beside_playwright,
    _audit_triggers_lifted,
    browser_context_args,
    browser_type_launch_args,
    playwright,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(scope="module")
def audit_flushable_here():
    """As web's `audit_flushable`, but for this module only and only if that session fixture
    is not already active in this process: lifting the SQLite audit triggers twice around one
    flush would re-create them twice ("trigger … already exists")."""
    from django.test import TransactionTestCase

    original = TransactionTestCase._fixture_teardown
    if original.__qualname__ != "TransactionTestCase._fixture_teardown":
        yield
        return

    def teardown(self):
        with _audit_triggers_lifted():
            original(self)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(TransactionTestCase, "_fixture_teardown", teardown)
        yield


@pytest.fixture
def site(audit_flushable_here, live_server):
    return live_server.url


def test_citizen_uploads_a_pdf_on_the_me_page_and_sees_it_listed(site, page: Page, tmp_path):
    citizen = create_citizen(display_name="李明")
    scan = tmp_path / "身份证扫描件.pdf"
    scan.write_bytes(samples.PDF)

    page.goto(f"{site}/login/")
    page.get_by_label("用户名或手机号").fill(citizen.username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_label("密码").press("Enter")
    expect(page.locator(".who")).to_have_text("李明")

    page.goto(f"{site}/me/")
    files = page.locator("section#files")
    expect(files.get_by_text("暂无材料。")).to_be_visible()
    expect(files.get_by_text("单个文件不超过20MB")).to_be_visible()
    files.get_by_label("选择文件").set_input_files(scan)
    files.get_by_role("button", name="上传").click()

    expect(page).to_have_url(f"{site}/me/#files")
    expect(page.get_by_role("status")).to_contain_text("已上传“身份证扫描件.pdf”")
    expect(files.get_by_role("link", name="身份证扫描件.pdf")).to_be_visible()
    expect(files.get_by_role("cell", name="PDF", exact=True)).to_be_visible()
