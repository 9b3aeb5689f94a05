"""PDF file -> ParsedDocument (pdfplumber), or UnreadableDocument with a reason for finance.

Every failure a file can cause ends here as UnreadableDocument: the pipeline puts the invoice
in UNREADABLE_DOCUMENT with the reason and never crashes or loses it.
"""

from __future__ import annotations

import os
import stat
from collections import Counter
from itertools import pairwise
from pathlib import Path
from typing import Any

from extractors import limits as limit_reasons
from extractors.limits import ParseLimits
from extractors.structure import page_problem, structure_problem
from models.documents import ParsedDocument, ParsedPage, Word

# Characters closer than this (points) belong to one word. Below pdfplumber's default of 3 so
# that a label and its value set one narrow gap apart ("No:" "INV-1") stay two words.
X_TOLERANCE = 1.5
Y_TOLERANCE = 3.0


DEFAULT_LIMITS = ParseLimits()


class UnreadableDocument(Exception):
    """The file cannot be read as an invoice; `reason` is meant for a finance user."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


# Files that are plainly something else, by their first bytes (a PDF header may follow
# junk, but not one of these: a ZIP holding an uncompressed PDF would otherwise be read).
_OTHER_FORMATS = {
    b"PK\x03\x04": "a ZIP archive",
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF8": "a GIF image",
    b"II*\x00": "a TIFF image",
    b"MM\x00*": "a TIFF image",
    b"\xd0\xcf\x11\xe0": "an old Office document",
    b"{\\rtf": "an RTF document",
    b"MZ": "a Windows program",
    b"\x7fELF": "a program",
}


def check_file(path: Path, limits: ParseLimits) -> None:
    """Cheap checks before any PDF parsing: a regular, non-empty file, within the size, a PDF."""
    try:
        # O_NONBLOCK: a named pipe called x.pdf must not block the caller on open().
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        raise UnreadableDocument(f"The file could not be opened ({exc.strerror}).") from exc
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise UnreadableDocument(
                "The file is not a regular file (a folder, device or pipe); APX reads PDF files."
            )
        if info.st_size > limits.max_file_bytes:
            raise UnreadableDocument(limit_reasons.too_big(info.st_size, limits))
        try:
            head = os.read(fd, 1024)
        except OSError as exc:
            raise UnreadableDocument(f"The file could not be read ({exc.strerror}).") from exc
    finally:
        os.close(fd)
    if not head:
        raise UnreadableDocument("The file is empty.")
    for magic, kind in _OTHER_FORMATS.items():
        if head.startswith(magic):
            raise UnreadableDocument(f"The file is not a PDF document (it is {kind}).")
    if b"%PDF-" not in head:
        raise UnreadableDocument("The file is not a PDF document.")


def _is_encryption_error(exc: BaseException) -> bool:
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        name = type(current).__name__
        if "Password" in name or "Encrypt" in name or "password" in str(current).lower():
            return True
        inner = current.args[0] if current.args else None
        current = (
            inner
            if isinstance(inner, BaseException)
            else (current.__cause__ or current.__context__)
        )
    return False


def _caused_by(exc: BaseException, kind: type[BaseException]) -> bool:
    """`kind` anywhere in the chain (pdfplumber wraps pdfminer's errors, even MemoryError)."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        if isinstance(current, kind):
            return True
        seen.add(id(current))
        inner = current.args[0] if current.args else None
        current = (
            inner
            if isinstance(inner, BaseException)
            else (current.__cause__ or current.__context__)
        )
    return False


def _rotated(obj: dict[str, Any]) -> bool:
    """Skewed or rotated characters: stamps and watermarks ("COPY", "PAID"), not data."""
    matrix = obj.get("matrix") or (1, 0, 0, 1, 0, 0)
    return obj.get("object_type") == "char" and (abs(matrix[1]) > 0.01 or abs(matrix[2]) > 0.01)


def _column_starts(raw: list[dict[str, Any]]) -> Counter[float]:
    return Counter(round(float(w["x0"]) * 2) / 2 for w in raw)


def _split_collisions(raw: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """Char runs of each word, split where two strings touch (an overflowing column).

    Text drawn as one string never overlaps itself; an overlap that starts exactly where
    other words on the page start (a left-aligned column) is two cells run together.
    """
    starts = _column_starts(raw)
    runs: list[list[dict[str, Any]]] = []
    for word in raw:
        chars: list[dict[str, Any]] = word["chars"]
        current = [chars[0]]
        for prev, char in pairwise(chars):
            x0 = round(float(char["x0"]) * 2) / 2
            if float(char["x0"]) < float(prev["x1"]) - 0.05 and starts[x0] >= 2:
                runs.append(current)
                current = []
            current.append(char)
        runs.append(current)
    return runs


def _page(page: Any, number: int) -> ParsedPage:
    upright = page.filter(lambda obj: not _rotated(obj))
    raw = upright.extract_words(
        x_tolerance=X_TOLERANCE,
        y_tolerance=Y_TOLERANCE,
        keep_blank_chars=False,
        use_text_flow=False,
        extra_attrs=["size", "fontname"],
        return_chars=True,
    )
    words = [
        Word(
            text="".join(c["text"] for c in run),
            x0=float(run[0]["x0"]),
            x1=float(run[-1]["x1"]),
            top=min(float(c["top"]) for c in run),
            bottom=max(float(c["bottom"]) for c in run),
            page=number,
            size=float(run[0].get("size") or 0.0),
            fontname=str(run[0].get("fontname") or ""),
        )
        for run in _split_collisions(raw)
        if run
    ]
    # The page text keeps everything printed (stamps included) for grounding and content rules.
    text = page.extract_text(x_tolerance=X_TOLERANCE, y_tolerance=Y_TOLERANCE) or ""
    from extractors.hidden import hidden_text  # what of it a reader cannot see (white, tiny)

    return ParsedPage(
        number=number, width=float(page.width), height=float(page.height), text=text, words=words,
        hidden_text=hidden_text(page),
    )


def parse_pdf(path: Path, sha256: str, limits: ParseLimits | None = None) -> ParsedDocument:
    """Read every page's words (with font size and name) and text; 1-based page numbers.

    Bounded by `limits` (defaults: `ParseLimits()`): by default the file is read in a reused
    worker process under a memory limit and a wall-clock timeout (`extractors.bounded`), so a
    hostile file costs at most that and ends as UnreadableDocument like any other bad file.
    """
    limits = limits or DEFAULT_LIMITS
    if limits.isolate:
        from extractors import bounded

        if bounded.AVAILABLE:
            return bounded.shared_parser(limits).parse(path, sha256, limits)
    return read_pdf(path, sha256, limits)


def read_pdf(path: Path, sha256: str, limits: ParseLimits | None = None) -> ParsedDocument:
    """`parse_pdf` in the calling process: every check, but no bound on time or memory."""
    limits = limits or DEFAULT_LIMITS
    check_file(path, limits)
    import pdfplumber  # lazy: ~0.3 s import, not needed by code paths that never parse

    try:
        with path.open("rb") as handle:
            # Not `with pdfplumber.open()`: its close() walks every page of the file, which
            # on a refused 100,000-page file would cost what the page limit saves.
            pdf = pdfplumber.open(handle)
            problem = structure_problem(pdf.doc, limits)  # pages and inflation, before layout
            if problem:
                raise UnreadableDocument(problem)
            pages: list[ParsedPage] = []
            for number, page in enumerate(pdf.pages, start=1):
                problem = page_problem(page, number, limits)  # characters, before words
                if problem:
                    raise UnreadableDocument(problem)
                pages.append(_page(page, number))
                page.close()  # free this page's layout before the next one
            pdf.close()
            if not pages:
                raise UnreadableDocument("The PDF has no pages.")
    except UnreadableDocument:
        raise
    except OSError as exc:
        raise UnreadableDocument(f"The file could not be opened ({exc.strerror}).") from exc
    except Exception as exc:  # pdfminer raises many types; every one means "cannot read"
        if _caused_by(exc, MemoryError):
            raise UnreadableDocument(limit_reasons.too_much_memory(limits)) from exc
        if _is_encryption_error(exc):
            raise UnreadableDocument(
                "The PDF is password-protected; ask the vendor for an unprotected copy."
            ) from exc
        raise UnreadableDocument(
            "The PDF is damaged and cannot be read; ask the vendor to send it again."
        ) from exc
    text = "".join(p.text for p in pages)
    if not "".join(text.split()):
        raise UnreadableDocument(
            "The PDF has no text layer (it looks like a scanned image); "
            "it needs OCR or manual entry."
        )
    if text.count("(cid:") * 6 > len(text) * 0.5:
        raise UnreadableDocument(
            "The PDF's text cannot be decoded (unknown font encoding); it needs manual entry."
        )
    return ParsedDocument(sha256=sha256, file_name=path.name, pages=pages)
