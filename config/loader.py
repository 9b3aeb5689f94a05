"""Reads the catalog, policy and phrase files into domain objects: the only place that knows YAML.

Loading is cached per path, so every stage of a process sees the same objects, and a typo
in a file fails at start-up with the file's name rather than on some invoice.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from models.catalog import Catalog
from models.policy import Policy
from models.screening import InstructionPhrases

CONFIG_DIR = Path(__file__).resolve().parent
CATALOG_FILE = CONFIG_DIR / "catalog.yaml"
POLICY_FILE = CONFIG_DIR / "policy.yaml"
PHRASES_FILE = CONFIG_DIR / "suspicious_content.yaml"


class ConfigFileError(ValueError):
    """A catalog or policy file that cannot be read or does not validate."""


def _read(path: Path, model: type[BaseModel]) -> Any:
    try:
        with path.open(encoding="utf-8") as handle:
            return model.model_validate(yaml.safe_load(handle))
    except OSError as error:
        raise ConfigFileError(f"{path}: cannot be read ({error.strerror})") from error
    except (yaml.YAMLError, ValidationError) as error:
        raise ConfigFileError(f"{path} is not a valid {model.__name__.lower()} file: {error}") \
            from error


@cache
def load_catalog(path: Path = CATALOG_FILE) -> Catalog:
    catalog: Catalog = _read(path, Catalog)
    return catalog


@cache
def load_policy(path: Path = POLICY_FILE) -> Policy:
    policy: Policy = _read(path, Policy)
    return policy


@cache
def load_instruction_phrases(path: Path = PHRASES_FILE) -> InstructionPhrases:
    """The SUSPICIOUS_CONTENT phrase lists, one section per language."""
    phrases: InstructionPhrases = _read(path, InstructionPhrases)
    return phrases
