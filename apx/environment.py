"""Process environment for Prefect and litellm, set before either is imported.

Offline and quiet by default (no telemetry, no network for litellm's price map, no V2 UI
that calls home); anything the user exported already wins.
"""

from __future__ import annotations

import os
from pathlib import Path


def configure(home: Path, *, quiet: bool = True) -> None:
    defaults = {
        "PREFECT_HOME": str((home / "prefect").resolve()),
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "PREFECT_SERVER_UI_V2_ENABLED": "false",
        "PREFECT_SERVER_UI_SHOW_PROMOTIONAL_CONTENT": "false",
        "DO_NOT_TRACK": "1",
        "LITELLM_LOCAL_MODEL_COST_MAP": "True",
        "TOKENIZERS_PARALLELISM": "false",
        # A first start migrates a new Prefect database: allow for a slow, busy machine.
        "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "120",
    }
    if quiet:
        defaults["PREFECT_LOGGING_LEVEL"] = "WARNING"
        defaults["PREFECT_LOGGING_TO_API_WHEN_MISSING_FLOW"] = "ignore"
        # The temporary server logs its shutdown races at ERROR; they are not the user's.
        defaults["PREFECT_SERVER_LOGGING_LEVEL"] = "CRITICAL"
    for key, value in defaults.items():
        os.environ.setdefault(key, value)
    # Prefect creates its home without parents and fails on a fresh checkout.
    Path(os.environ["PREFECT_HOME"]).expanduser().mkdir(parents=True, exist_ok=True)
