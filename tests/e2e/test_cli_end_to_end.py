"""The `apx` command as a user runs it: the demo and eval, in a subprocess."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.pipeline_helpers import sample_subset

APX = Path(sys.executable).with_name("apx")


def _apx(args: list[str], cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(APX), *args], cwd=cwd, capture_output=True, text=True, timeout=900,
        env={**os.environ, "APX_HOME": str(cwd / ".apx"), "COLUMNS": "160", **env},
    )


def test_demo_prints_table_and_totals_without_noise(tmp_path: Path) -> None:
    data = sample_subset(tmp_path / "data", ("001-", "017-", "030-", "037-", "043-"))
    result = _apx(["demo", "--data", str(data), "--no-model"], cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    out = result.stdout
    assert "5 invoices" in out and "2 touchless" not in out
    assert "1 touchless" in out and "1 held" in out and "1 rejected" in out
    assert "2 in review" in out
    assert "ARITHMETIC_ERROR" in out and "DUPLICATE_EXACT" in out
    assert "Traceback" not in out + result.stderr
    assert "apx show" in out  # says where the details are

    show = _apx(["show", "030-harbor-hpc-30471.pdf"], cwd=tmp_path,
                APX_DATABASE_URL=f"sqlite:///{tmp_path / '.apx' / 'demo' / 'apx.db'}")
    assert show.returncode == 0, show.stderr
    assert "ARITHMETIC_ERROR" in show.stdout and "review" in show.stdout
    verify = _apx(["audit", "verify"], cwd=tmp_path,
                  APX_DATABASE_URL=f"sqlite:///{tmp_path / '.apx' / 'demo' / 'apx.db'}")
    assert verify.returncode == 0 and "intact" in verify.stdout


def test_eval_rejects_a_folder_without_labels(tmp_path: Path) -> None:
    (tmp_path / "erp").mkdir()
    (tmp_path / "invoices").mkdir()
    result = _apx(["eval", "--data", str(tmp_path), "--json", str(tmp_path / "o.json")],
                  cwd=tmp_path)
    assert result.returncode == 2
    assert "truth.json is missing" in result.stdout
    assert "Traceback" not in result.stdout + result.stderr


@pytest.mark.model
def test_real_local_model_end_to_end(tmp_path: Path) -> None:
    """Gemma 3 270M in process, on real sample PDFs, through `apx eval`.

    Extraction runs in mode "always" so that the extraction call is made too (the sample
    invoices are otherwise settled by code); classification is called for every invoice
    with findings.
    """
    data = sample_subset(tmp_path / "data", ("001-", "011-", "025-", "030-"))
    report_file = tmp_path / "eval.json"
    result = _apx(["eval", "--data", str(data), "--json", str(report_file)], cwd=tmp_path,
                  APX_EXTRACTION_MODE="always")
    assert result.returncode == 0, result.stdout + result.stderr
    report = json.loads(report_file.read_text())
    assert report["invoices"] == 4
    assert report["high_stakes_auto_approved"] == 0
    assert report["decision_accuracy"] == 1.0
    assert report["field_accuracy"]["overall"] >= 0.95
    assert report["pattern_recall"] == 1.0
    calls = report["model_calls"]
    assert calls["extraction"] == 4 and calls["max_extraction_per_invoice"] == 1
    assert calls["classification"] == 3 and calls["max_classification_per_invoice"] == 1


def test_ui_serves_the_prefect_ui_pointed_at_its_own_api(tmp_path: Path) -> None:
    import socket
    import time
    import urllib.request

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {**os.environ, "APX_HOME": str(tmp_path / ".apx")}
    server = subprocess.Popen([str(APX), "ui", "--port", str(port)], cwd=tmp_path, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                              start_new_session=True)
    try:
        deadline = time.monotonic() + 90
        settings: dict[str, object] = {}
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/ui-settings",
                                            timeout=2) as response:
                    settings = json.loads(response.read())
                break
            except OSError:
                time.sleep(0.5)
        assert settings.get("api_url") == f"http://127.0.0.1:{port}/api"
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as page:
            assert b"<html" in page.read().lower()
    finally:
        os.killpg(server.pid, 15)
        server.wait(timeout=30)
