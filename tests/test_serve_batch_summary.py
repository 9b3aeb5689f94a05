"""A batch leaves its summary in Prefect as an artifact (visible under Artifacts in the UI)."""

from __future__ import annotations

from pathlib import Path

from tests.pipeline_helpers import run_dataset, sample_subset


def test_a_batch_publishes_its_summary_artifact(tmp_path: Path, database_url: str) -> None:
    from prefect import get_client
    from prefect.client.schemas.filters import (
        ArtifactCollectionFilter,
        ArtifactCollectionFilterKey,
    )

    root = sample_subset(tmp_path / "data", ["001", "011", "017"])
    outcomes, _store = run_dataset(root, database_url, tmp_path)
    assert sorted(o.decision or "" for o in outcomes) == ["approve", "hold", "review"]
    with get_client(sync_client=True) as client:
        [summary] = client.read_latest_artifacts(artifact_filter=ArtifactCollectionFilter(
            key=ArtifactCollectionFilterKey(any_=["batch-summary"])))
    text = str(summary.data)
    assert "**3 invoice(s)**: 1 approve, 1 hold, 1 review" in text
    assert "| 011-acme-inv-10244.pdf | Acme Office Supplies Ltd | INV-10244 | 2,332.56 GBP | " \
           "PRICE_VARIANCE | review |" in text
