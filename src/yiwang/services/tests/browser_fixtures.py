"""What the 一网通办 browser tests share (Playwright driving Debian's Chromium): the live site,
signing in through the login page on a phone or a desktop, the phone's sideways-scroll check,
and small PDFs to upload.

A test module imports the fixtures it uses from here, one by one, so pytest finds them in that
module (as the licence and workflow browser tests import web's), and binds `site` to a module
name of its own (`site = browser_fixtures.site`) since its tests take `site` as a parameter."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page, expect

from yiwang.core.tests.factories import PASSWORD

# The browser fixtures live beside the web pages' browser tests (Debian Chromium, zh-CN
# locale, the ORM beside Playwright); re-exported so a test module imports them from here.
from yiwang.core.web.tests.conftest import (  # noqa: F401
    _allow_sync_orm_beside_playwright,
    _audit_triggers_lifted,
    browser_context_args,
    browser_type_launch_args,
    playwright,
)
from yiwang.services.models import Application

PHONE = {"width": 375, "height": 812}
PHONE_CONTEXT = {"viewport": PHONE, "device_scale_factor": 1, "is_mobile": True, "has_touch": True}
# How far the page scrolls sideways: 0 when it fits the screen (STYLE: pages work at 375px).
OVERFLOW = "document.documentElement.scrollWidth - document.documentElement.clientWidth"
SAMPLE_PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


@pytest.fixture(scope="module")
def audit_flushable_here():
    """As web's `audit_flushable`, unless that session fixture is already active in this
    process (lifting the SQLite audit triggers twice around one flush would fail)."""
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
    """The live server's address. Browser tests are transactional: the server reads the
    committed data from its own thread."""
    return live_server.url


def log_in(browser: Browser, site: str, user, *, phone: bool = False) -> Page:
    """A fresh browser (own cookies) signed in through the login page; a phone (375×812,
    touch) when `phone`, else a desktop. Its pages go to paths of the site ("/me/…")."""
    context = browser.new_context(locale="zh-CN", base_url=site, **(PHONE_CONTEXT if phone else {}))
    page = context.new_page()
    page.goto("/login/")
    page.get_by_label("用户名或手机号").fill(user.username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page.locator(".who")).to_have_text(user.display_name)
    return page


def pdf_file(name: str, marker: str = "") -> dict:
    """A small PDF for `set_input_files`; a different `marker` gives different content."""
    content = SAMPLE_PDF + (f"% {marker}\n".encode() if marker else b"")
    return {"name": name, "mimeType": "application/pdf", "buffer": content}


# The elements sticking out on the right, or whose text does (outside a .table-wrap, which
# scrolls by itself): named in the failure.
STICKING_OUT = """() => {
  const width = document.documentElement.clientWidth;
  const out = [...document.querySelectorAll("body *")]
    .filter((e) => !e.closest(".table-wrap"))
    .filter((e) => e.getBoundingClientRect().right + window.scrollX > width + 0.5
      || (e.scrollWidth > e.clientWidth + 1 && getComputedStyle(e).overflowX === "visible"));
  return out.filter((e) => !out.some((o) => o !== e && e.contains(o))).map((e) => e.outerHTML.slice(0, 160));
}"""


def fits_the_phone(page: Page) -> None:
    """The page reads on a 375px phone without sideways scrolling (measured once its
    stylesheet has loaded: an unstyled page is wider)."""
    page.wait_for_load_state("load")
    if page.evaluate(OVERFLOW) > 0:
        culprits = "\n".join(page.evaluate(STICKING_OUT))
        raise AssertionError(f"{page.url} scrolls sideways on a phone; sticking out:\n{culprits}")


def open_application(page: Page, application: Application) -> None:
    """From the 办件 inbox's 全部 tab to the application's page."""
    page.goto("/workbench/services/applications/?box=all")
    page.get_by_role("link", name=application.number).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(application.number)


def act(page: Page, button: str, fields: dict | None = None, *, done: str) -> None:
    """Fill the action form whose button is `button` on the application's page and submit
    it: text fields by label, radios (value True) checked by their exact label."""
    form = page.locator("form", has=page.get_by_role("button", name=button, exact=True))
    for label, value in (fields or {}).items():
        if value is True:
            form.get_by_label(label, exact=True).check()
        else:
            form.get_by_label(label).fill(value)
    form.get_by_role("button", name=button, exact=True).click()
    expect(said(page)).to_contain_text(done)


def said(page: Page):
    """The page's messages (the outcome of the last action)."""
    return page.locator("ul.messages")
