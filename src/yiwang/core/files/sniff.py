"""What a file is, read from its bytes: never from the name or the Content-Type the client sent.

PDF, JPEG and PNG have magic numbers (`filetype` knows them and many others, so a rejected file
can be named: "exe"). OFD, DOCX and XLSX are all ZIP packages and are told apart by their
entries, read from the ZIP's central directory without decompressing anything (no zip bomb):
- OFD (GB/T 33190-2016 §7.1): the package's entry file `OFD.xml` sits at the root;
- DOCX / XLSX (ISO/IEC 29500-2 OPC): `[Content_Types].xml` plus a `word/` or `xl/` part.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass

import filetype

_HEAD_BYTES = 8192
_ZIP_MAGIC = b"PK\x03\x04"


@dataclass(frozen=True)
class Kind:
    extension: str  # canonical, lower case, no dot
    content_type: str


KNOWN: dict[str, Kind] = {
    kind.extension: kind
    for kind in (
        Kind("pdf", "application/pdf"),
        Kind("ofd", "application/ofd"),
        Kind("jpg", "image/jpeg"),
        Kind("png", "image/png"),
        Kind("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        Kind("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    )
}
ALIASES = {"jpeg": "jpg", "jpe": "jpg"}


def canonical_extension(extension: str) -> str:
    extension = extension.lower().lstrip(".")
    return ALIASES.get(extension, extension)


def sniff(fileobj) -> Kind | None:
    """The kind of a seekable binary file (position restored to 0), or None if unrecognised.
    A recognised kind outside KNOWN (e.g. exe) is returned too, so the caller can reject it."""
    fileobj.seek(0)
    head = fileobj.read(_HEAD_BYTES)
    fileobj.seek(0)
    if head.startswith(_ZIP_MAGIC):
        return _sniff_zip(fileobj)
    guessed = filetype.guess(head)
    if guessed is None:
        return None
    extension = canonical_extension(guessed.extension)
    return KNOWN.get(extension) or Kind(extension, guessed.mime)


def _sniff_zip(fileobj) -> Kind:
    try:
        with zipfile.ZipFile(fileobj) as package:
            names = package.namelist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError, NotImplementedError):
        # A damaged or exotic archive (zipfile raises NotImplementedError for some) is no document.
        return Kind("zip", "application/zip")
    finally:
        fileobj.seek(0)
    if "OFD.xml" in names:
        return KNOWN["ofd"]
    if "[Content_Types].xml" in names:
        if any(name.startswith("word/") for name in names):
            return KNOWN["docx"]
        if any(name.startswith("xl/") for name in names):
            return KNOWN["xlsx"]
    return Kind("zip", "application/zip")
