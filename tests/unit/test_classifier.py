"""The classification step with a fake gateway (no litellm, no model)."""

from __future__ import annotations

from decimal import Decimal

from classifier import PROMPT_VERSION, candidates_for, classify, classify_run
from config.loader import load_catalog
from models.catalog import UNKNOWN_PATTERN
from models.findings import Finding, Severity
from models.gateway import ModelUnavailable
from tests.fakes import FakeGateway

CATALOG = load_catalog()

PRICE = Finding(
    code="PRICE_VARIANCE",
    severity=Severity.MEDIUM,
    message="Line 1: unit price 12.50 is 13.6% above the PO price 11.00",
    amount=Decimal("30.00"),
)
BANK = Finding(
    code="BANK_DETAILS_CHANGED",
    severity=Severity.CRITICAL,
    message="IBAN DE89 3704 0044 0532 0130 00 differs from the vendor master",
)
HIGH = Finding(
    code="HIGH_VALUE", severity=Severity.INFO, message="Total 52,000.00 EUR needs a controller"
)
SUMMARY = "Acme GmbH invoice INV-7 of 2025-03-01, PO 4500001, total 52,000.00 EUR"


def test_no_findings_makes_no_call():
    gateway = FakeGateway({"pattern": "PRICE_VARIANCE", "explanation": "x"})
    result = classify([], SUMMARY, gateway, catalog=CATALOG, cache_key="doc")
    assert result.pattern == "" and result.source == "none"
    assert gateway.calls == []


def test_candidates_are_ranked_by_catalog_priority():
    catalog = load_catalog()
    candidates = candidates_for([HIGH, PRICE, BANK, PRICE], CATALOG)
    assert candidates == ["BANK_DETAILS_CHANGED", "PRICE_VARIANCE", "HIGH_VALUE"]
    assert candidates == catalog.ranked({"HIGH_VALUE", "PRICE_VARIANCE", "BANK_DETAILS_CHANGED"})


def test_unknown_codes_only_give_unknown_pattern():
    odd = Finding(code="NOT_A_PATTERN", severity=Severity.LOW, message="odd")
    assert candidates_for([odd], CATALOG) == [UNKNOWN_PATTERN]
    result = classify([odd], SUMMARY, None, catalog=CATALOG, cache_key="doc")
    assert result.pattern == UNKNOWN_PATTERN and result.source == "fallback"


def test_one_call_with_an_enum_of_the_candidates_and_the_prompt():
    gateway = FakeGateway({"pattern": "PRICE_VARIANCE", "explanation": "Price above PO."})
    classify([PRICE, HIGH], SUMMARY, gateway, catalog=CATALOG, cache_key="sha256:doc")
    assert len(gateway.calls) == 1
    call = gateway.calls[0]
    assert call["step"] == "classification"
    assert call["prompt_version"] == PROMPT_VERSION
    assert call["cache_key"].startswith("sha256:doc:")
    schema = call["schema"]
    assert schema["properties"]["pattern"]["enum"] == [
        "PRICE_VARIANCE",
        "HIGH_VALUE",
        UNKNOWN_PATTERN,
    ]
    assert schema["properties"]["explanation"]["maxLength"] == 300
    prompt = call["prompt"]
    assert PRICE.message in prompt and HIGH.message in prompt and "Acme GmbH" in prompt
    assert prompt.index("- PRICE_VARIANCE: unit price above PO price") < prompt.index(
        "- HIGH_VALUE:"
    )


def test_cache_key_changes_when_the_findings_change():
    gateway = FakeGateway({"pattern": "PRICE_VARIANCE", "explanation": ""})
    classify([PRICE], SUMMARY, gateway, catalog=CATALOG, cache_key="sha256:doc")
    classify([PRICE, HIGH], SUMMARY, gateway, catalog=CATALOG, cache_key="sha256:doc")
    classify([PRICE], SUMMARY, gateway, catalog=CATALOG, cache_key="sha256:doc")
    keys = [call["cache_key"] for call in gateway.calls]
    assert keys[0] != keys[1] and keys[0] == keys[2]


def test_in_candidate_answer_is_used():
    gateway = FakeGateway(
        {"pattern": "HIGH_VALUE", "explanation": "  Big   invoice, needs approval. "}
    )
    result = classify([PRICE, HIGH], SUMMARY, gateway, catalog=CATALOG, cache_key="doc")
    assert result.pattern == "HIGH_VALUE"
    assert result.source == "model"
    assert result.candidates == ["PRICE_VARIANCE", "HIGH_VALUE"]
    assert result.model_explanation == "Big invoice, needs approval."
    # the reviewer's explanation is written by code, from the findings
    assert result.explanation.startswith("High value: above an approval threshold")
    assert PRICE.message in result.explanation and HIGH.message in result.explanation
    assert "Big invoice" not in result.explanation


def test_unknown_pattern_from_the_model_is_kept():
    gateway = FakeGateway({"pattern": UNKNOWN_PATTERN, "explanation": "Something else."})
    result = classify([PRICE], SUMMARY, gateway, catalog=CATALOG, cache_key="doc")
    assert result.pattern == UNKNOWN_PATTERN and result.source == "model"
    assert PRICE.message in result.explanation


def test_out_of_candidate_answer_is_rejected_for_the_top_candidate():
    gateway = FakeGateway({"pattern": "VENDOR_BLOCKED", "explanation": "Vendor blocked."})
    run = classify_run([HIGH, PRICE], SUMMARY, gateway, catalog=CATALOG, cache_key="doc")
    result = run.classification
    assert result.pattern == "PRICE_VARIANCE"
    assert result.source == "fallback"
    assert result.model_explanation is None
    assert result.explanation.startswith("Price variance: unit price above PO price")
    assert run.answer is not None and run.answer.model == "fake/model"
    assert "VENDOR_BLOCKED" in (run.fallback_reason or "")


def test_model_unavailable_gives_the_top_candidate():
    gateway = FakeGateway(ModelUnavailable("no model answered: local/gemma3-270m: timeout"))
    run = classify_run([PRICE, BANK], SUMMARY, gateway, catalog=CATALOG, cache_key="doc")
    assert run.classification.pattern == "BANK_DETAILS_CHANGED"
    assert run.classification.source == "fallback"
    assert run.answer is None
    assert "timeout" in (run.fallback_reason or "")
    assert len(gateway.calls) == 1


def test_no_gateway_gives_the_top_candidate():
    result = classify([PRICE, BANK], SUMMARY, None, catalog=CATALOG, cache_key="doc")
    assert result.pattern == "BANK_DETAILS_CHANGED" and result.source == "fallback"
    assert BANK.message in result.explanation
