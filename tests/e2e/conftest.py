"""The `apx` command in subprocesses (they inherit this environment) and the real model."""

from __future__ import annotations

from tests import prefect_env

prefect_env.configure()  # before any test module of this tier imports prefect
