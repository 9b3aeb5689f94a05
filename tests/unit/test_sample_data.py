"""The committed sample set is exactly what its generator makes (no hand edits drift in)."""

from __future__ import annotations

import hashlib
import runpy
import sys
from pathlib import Path

from tests.conftest import SAMPLE_DATA


def _digests(root: Path) -> dict[str, str]:
    files = [p for p in root.rglob("*") if p.is_file() and p.suffix in {".csv", ".pdf", ".json"}]
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest() for p in files}


def test_generator_reproduces_the_committed_files(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(sys, "argv", ["generate.py", str(tmp_path)])
    runpy.run_path(str(SAMPLE_DATA / "generate.py"), run_name="__main__")
    generated = _digests(tmp_path)
    assert len([name for name in generated if name.endswith(".pdf")]) >= 40
    assert generated == _digests(SAMPLE_DATA)
