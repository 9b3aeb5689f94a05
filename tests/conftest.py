"""Shared by every tier: paths, and the end of the session.

Nothing here starts a server or creates a database: the Prefect environment is set up by
the conftests of the tiers that need it (tests/prefect_env.py), the database fixtures are
in tests/integration/conftest.py.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests import prefect_env

# One audit key for every process a test starts (worker processes, CLI subprocesses), so a
# chain written by several of them verifies; tests of the key itself pass their own.
os.environ.setdefault("APX_AUDIT_KEY", "apx-test-audit-key-not-a-secret")

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_DATA = ROOT / "sample_data"


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    prefect_env.tear_down()
