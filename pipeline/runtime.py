"""What a run needs besides the invoice: the store, ERP master data, policy and the gateway.

A flow receives only a `RunSpec` (serialisable, so Prefect can record it as a parameter)
and turns it into a `Runtime` once per process: opening the database, reading the ERP
export and loading the model are done once, not per invoice.
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict

from config.loader import (
    CATALOG_FILE,
    PHRASES_FILE,
    load_catalog,
    load_instruction_phrases,
    load_policy,
)
from erp.csv_master import load_master_data
from extractors.limits import ParseLimits
from models.catalog import Catalog
from models.gateway import ModelGateway
from models.master import MasterData
from models.policy import Policy
from models.screening import InstructionPhrases
from rules.registry import check_rules
from store.repository import Store
from store.secrets import AuditKey, AuditKeyError


class RunSpec(BaseModel):
    model_config = ConfigDict(frozen=True)

    erp_dir: str
    database_url: str
    documents_dir: str
    policy_file: str
    as_of: date
    catalog_file: str = str(CATALOG_FILE)
    parse_limits: ParseLimits = ParseLimits()
    """Pages, bytes, seconds and memory one file may cost the parser (APX_PARSE__*)."""
    phrases_file: str = str(PHRASES_FILE)
    extraction_mode: Literal["auto", "always", "never"] = "auto"
    use_model: bool = True
    model_cache_file: str | None = None
    audit_key_file: str | None = None
    """The audit key (created owner-only on first use); see `audit_key_env`."""
    audit_key_env: str | None = None
    """The name of an environment variable holding the audit key (wins over the file). The
    spec is recorded by Prefect as a parameter: it names where the key is, never the key."""
    audit_anchor_file: str | None = None
    """Where the chain's head is appended at the end of every batch (None: not anchored)."""


@dataclass(frozen=True)
class Runtime:
    spec: RunSpec
    store: Store
    master: MasterData
    policy: Policy
    catalog: Catalog
    gateway: ModelGateway | None
    instruction_phrases: InstructionPhrases


_runtimes: dict[RunSpec, Runtime] = {}
_lock = threading.Lock()


def build_gateway(spec: RunSpec) -> ModelGateway | None:
    if not spec.use_model:
        return None
    from gateway.client import LiteLLMGateway  # heavy (litellm): only when a model is used

    return LiteLLMGateway.from_settings(cache_file=spec.model_cache_file)


def audit_key(spec: RunSpec) -> AuditKey | None:
    """The audit key the spec points at (None: none configured, the store makes its own)."""
    if spec.audit_key_env:
        value = os.environ.get(spec.audit_key_env)
        if not value:
            raise AuditKeyError(f"the audit key variable {spec.audit_key_env} is not set")
        return AuditKey.from_text(value, source=f"${spec.audit_key_env}")
    if spec.audit_key_file:
        return AuditKey.from_file(Path(spec.audit_key_file))
    return None


def runtime_for(spec: RunSpec) -> Runtime:
    from store.repository import Store

    with _lock:
        runtime = _runtimes.get(spec)
        if runtime is None:
            catalog = load_catalog(Path(spec.catalog_file))
            check_rules(catalog)  # a rule for a pattern the catalog lacks fails here, not later
            runtime = Runtime(
                spec=spec,
                store=Store.open(
                    spec.database_url, key=audit_key(spec),
                    anchor_file=Path(spec.audit_anchor_file) if spec.audit_anchor_file else None,
                ),
                master=load_master_data(Path(spec.erp_dir)),
                policy=load_policy(Path(spec.policy_file)),
                catalog=catalog,
                gateway=build_gateway(spec),
                instruction_phrases=load_instruction_phrases(Path(spec.phrases_file)),
            )
            _runtimes[spec] = runtime
        return runtime


def forget_runtimes() -> None:
    """Drop cached runtimes (tests, or after the ERP export changed)."""
    with _lock:
        for runtime in _runtimes.values():
            runtime.store.engine.dispose()
        _runtimes.clear()
