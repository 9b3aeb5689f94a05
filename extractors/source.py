"""An input file as APX reads it: a PDF's pages, and the e-invoice XML it carries, if any.

A bare XML e-invoice (XRechnung, PEPPOL UBL, CII) has no page: its text content stands in
for the page text, so content rules (instructions aimed at automation) still read it.
Every way a file can fail ends as UnreadableDocument with a reason for finance.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel

from extractors.einvoice import EInvoice, InvalidEInvoice, einvoice_from_pdf, read_einvoice_xml
from extractors.einvoice.safexml import parse_xml
from extractors.limits import ParseLimits
from extractors.pdf import UnreadableDocument, parse_pdf
from models.documents import ParsedDocument, ParsedPage

NO_TEXT_LAYER = "no text layer"


class SourceDocument(BaseModel):
    document: ParsedDocument
    einvoice: EInvoice | None = None
    einvoice_error: str | None = None
    """A PDF claims to carry an e-invoice that could not be used: why (read from the page)."""
    page_error: str | None = None
    """The e-invoice was read, but its printed page could not be (so not compared)."""

    @property
    def printed(self) -> bool:
        """Whether there is a printed page (a bare XML file has none)."""
        return any(page.words for page in self.document.pages)


def _looks_like_xml(head: bytes) -> bool:
    stripped = head.lstrip(b"\xef\xbb\xbf\xff\xfe\x00 \t\r\n")
    return stripped.startswith(b"<")


def read_source(path: Path, sha256: str, limits: ParseLimits | None = None) -> SourceDocument:
    try:
        with path.open("rb") as handle:
            head = handle.read(64)
    except OSError as exc:
        raise UnreadableDocument(f"The file could not be opened ({exc.strerror}).") from exc
    if _looks_like_xml(head):
        return _bare_xml(path, sha256)
    try:
        document = parse_pdf(path, sha256, limits)
    except UnreadableDocument as unreadable:
        if NO_TEXT_LAYER not in unreadable.reason:  # a bomb, damage, a password: stop here
            raise
        return _xml_behind_unreadable_page(path, sha256, unreadable)
    try:
        einvoice = einvoice_from_pdf(path)
    except InvalidEInvoice as exc:
        return SourceDocument(document=document, einvoice_error=exc.reason)
    return SourceDocument(document=document, einvoice=einvoice)


def _xml_behind_unreadable_page(
    path: Path, sha256: str, unreadable: UnreadableDocument
) -> SourceDocument:
    """A page without text (a scan) may still carry a valid e-invoice: read that, and say
    that the page could not be compared with it; otherwise the file stays unreadable."""
    try:
        einvoice = einvoice_from_pdf(path)
    except (InvalidEInvoice, OSError, ValueError):
        einvoice = None
    if einvoice is None:
        raise unreadable
    page = ParsedPage(number=1, width=0.0, height=0.0, text="", words=[])
    return SourceDocument(
        document=ParsedDocument(sha256=sha256, file_name=path.name, pages=[page]),
        einvoice=einvoice, page_error=unreadable.reason,
    )


def _bare_xml(path: Path, sha256: str) -> SourceDocument:
    data = path.read_bytes()
    try:
        einvoice = read_einvoice_xml(data)
    except InvalidEInvoice as exc:
        raise UnreadableDocument(exc.reason) from exc
    text = " ".join(" ".join(parse_xml(data).itertext()).split())
    page = ParsedPage(number=1, width=0.0, height=0.0, text=text, words=[])
    return SourceDocument(
        document=ParsedDocument(sha256=sha256, file_name=path.name, pages=[page]),
        einvoice=einvoice,
    )
