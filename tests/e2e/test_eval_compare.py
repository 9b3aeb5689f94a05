"""`apx eval` per model and `--compare`, with remote models answered by litellm mock responses.

In process (typer's runner), so that `litellm.completion` can be replaced; the pipeline runs
through the real Prefect flows and the real gateway.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from apx.cli import app
from tests.pipeline_helpers import sample_subset
from tools.mock_models import OFF_CHOICE, MockedModels, first_choice, off_choice_every

# NON_PO_INVOICE, PRICE_VARIANCE, BANK_DETAILS_CHANGED: one classification call each
SUBSET = ("010-", "011-", "025-")
MINI = "openai/gpt-4o-mini"
HAIKU = "anthropic/claude-3-5-haiku-20241022"


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("APX_HOME", str(tmp_path / ".apx"))
    monkeypatch.setenv("APX_ALLOWED_PROVIDERS", "local,openai,anthropic")
    monkeypatch.delenv("APX_DATABASE_URL", raising=False)
    return tmp_path


def test_compare_writes_a_table_a_chart_and_every_report(env: Path) -> None:
    data = sample_subset(env / "data", SUBSET)
    mocked = MockedModels({MINI: first_choice, HAIKU: off_choice_every(2)})
    with mocked.installed():
        result = CliRunner().invoke(app, [
            "eval", "--data", str(data), "--compare", MINI, HAIKU,
            "--json", str(env / "compare.json"), "--out", str(env / "compare.md")])
    assert result.exit_code == 0, result.output
    assert mocked.calls == {MINI: 3, HAIKU: 3}

    reports = json.loads((env / "compare.json").read_text())
    mini, haiku = reports[MINI], reports[HAIKU]
    assert mini["models"] == {"extraction": MINI, "classification": MINI}
    usage = mini["model_usage"]["classification"]
    assert usage["calls"] == 3 and usage["calls_per_invoice"] == 1.0
    assert usage["outside_choices"] == 0 and usage["failures"] == 0
    assert usage["prompt_tokens"] > 0 and float(usage["cost"]) > 0  # priced by litellm
    assert usage["latency_median_ms"] is not None
    assert mini["decision_accuracy"] == 1.0
    # every second answer is outside the choices: refused, the step falls back to code
    refused = haiku["model_usage"]["classification"]
    assert refused["outside_choices"] == 1 and refused["failures"] == 1
    assert refused["calls"] == 2
    assert haiku["decision_accuracy"] == 1.0  # decisions never depend on the model

    markdown = (env / "compare.md").read_text()
    assert f"| | `{MINI}` | `{HAIKU}` |" in markdown
    assert "| classification: answers outside the choices | 0 | 1 |" in markdown
    assert "![accuracy and latency per model](compare.png)" in markdown
    assert (env / "compare.png").read_bytes().startswith(b"\x89PNG")
    assert OFF_CHOICE not in markdown


def test_model_per_step_is_recorded_and_a_disallowed_provider_is_refused(
    env: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    data = sample_subset(env / "data", ("011-",))
    with MockedModels({MINI: first_choice}).installed():
        result = CliRunner().invoke(app, [
            "eval", "--data", str(data), "--model-classification", MINI,
            "--json", str(env / "eval.json")])
    assert result.exit_code == 0, result.output
    report = json.loads((env / "eval.json").read_text())
    assert report["models"]["classification"] == MINI
    assert report["model_usage"]["classification"]["models"] == [MINI]
    assert report["model_usage"]["extraction"]["calls"] == 0

    monkeypatch.setenv("APX_ALLOWED_PROVIDERS", "local")
    refused = CliRunner().invoke(app, ["eval", "--data", str(data),
                                       "--model-extraction", MINI])
    assert refused.exit_code == 2 and "not on the allowlist" in refused.output


@pytest.mark.model
def test_compare_the_real_local_model_with_a_mocked_one(env: Path) -> None:
    """The default model runs for real (Gemma 3 270M in process) beside a mocked remote one."""
    data = sample_subset(env / "data", ("011-",))
    with MockedModels({MINI: first_choice}).installed():
        result = CliRunner().invoke(app, [
            "eval", "--data", str(data), "--compare", "local/gemma3-270m", MINI,
            "--json", str(env / "compare.json"), "--out", str(env / "compare.md")])
    assert result.exit_code == 0, result.output
    local = json.loads((env / "compare.json").read_text())["local/gemma3-270m"]
    usage = local["model_usage"]["classification"]
    assert usage["calls"] + usage["failures"] == 1 and usage["models"] in ([], [
        "local/gemma3-270m"])
    assert local["decision_accuracy"] == 1.0 and float(usage["cost"]) == 0
    if usage["calls"]:
        assert usage["latency_median_ms"] > 0 and usage["prompt_tokens"] > 0
    assert "`local/gemma3-270m`" in (env / "compare.md").read_text()
