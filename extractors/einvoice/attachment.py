"""The e-invoice XML attached to a PDF.

First the factur-x library, asked for the file names the standards prescribe; then a
plain pypdf walk, which also finds what factur-x skips: a ZUGFeRD 1 XML filed under the
name factur-x.xml, an XML attached to a page annotation rather than to the document's
EmbeddedFiles, an e-invoice under another *.xml name (recognised by its root element).
factur-x parses with lxml's default parser, so it runs with the safe parser as default.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from io import BytesIO
from typing import Any

from pypdf import PdfReader

from extractors.einvoice.detect import syntax_of
from extractors.einvoice.errors import InvalidEInvoice
from extractors.einvoice.safexml import parse_xml, safe_default_parser

# File names the standards prescribe (compared lower-case): Factur-X / ZUGFeRD 2.1+,
# ZUGFeRD 1 ("ZUGFeRD-invoice.xml") and 2.0 ("zugferd-invoice.xml"), XRechnung.
KNOWN_NAMES = ("factur-x.xml", "zugferd-invoice.xml", "xrechnung.xml")


class _OnlyErrors(logging.Filter):
    """factur-x warns on every PDF without an e-invoice; APX reports that itself."""

    def filter(self, record: logging.LogRecord) -> bool:
        return record.levelno >= logging.ERROR


logging.getLogger("factur-x").addFilter(_OnlyErrors())


def xml_attachment(pdf: bytes) -> tuple[str, bytes] | None:
    """(attachment file name, XML bytes) of the PDF's e-invoice, or None if it has none."""
    return _with_facturx(pdf) or _with_pypdf(pdf)


def _with_facturx(pdf: bytes) -> tuple[str, bytes] | None:
    import facturx  # ~0.6 s (it imports requests): only when a PDF is looked at

    try:
        with safe_default_parser():
            name, data = facturx.get_xml_from_pdf(pdf, check_xsd=False, filenames=list(KNOWN_NAMES))
    except Exception:  # a damaged or encrypted PDF: the parse stage reports it
        return None
    if name and data:
        return str(name), bytes(data)
    return None


def _with_pypdf(pdf: bytes) -> tuple[str, bytes] | None:
    try:
        files = list(_embedded_files(PdfReader(BytesIO(pdf))))
    except Exception:
        return None
    for name, data in files:
        if name.rsplit("/", 1)[-1].casefold() in KNOWN_NAMES:
            return name, data
    for name, data in files:
        if name.casefold().endswith(".xml") and _is_einvoice(data):
            return name, data
    return None


def _embedded_files(reader: PdfReader) -> Iterator[tuple[str, bytes]]:
    """Files in the EmbeddedFiles name tree, then files attached to page annotations."""
    for name, contents in reader.attachments.items():
        for content in contents:
            yield name, content
    for page in reader.pages:
        for annotation in _resolved(page.get("/Annots")) or []:
            annotation = _resolved(annotation)
            if annotation is None or annotation.get("/Subtype") != "/FileAttachment":
                continue
            spec = _resolved(annotation.get("/FS"))
            streams = _resolved(spec.get("/EF")) if spec is not None else None
            if streams is None:
                continue
            stream = _resolved(streams.get("/UF") or streams.get("/F"))
            name = spec.get("/UF") or spec.get("/F") or ""
            if stream is not None:
                yield str(name), bytes(stream.get_data())


def _resolved(obj: Any) -> Any:
    return obj.get_object() if hasattr(obj, "get_object") else obj


def _is_einvoice(data: bytes) -> bool:
    try:
        return syntax_of(parse_xml(data)) is not None
    except InvalidEInvoice:
        return False
