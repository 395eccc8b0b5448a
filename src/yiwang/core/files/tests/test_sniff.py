import io

import pytest
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from yiwang.core.files.sniff import sniff
from yiwang.core.files.tests import samples


@pytest.mark.parametrize(
    ("content", "extension", "content_type"),
    [
        (samples.PDF, "pdf", "application/pdf"),
        (samples.png(), "png", "image/png"),
        (samples.JPEG, "jpg", "image/jpeg"),
        (samples.ofd(), "ofd", "application/ofd"),
        (samples.docx(), "docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        (samples.xlsx(), "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ],
)
def test_each_supported_kind_is_recognised_from_its_bytes(content, extension, content_type):
    kind = sniff(io.BytesIO(content))
    assert (kind.extension, kind.content_type) == (extension, content_type)


def test_a_plain_zip_is_neither_ofd_nor_office():
    assert sniff(io.BytesIO(samples.zip_of("readme.txt", "word.txt"))).extension == "zip"


def test_an_executable_is_named_as_such():
    assert sniff(io.BytesIO(samples.EXE)).extension == "exe"


def test_a_truncated_zip_and_plain_text_are_not_recognised_as_documents():
    assert sniff(io.BytesIO(samples.docx()[:40])).extension == "zip"
    assert sniff(io.BytesIO("只是一段文字".encode())) is None


def test_sniffing_leaves_the_file_at_its_start():
    stream = io.BytesIO(samples.ofd())
    sniff(stream)
    assert stream.tell() == 0


_BASES = [samples.docx(), samples.ofd(), samples.xlsx(), samples.PDF, samples.png(), samples.JPEG]


@given(
    base=st.sampled_from(_BASES),
    edits=st.lists(st.tuples(st.integers(min_value=0), st.integers(0, 255)), max_size=8),
    cut=st.integers(min_value=0),
)
@hypothesis_settings(max_examples=300, deadline=None)
def test_damaged_files_are_never_a_crash(base, edits, cut):
    content = bytearray(base)
    for position, value in edits:
        content[position % len(content)] = value
    content = content[: max(1, cut % (len(content) + 1))]
    kind = sniff(io.BytesIO(bytes(content)))
    assert kind is None or kind.extension
