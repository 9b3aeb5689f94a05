"""Cheap checks on a PDF's structure before pdfplumber lays it out: pages, inflation, text.

Each returns the reason for finance when a limit is exceeded, else None. They read only
what the parse needs anyway (pdfminer caches the objects), so a normal invoice pays well
under a millisecond; a hostile one is refused before it is inflated or laid out.
"""

from __future__ import annotations

import zlib
from itertools import islice
from typing import Any

from extractors import limits as reasons
from extractors.limits import ParseLimits

# Streams pdfminer never decodes while reading text: images (and their thumbnails), file
# attachments, XMP metadata. The cross-reference and object streams are decoded on open.
_NOT_DECODED_TYPES = {"XRef", "ObjStm", "EmbeddedFile", "Metadata"}

# pdfminer inflates a Flate stream that fails (a bad checksum, a cut) again one input byte
# at a time, concatenating the output: ~ input bytes x output bytes / 2 of copying before
# the error. Above this many bytes (~1 s) the file is refused as damaged straight away,
# rather than after the full timeout: a 78 KB file would otherwise cost 20 s of a worker.
CORRUPT_STREAM_WORK = 2_000_000_000


class _Corrupt(Exception):
    """A Flate stream that fails to inflate after `produced` bytes of `consumed` input."""

    def __init__(self, consumed: int, produced: int) -> None:
        super().__init__(consumed, produced)
        self.work = consumed * produced // 2


def structure_problem(doc: Any, limits: ParseLimits) -> str | None:
    """Too many pages, or streams that inflate beyond `max_inflated_bytes`."""
    return _page_count_problem(doc, limits) or _inflation_problem(doc, limits)


def page_problem(page: Any, number: int, limits: ParseLimits) -> str | None:
    """More characters on the page than `max_chars_per_page`, counted on pdfminer's layout
    (which pdfplumber caches and reuses) before pdfplumber turns every character into a
    dict and groups words: those steps cost ~4x the layout's time and memory."""
    chars = _count_chars(page.layout)
    if chars > limits.max_chars_per_page:
        return reasons.too_much_text(number, chars, limits)
    return None


def _page_count_problem(doc: Any, limits: ParseLimits) -> str | None:
    from pdfminer.pdfpage import PDFPage

    found = sum(1 for _ in islice(PDFPage.create_pages(doc), limits.max_pages + 1))
    if found <= limits.max_pages:
        return None
    declared = _declared_page_count(doc)
    if declared is not None and declared > limits.max_pages:
        return reasons.too_many_pages(declared, limits)
    return reasons.too_many_pages(found, limits, at_least=True)


def _declared_page_count(doc: Any) -> int | None:
    from pdfminer.pdftypes import resolve1

    try:
        count = resolve1(resolve1(doc.catalog.get("Pages")).get("Count"))
    except Exception:  # a broken page tree: the count found by walking it is used instead
        return None
    return count if isinstance(count, int) else None


def _inflation_problem(doc: Any, limits: ParseLimits) -> str | None:
    """Decode every stream pdfminer may decode, each only up to the budget left."""
    from pdfminer.pdftypes import PDFStream

    budget = limits.max_inflated_bytes
    seen: set[int] = set()
    for xref in doc.xrefs:
        for objid in xref.get_objids():
            if objid in seen:
                continue
            seen.add(objid)
            try:
                obj = doc.getobj(objid)
            except Exception:  # missing or broken object: pdfminer decides when it needs it
                continue
            if not isinstance(obj, PDFStream) or _not_decoded(obj):
                continue
            try:
                budget -= _decoded_size(obj, budget)
            except _Corrupt as corrupt:
                if corrupt.work > CORRUPT_STREAM_WORK:
                    return reasons.corrupt_stream()
                continue
            if budget < 0:
                return reasons.inflates_too_much(limits)
    return None


def _name(value: Any) -> str:
    from pdfminer.pdftypes import resolve1

    value = resolve1(value)
    return str(getattr(value, "name", value)) if value is not None else ""


def _not_decoded(stream: Any) -> bool:
    attrs = stream.attrs
    return _name(attrs.get("Subtype")) == "Image" or _name(attrs.get("Type")) in _NOT_DECODED_TYPES


def _decoded_size(stream: Any, cap: int) -> int:
    """The stream's decoded length, or a number > cap as soon as it would exceed cap.

    Only Flate (and the ASCII filters, which shrink) can expand; LZW and RunLength bombs are
    left to the worker's memory limit and timeout. A Flate stream that fails to inflate
    raises _Corrupt (see CORRUPT_STREAM_WORK); other undecodable data counts as its raw
    size: pdfminer's own recovery decides what it means.
    """
    from pdfminer.ascii85 import ascii85decode, asciihexdecode
    from pdfminer.pdftypes import (
        LITERALS_ASCII85_DECODE,
        LITERALS_ASCIIHEX_DECODE,
        LITERALS_FLATE_DECODE,
    )

    if stream.data is not None:
        return len(stream.data)
    data: bytes = stream.rawdata or b""
    try:
        if stream.decipher and stream.objid is not None:
            data = stream.decipher(stream.objid, stream.genno, data, stream.attrs)
        filters = stream.get_filters()
    except Exception:
        return len(data)
    for index, (name, _params) in enumerate(filters):
        last = index == len(filters) - 1
        try:
            if name in LITERALS_FLATE_DECODE:
                if last:  # count without keeping: a bomb never takes more than a chunk
                    return _inflated_size(data, cap)
                data = zlib.decompressobj().decompress(data, cap + 1)
            elif name in LITERALS_ASCII85_DECODE:
                data = ascii85decode(data)
            elif name in LITERALS_ASCIIHEX_DECODE:
                data = asciihexdecode(data)
            else:
                return len(data)
        except (zlib.error, ValueError):
            return len(data)
        if len(data) > cap:
            break
    return len(data)


def _inflated_size(data: bytes, cap: int, chunk: int = 1024 * 1024) -> int:
    inflater = zlib.decompressobj()
    total = 0
    pending = data
    while total <= cap:
        try:
            out = inflater.decompress(pending, chunk)
        except zlib.error as exc:
            raise _Corrupt(len(data) - len(pending), total) from exc
        total += len(out)
        pending = inflater.unconsumed_tail
        if inflater.eof or (not pending and len(out) < chunk):
            break
    return total


def _count_chars(layout: Any) -> int:
    from pdfminer.layout import LTChar, LTContainer

    count = 0
    stack = [layout]
    while stack:
        for obj in stack.pop():
            if isinstance(obj, LTChar):
                count += 1
            elif isinstance(obj, LTContainer):
                stack.append(obj)
    return count
