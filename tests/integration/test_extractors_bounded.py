"""Parse limits in-process, and the bounded worker: timeouts, memory, crashes, reuse."""

from __future__ import annotations

import hashlib
import os
import signal
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from extractors.bounded import BoundedParser
from extractors.limits import MB, ParseLimits
from extractors.pdf import UnreadableDocument, parse_pdf
from tests.extractor_pdfs import english_invoice, german_invoice, make_pdf
from tests.hostile.build_corpus import (
    char_flood,
    corrupt_checksum,
    inflation_bomb,
    operator_flood,
)

SAMPLES = sorted((Path(__file__).resolve().parents[2] / "sample_data" / "invoices")
                 .glob("*.pdf"))
LOCAL = ParseLimits(isolate=False)


@pytest.fixture
def invoice(tmp_path: Path) -> Path:
    return make_pdf(tmp_path / "invoice.pdf", [english_invoice(), german_invoice()])


@pytest.fixture
def parser() -> Iterator[BoundedParser]:
    with BoundedParser(ParseLimits(max_seconds=5, max_memory_mb=200)) as bounded:
        yield bounded


@pytest.mark.parametrize(
    ("limits", "reason"),
    [
        (ParseLimits(isolate=False, max_file_bytes=1000), "APX reads files up to"),
        (ParseLimits(isolate=False, max_pages=1), "The PDF has 2 pages; APX reads at most 1"),
        (ParseLimits(isolate=False, max_chars_per_page=100), "Page 1 of the PDF holds"),
        (ParseLimits(isolate=False, max_inflated_bytes=1000), "expands to more than"),
    ],
    ids=["file-size", "pages", "chars", "inflation"],
)
def test_each_limit_has_a_reason_in_process(invoice: Path, limits: ParseLimits,
                                            reason: str) -> None:
    with pytest.raises(UnreadableDocument) as caught:
        parse_pdf(invoice, "x", limits)
    assert reason in caught.value.reason
    assert parse_pdf(invoice, "x", LOCAL).pages  # within the defaults it reads


def test_reasons_speak_to_finance(invoice: Path) -> None:
    with pytest.raises(UnreadableDocument) as caught:
        parse_pdf(invoice, "x", ParseLimits(max_pages=1))
    assert caught.value.reason == (
        "The PDF has 2 pages; APX reads at most 1 — split it or enter it manually."
    )


@pytest.mark.skipif(not SAMPLES, reason="no sample data generated")
def test_bounded_parse_equals_in_process_parse_on_the_sample_set() -> None:
    with BoundedParser() as bounded:
        for path in SAMPLES:
            sha = hashlib.sha256(path.read_bytes()).hexdigest()
            try:
                expected = parse_pdf(path, sha, LOCAL)
            except UnreadableDocument as bad:
                run = bounded.run(path, sha)
                assert run.reason == bad.reason, path.name
                continue
            assert bounded.parse(path, sha) == expected, path.name


def test_timeout_kills_the_worker_and_the_next_file_reads(
    parser: BoundedParser, invoice: Path, tmp_path: Path
) -> None:
    slow = tmp_path / "slow.pdf"
    slow.write_bytes(operator_flood(20 * MB))
    run = parser.run(slow, "x", ParseLimits(max_seconds=1, max_memory_mb=200))
    assert run.reason is not None and "took longer than 1 seconds" in run.reason
    assert run.worker_replaced and run.seconds < 5
    assert parser.parse(invoice, "x").pages


def test_memory_watch_kills_the_worker_and_the_next_file_reads(
    parser: BoundedParser, invoice: Path, tmp_path: Path
) -> None:
    flood = tmp_path / "flood.pdf"
    flood.write_bytes(char_flood(60 * MB))
    run = parser.run(flood, "x")
    assert run.reason is not None and "needed more than 200 MB" in run.reason
    assert run.worker_replaced
    assert run.peak_rss_mb is not None and run.peak_rss_mb < 300
    assert parser.parse(invoice, "x").pages


def test_the_worker_caps_its_address_space(parser: BoundedParser, invoice: Path) -> None:
    parser.parse(invoice, "x")
    (worker,) = parser._idle
    limits = Path(f"/proc/{worker.process.pid}/limits").read_text()
    line = next(line for line in limits.splitlines() if line.startswith("Max address space"))
    assert int(line.split()[3]) == 2 * 200 * MB


def test_a_worker_killed_between_files_costs_nothing(
    parser: BoundedParser, invoice: Path
) -> None:
    parser.parse(invoice, "x")
    (worker,) = parser._idle
    os.kill(worker.process.pid, signal.SIGKILL)  # the OOM killer, an operator, ...
    worker.process.wait()
    assert parser.parse(invoice, "x").pages  # retried once on a fresh worker


def test_a_large_corrupt_stream_is_refused_at_once(invoice: Path, tmp_path: Path) -> None:
    corrupt = tmp_path / "corrupt.pdf"
    corrupt.write_bytes(corrupt_checksum(30 * MB))
    with pytest.raises(UnreadableDocument, match="a compressed part of it is corrupt"):
        parse_pdf(corrupt, "x", LOCAL)


def test_a_bomb_refused_by_the_check_does_not_replace_the_worker(
    parser: BoundedParser, invoice: Path, tmp_path: Path
) -> None:
    bomb = tmp_path / "bomb.pdf"
    bomb.write_bytes(inflation_bomb(1024 * MB))
    parser.parse(invoice, "x")
    (worker,) = parser._idle
    run = parser.run(bomb, "x")
    assert run.reason is not None and "expands to more than" in run.reason
    assert not run.worker_replaced and parser._idle == [worker]


def test_workers_are_recycled(invoice: Path) -> None:
    with BoundedParser(recycle_after=2) as bounded:
        pids = []
        for _ in range(3):
            assert bounded.run(invoice, "x").document is not None
            pids.append(bounded._idle[0].process.pid)
        assert pids[0] != pids[1] == pids[2]


def test_concurrent_callers_share_a_small_pool(invoice: Path) -> None:
    expected = parse_pdf(invoice, "x", LOCAL)
    results: list[object] = []
    with BoundedParser(workers=2) as bounded:
        threads = [threading.Thread(target=lambda: results.append(bounded.parse(invoice, "x")))
                   for _ in range(6)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert len(bounded._idle) <= 2
    assert results == [expected] * 6


def test_closed_parser_refuses_work(invoice: Path) -> None:
    bounded = BoundedParser()
    bounded.close()
    with pytest.raises(RuntimeError, match="closed"):
        bounded.parse(invoice, "x")
