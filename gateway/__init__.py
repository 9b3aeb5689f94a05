"""The model gateway: every model call of APX goes through `LiteLLMGateway` (litellm, lazily).

Importing this package does not import litellm or llama-cpp; the first model call does.
"""

from gateway.cache import CacheKey, InMemoryModelCache, ModelCache, SqliteModelCache
from gateway.client import BudgetExceeded, LiteLLMGateway, SchemaViolation
from gateway.config import DEFAULT_MODEL, GatewaySettings, ModelNotAllowed

__all__ = [
    "DEFAULT_MODEL",
    "BudgetExceeded",
    "CacheKey",
    "GatewaySettings",
    "InMemoryModelCache",
    "LiteLLMGateway",
    "ModelCache",
    "ModelNotAllowed",
    "SchemaViolation",
    "SqliteModelCache",
]
