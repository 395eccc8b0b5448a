"""The licence PDF (issue 4 §3), read back with pypdf as a verifier or a holder's viewer would."""

import base64
import io
import os
import re
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
import segno
from django.conf import settings as django_settings
from PIL import Image
from pypdf import PdfReader
from reportlab.pdfbase.pdfmetrics import stringWidth

from yiwang.licenses.fonts import cjk_font
from yiwang.licenses.rendering import BOTTOM, LEFT, QR_FORM, RIGHT, TOP, LicenseSheet, render_pdf
from yiwang.licenses.seal import seal_png_default

IDENTIFIER = "1.2.156.3005.2.11100000000013338W001.11330100MB0000000X.20250001.001.K"
VERIFY_URL = f"https://gov.example.cn/licenses/verify/{IDENTIFIER}"
SIGNATURE = base64.b64encode(bytes(range(71))).decode()
SCOPE = "；".join(
    [
        "食品销售（仅销售预包装食品）",
        "日用百货、五金产品、电子产品的零售与批发",
        "技术服务、技术开发、技术咨询、技术交流、技术转让、技术推广",
        "软件开发",
        "信息系统集成服务",
    ]
    * 6
)  # about 400 characters: far wider than the value column
FONT_EXISTS = Path(django_settings.LICENSE_FONT).is_file()


def business_licence(**changes) -> LicenseSheet:
    sheet = LicenseSheet(
        title="营业执照",
        identifier=IDENTIFIER,
        number="91330100MA2ABCDE1X",
        holder_name="示范市云端科技有限公司",
        holder_code_masked="9133**********DE1X",
        holder_code_type_name="统一社会信用代码",
        issuer_name="示范市市场监督管理局",
        issued_on=date(2025, 3, 1),
        valid_from=date(2025, 3, 1),
        valid_until=None,
        fields=(
            ("名称", "示范市云端科技有限公司"),
            ("类型", "有限责任公司（自然人投资或控股）"),
            ("法定代表人", "张三"),
            ("注册资本", "伍佰万元整"),
            ("住所", "示范市云端区创新大道88号科创园3幢1201室"),
            ("经营范围", SCOPE),
        ),
        verify_url=VERIFY_URL,
        signature_b64=SIGNATURE,
        key_id="330100-sm2-2025-01",
        algorithm="SM2-SM3",
    )
    return replace(sheet, **changes)


def read(pdf: bytes) -> PdfReader:
    assert pdf.startswith(b"%PDF-")
    return PdfReader(io.BytesIO(pdf))


def text_of(reader: PdfReader) -> str:
    """All pages' text with white space removed (wrapped lines join up again)."""
    return re.sub(r"\s+", "", "".join(page.extract_text() for page in reader.pages))


def fonts_of(reader: PdfReader) -> list[dict]:
    return [ref.get_object() for ref in reader.pages[0]["/Resources"]["/Font"].values()]


def test_the_licence_shows_its_title_holder_issuer_identifier_signature_and_qr_caption():
    reader = read(render_pdf(business_licence()))
    text = text_of(reader)
    for expected in ("营业执照", "示范市云端科技有限公司", "示范市市场监督管理局", IDENTIFIER, "扫码核验"):
        assert expected in text
    assert SIGNATURE[:48] in text
    assert "9133**********DE1X" in text and "2025年3月1日至长期" in text
    assert "电子签名" in text and "SM2-SM3" in text and "330100-sm2-2025-01" in text
    assert SCOPE.replace(" ", "") in text  # the long value wrapped, none of it lost
    assert "已吊销" not in text
    assert len(reader.pages) == 1
    page = reader.pages[0]
    assert (float(page.mediabox.width), float(page.mediabox.height)) == pytest.approx(
        (595.28, 841.89), abs=0.01
    )


def test_metadata_names_the_licence_its_issuer_and_the_font():
    meta = read(render_pdf(business_licence())).metadata
    assert meta.title == f"营业执照 {IDENTIFIER}"
    assert meta.author == "示范市市场监督管理局"
    assert meta.subject == "电子证照"
    assert meta.creator == "yiwang"
    assert ("wqy-microhei" if FONT_EXISTS else "STSong-Light") in meta.producer


def test_the_chinese_font_is_embedded_as_a_wenquanyi_subset():
    if not FONT_EXISTS:
        # .ci/run installs fonts-wqy-microhei: in CI a missing font is a failure, as Chromium is.
        if os.environ.get("CI"):
            pytest.fail(f"the licence font is required in CI but {django_settings.LICENSE_FONT} is missing")
        pytest.skip("fonts-wqy-microhei is not installed (apt-get install fonts-wqy-microhei)")
    cjk = [
        font for font in fonts_of(read(render_pdf(business_licence()))) if "WenQuanYi" in font["/BaseFont"]
    ]
    assert cjk, "no WenQuanYi font on the page"
    for font in cjk:
        assert re.fullmatch(r"/[A-Z]{6}\+WenQuanYiMicroHei.*", font["/BaseFont"])  # a subset
        assert "/FontFile2" in font["/FontDescriptor"].get_object()  # embedded TrueType


def test_the_qr_code_is_the_verification_url_at_error_correction_m():
    page = read(render_pdf(business_licence())).pages[0]
    forms = {name: ref.get_object() for name, ref in page["/Resources"]["/XObject"].items()}
    form = forms[f"/FormXob.{QR_FORM}"]
    assert f"/FormXob.{QR_FORM} Do".encode() in page.get_contents().get_data()
    size = int(form["/BBox"][2])
    drawn = [[0] * size for _ in range(size)]
    for x, y, width in re.findall(rb"(\d+) (\d+) (\d+) 1 re", form.get_data()):
        for column in range(int(x), int(x) + int(width)):
            drawn[size - 1 - int(y)][column] = 1
    expected = segno.make(VERIFY_URL, error="m", boost_error=False)
    assert expected.error == "M"
    assert drawn == [list(row) for row in expected.matrix]


def test_a_revoked_copy_is_stamped_across_the_page():
    text = text_of(read(render_pdf(business_licence(status_note="已吊销"))))
    assert "已吊销" in text


@pytest.mark.parametrize(
    "changes",
    [
        {"holder_name": "示范市" + "云端" * 40 + "科技有限公司"},
        {
            "title": "中华人民共和国医疗器械网络交易服务第三方平台备案凭证",
            "issuer_name": "示范市云端区市场监督管理局高新技术产业开发区分局行政审批服务科",
            "key_id": "330100-sm2-" + "k" * 120,
            "verify_url": VERIFY_URL + "?share=" + "x" * 150,
            "fields": (("备注", "A" * 300), ("经营范围", SCOPE)),
        },
    ],
    ids=["long holder", "long everything"],
)
def test_no_text_runs_off_the_page_or_out_of_the_frame(changes):
    reader = read(render_pdf(business_licence(**changes)))
    cjk_name = cjk_font().name
    placed = []

    def visit(text, cm, tm, font, size):
        if not text.strip() or cm[1] or cm[2] or tm[1] or tm[2]:
            return  # the seal's name and the status stamp are rotated, drawn inside by design
        scale = tm[0] * cm[0]
        x, y = tm[4] * cm[0] + cm[4], tm[5] * cm[3] + cm[5]
        name = "Courier" if "Courier" in font["/BaseFont"] else cjk_name
        width = stringWidth(text.rstrip("\n"), name, size) * scale
        placed.append((text, x, y, width))

    reader.pages[0].extract_text(visitor_text=visit)
    assert len(placed) > 20
    for text, x, y, width in placed:  # within the margins, well inside the frame
        assert LEFT <= x <= x + width <= RIGHT, text
        assert BOTTOM <= y <= TOP, text


def value_column_text(reader: PdfReader) -> str:
    """The text drawn in the table's value column, all pages in order."""
    value_x = 52 + 118 + 6  # LEFT + LABEL_WIDTH + CELL_PAD
    parts = []

    def visit(text, cm, tm, font, size):
        if abs(cm[4] + tm[4] - value_x) < 0.5 and not (cm[1] or tm[1]):
            parts.append(text)

    for page in reader.pages:
        page.extract_text(visitor_text=visit)
    return re.sub(r"\s+", "", "".join(parts))


def test_a_table_too_long_for_one_page_continues_on_the_next_with_page_numbers():
    huge = SCOPE * 12  # some 5,000 characters
    reader = read(render_pdf(business_licence(fields=(("经营范围", huge),))))
    pages = len(reader.pages)
    assert pages >= 2
    holder = "示范市云端科技有限公司9133**********DE1X"
    assert value_column_text(reader) == holder + huge + "2025年3月1日至长期"  # in order, none cut off
    for number, page in enumerate(reader.pages, start=1):
        page_text = re.sub(r"\s+", "", page.extract_text())
        assert f"第{number}页/共{pages}页" in page_text
        assert "扫码核验" in page_text and IDENTIFIER in page_text  # every page can be verified
        if number == 2:
            assert "经营范围（续）" in page_text


def test_a_missing_font_falls_back_to_the_builtin_song_font_and_says_so(settings, tmp_path, caplog):
    missing = str(tmp_path / "no-such-font.ttc")
    settings.LICENSE_FONT = missing
    with caplog.at_level("WARNING", "yiwang.licenses.fonts"):
        first = read(render_pdf(business_licence()))
        read(render_pdf(business_licence()))
    warnings = [r for r in caplog.records if r.name == "yiwang.licenses.fonts" and missing in r.getMessage()]
    assert len(warnings) == 1  # once, not on every licence
    fonts = fonts_of(first)
    assert [f["/BaseFont"] for f in fonts if "STSong" in f["/BaseFont"]] == ["/STSong-Light"]
    assert not any("/FontFile2" in f.get("/FontDescriptor", {}) for f in fonts)
    assert "STSong-Light" in first.metadata.producer
    text = text_of(first)
    assert "营业执照" in text and "示范市市场监督管理局" in text and IDENTIFIER in text


def test_the_issuers_seal_image_is_placed_with_its_transparency():
    seal = seal_png_default("示范市市场监督管理局")
    page = read(render_pdf(business_licence(seal_png=seal))).pages[0]
    images = [ref.get_object() for ref in page["/Resources"]["/XObject"].values()]
    images = [image for image in images if image["/Subtype"] == "/Image"]
    assert len(images) == 1 and "/SMask" in images[0]
    assert rotated_text(page) == ""  # no default seal under the issuer's own


def rotated_text(page) -> str:
    """The characters drawn turned (the seal's ring of characters), in drawing order."""
    parts = []

    def visit(text, cm, tm, font, size):
        if cm[1] and text.strip():
            parts.append(text.strip())

    page.extract_text(visitor_text=visit)
    return "".join(parts)


def test_without_a_seal_image_the_default_seal_is_drawn_and_a_broken_image_falls_back_to_it(caplog):
    for seal in (None, b"not a png"):
        page = read(render_pdf(business_licence(seal_png=seal))).pages[0]
        xobjects = [ref.get_object()["/Subtype"] for ref in page["/Resources"]["/XObject"].values()]
        assert "/Image" not in xobjects
        assert rotated_text(page) == "示范市市场监督管理局"  # around the ring, one turned character each
    assert any("印章图片无法读取" in r.getMessage() for r in caplog.records)


def test_the_default_seal_png_is_a_red_ring_with_a_star_and_the_name():
    png = seal_png_default("示范市市场监督管理局", pixels=240)
    image = Image.open(io.BytesIO(png))
    assert (image.format, image.size, image.mode) == ("PNG", (240, 240), "RGBA")
    assert image.getpixel((2, 2))[3] == 0  # a transparent corner
    red, green, blue, alpha = image.getpixel((120, 120))  # the star's centre
    assert alpha == 255 and red > 200 and green < 60 and blue < 60
    nameless = Image.open(io.BytesIO(seal_png_default("", pixels=240)))

    def inked(img):
        return sum(img.getchannel("A").histogram()[129:])

    if FONT_EXISTS:
        assert inked(image) > inked(nameless) * 1.2  # the name is written around the ring


def test_an_accent_that_is_not_a_hex_colour_is_refused():
    with pytest.raises(ValueError, match="hex colour"):
        business_licence(accent="red")
    assert render_pdf(business_licence(accent="#1f4e79")).startswith(b"%PDF-")
