"""Every hostile or broken file ends in a known state, in bounded time, without hurting us.

The corpus is generated at test time (tests/hostile/build_corpus.py). Each file must end as
a ParsedDocument or as UnreadableDocument with the expected reason, within 30 s, with the
worker's peak memory under 500 MB and this process's memory unchanged.

The worker runs with the default limits except 10 s and 256 MB (instead of 20 s and
400 MB), which halves the time the few bombs that only the worker's bounds stop take,
without changing how they end. The table under the defaults, file -> outcome -> seconds
-> peak MB: `python tools/hostile_report.py`.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from extractors.bounded import BoundedParser
from extractors.limits import ParseLimits
from extractors.pdf import UnreadableDocument, parse_pdf
from tests.hostile.build_corpus import CASES, READABLE, Case, build_all

pytestmark = pytest.mark.skipif(
    not Path("/proc/self/status").exists(), reason="the memory watch reads /proc (Linux)"
)


def _own_peak_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise AssertionError("no VmHWM")


LIMITS = ParseLimits(max_seconds=10, max_memory_mb=256)


@pytest.fixture(scope="module")
def parser() -> Iterator[BoundedParser]:
    with BoundedParser(LIMITS) as bounded:
        yield bounded


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return build_all(tmp_path_factory.mktemp("hostile"))


def test_corpus_is_large_and_varied() -> None:
    assert len(CASES) >= 30
    assert len({case.name for case in CASES}) == len(CASES)
    kinds = {case.kind for case in CASES}
    assert {"broken", "not-pdf", "intake", "encryption", "limit", "bomb", "content"} <= kinds


@pytest.mark.parametrize("case", CASES, ids=[ascii(case.name)[1:-1] for case in CASES])
def test_hostile_file_ends_in_a_known_state(
    case: Case, corpus: dict[str, Path], parser: BoundedParser
) -> None:
    before = _own_peak_mb()
    started = time.monotonic()
    run = parser.run(corpus[case.name], "sha-hostile")
    seconds = time.monotonic() - started

    assert seconds < 30
    if run.peak_rss_mb is not None:
        assert run.peak_rss_mb < 500, f"worker peaked at {run.peak_rss_mb:.0f} MB"
    assert _own_peak_mb() - before < 50, "the bomb reached the calling process"
    if case.expect == READABLE:
        assert run.document is not None, run.reason
        assert run.document.file_name == case.name
        assert case.check is None or case.check(run.document)
    else:
        assert run.document is None and run.reason is not None
        assert case.expect in run.reason


@pytest.mark.parametrize("name", ["encrypted-user-password.pdf", "inflate-1gb.pdf",
                                  "xref-broken.pdf", "pipe.pdf"])
def test_parse_pdf_gives_the_same_end(name: str, corpus: dict[str, Path]) -> None:
    """The public function with the default limits: same document or same reason."""
    case = next(case for case in CASES if case.name == name)
    if case.expect == READABLE:
        assert parse_pdf(corpus[name], "sha").file_name == name
    else:
        with pytest.raises(UnreadableDocument, match=case.expect.replace("(", r"\(")):
            parse_pdf(corpus[name], "sha")
