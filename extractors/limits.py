"""How much of a file the parser may read, and in how much time and memory.

A file that exceeds a limit ends as `UnreadableDocument` with one of the reasons below,
written for the finance user who sees it in the review queue. The defaults are far above
any real invoice (the sample set: 1-3 pages, < 1,000 words a page, < 100 KB, ~20 ms) and
far below what hurts the machine.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

MB = 1024 * 1024


class ParseLimits(BaseModel):
    """Bounds for reading one PDF; `parse_pdf(path, sha256, limits)` enforces them."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    max_file_bytes: int = Field(25 * MB, gt=0, description="Size of the file on disk.")
    max_pages: int = Field(50, gt=0, description="Pages read; a longer file is refused whole.")
    max_chars_per_page: int = Field(
        30_000, gt=0, description="Characters on one page (~5,000 words), counted before words."
    )
    max_inflated_bytes: int = Field(
        100 * MB,
        gt=0,
        description="Decompressed size of the streams the parser decodes (text, fonts, "
        "forms; images are not decoded). Catches 'zip bomb' PDFs before they are inflated.",
    )
    max_seconds: float = Field(20.0, gt=0, description="Wall-clock time for one document.")
    max_memory_mb: int = Field(
        400,
        ge=128,
        description="Resident memory of the parser worker, watched by the caller, which "
        "kills the worker above it. Its address space is capped at twice this "
        "(RLIMIT_AS), so one huge allocation fails at once, inside the worker.",
    )
    isolate: bool = Field(
        True,
        description="Parse in a separate, reused worker process under the time and memory "
        "limits. False parses in the calling process: the size, page, character and "
        "inflation checks still apply, time and memory are not bounded (unit tests, "
        "platforms without `resource`).",
    )


def too_big(size: int, limits: ParseLimits) -> str:
    return (
        f"The file is {_mb(size)}; APX reads files up to {_mb(limits.max_file_bytes)} — "
        "ask the vendor for a smaller PDF or enter the invoice manually."
    )


def too_many_pages(pages: int, limits: ParseLimits, *, at_least: bool = False) -> str:
    count = f"more than {limits.max_pages:,}" if at_least else f"{pages:,}"
    return (
        f"The PDF has {count} pages; APX reads at most {limits.max_pages:,} — "
        "split it or enter it manually."
    )


def too_much_text(page: int, chars: int, limits: ParseLimits) -> str:
    return (
        f"Page {page} of the PDF holds {chars:,} characters of text; APX reads at most "
        f"{limits.max_chars_per_page:,} per page (about {limits.max_chars_per_page // 6:,} "
        "words) — this is not a normal invoice page; enter it manually."
    )


def inflates_too_much(limits: ParseLimits) -> str:
    return (
        "The PDF contains compressed data that expands to more than "
        f"{_mb(limits.max_inflated_bytes)} (a 'zip bomb' or a broken file); APX does not "
        "read it — ask the vendor to send the invoice again."
    )


def corrupt_stream() -> str:
    return (
        "The PDF is damaged (a compressed part of it is corrupt) and cannot be read; ask the "
        "vendor to send it again."
    )


def too_slow(limits: ParseLimits) -> str:
    return (
        f"Reading the PDF took longer than {limits.max_seconds:g} seconds, so APX stopped; "
        "the file is unusually complex — ask the vendor for a simpler copy or enter it "
        "manually."
    )


def too_much_memory(limits: ParseLimits) -> str:
    return (
        f"Reading the PDF needed more than {limits.max_memory_mb} MB of memory, so APX "
        "stopped; the file is unusually complex or damaged — ask the vendor for a simpler "
        "copy or enter it manually."
    )


def parser_crashed() -> str:
    return (
        "The PDF made the reader stop unexpectedly; the file is damaged — ask the vendor "
        "to send it again."
    )


def _mb(size: int) -> str:
    value = size / MB
    return f"{value:.0f} MB" if value >= 10 else f"{value:.1f} MB"
