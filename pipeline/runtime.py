"""What a run needs besides the invoice: the store, ERP master data, policy and the gateway.

A flow receives only a `RunSpec` (serialisable, so Prefect can record it as a parameter)
and turns it into a `Runtime` once per process: opening the database, reading the ERP
export and loading the model are done once, not per invoice.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel, ConfigDict

from config.loader import CATALOG_FILE, load_catalog, load_policy
from erp.csv_master import load_master_data
from models.catalog import Catalog
from models.gateway import ModelGateway
from models.master import MasterData
from models.policy import Policy

if TYPE_CHECKING:  # the rules and the store load when a runtime is built, not on import
    from store.repository import Store


class RunSpec(BaseModel):
    model_config = ConfigDict(frozen=True)

    erp_dir: str
    database_url: str
    documents_dir: str
    policy_file: str
    as_of: date
    catalog_file: str = str(CATALOG_FILE)
    extraction_mode: Literal["auto", "always", "never"] = "auto"
    use_model: bool = True
    model_cache_file: str | None = None


@dataclass(frozen=True)
class Runtime:
    spec: RunSpec
    store: Store
    master: MasterData
    policy: Policy
    catalog: Catalog
    gateway: ModelGateway | None


_runtimes: dict[RunSpec, Runtime] = {}
_lock = threading.Lock()


def build_gateway(spec: RunSpec) -> ModelGateway | None:
    if not spec.use_model:
        return None
    from gateway.client import LiteLLMGateway  # heavy (litellm): only when a model is used

    return LiteLLMGateway.from_settings(cache_file=spec.model_cache_file)


def runtime_for(spec: RunSpec) -> Runtime:
    from rules.registry import check_rules
    from store.repository import Store

    with _lock:
        runtime = _runtimes.get(spec)
        if runtime is None:
            catalog = load_catalog(Path(spec.catalog_file))
            check_rules(catalog)  # a rule for a pattern the catalog lacks fails here, not later
            runtime = Runtime(
                spec=spec,
                store=Store.open(spec.database_url),
                master=load_master_data(Path(spec.erp_dir)),
                policy=load_policy(Path(spec.policy_file)),
                catalog=catalog,
                gateway=build_gateway(spec),
            )
            _runtimes[spec] = runtime
        return runtime


def forget_runtimes() -> None:
    """Drop cached runtimes (tests, or after the ERP export changed)."""
    with _lock:
        for runtime in _runtimes.values():
            runtime.store.engine.dispose()
        _runtimes.clear()
