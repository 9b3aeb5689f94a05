"""Bank accounts masked in free text and payloads, with a keyed hash for equality checks."""

from __future__ import annotations

import logging

import pytest

from models.sensitive import is_account_key, mask_account, mask_text, valid_iban
from store.secrets import AuditKey

KEY = AuditKey.from_text("unit-test-audit-key-0123456789")
IBAN = "DE89370400440532013000"


def test_ibans_are_masked_in_free_text_grouped_or_not() -> None:
    text = (f"Pay to IBAN DE89 3704 0044 0532 0130 00 BIC COBADEFFXXX; old: {IBAN}. "
            "lower: nl91abna0417164300")
    masked = mask_text(text)
    assert "DE89…3000 BIC COBADEFFXXX" in masked
    assert masked.count("DE89…3000") == 2 and "NL91…4300" in masked
    assert "0532" not in masked and "0417" not in masked


def test_labelled_account_numbers_are_masked() -> None:
    masked = mask_text("ABA routing 041001039 · Account 359681204417; Acct #: 8012-4471-93")
    assert "359681204417" not in masked and "…4417" in masked
    assert "8012-4471-93" not in masked and "…7193" in masked
    assert "041001039" in masked  # a routing number names a bank, not an account


def test_other_text_is_left_alone() -> None:
    text = ("Invoice INV-2026-0042 total 1,234.50 EUR, PO 4500001873, sha256 "
            "de12ab34cd56ef7890aa11bb22cc33dd44ee55ff66aa77bb88cc99dd00ee11ff")
    assert mask_text(text) == text
    assert not valid_iban("DE00123412341234")


def test_masked_forms() -> None:
    assert mask_account("GB82 WEST 1234 5698 7654 32") == "GB82…5432"
    assert mask_account("000123456789") == "…6789"
    assert mask_account("DE00") == "…"
    assert mask_account("GB82…5432") == "GB82…5432"


def test_account_fields_get_a_masked_form_and_a_keyed_hash() -> None:
    payload = {"invoice": {"iban": "DE89 3704 0044 0532 0130 00", "vendor_name": "Acme"},
               "master_iban": IBAN, "account_number": "000123456789", "lines": 3,
               "note": [f"remit to {IBAN}"]}
    protected = KEY.protect(payload)
    assert protected["invoice"]["iban"] == "DE89…3000"
    assert protected["invoice"]["iban_hmac"] == protected["master_iban_hmac"]  # same account
    assert protected["account_number"] == "…6789" and protected["lines"] == 3
    assert protected["note"] == ["remit to DE89…3000"]
    assert IBAN not in str(protected) and "000123456789" not in str(protected)
    assert KEY.protect(protected) == protected  # idempotent: the chain hashes the stored form
    other = AuditKey.from_text("another-key-0123456789abcdef")
    assert other.fingerprint(IBAN) != KEY.fingerprint(IBAN)


def test_field_names_as_keys_are_not_accounts() -> None:
    payload = {"sources": {"iban": "label", "total": "arithmetic"},
               "unverified": {"iban": "not printed in the document"}}
    assert KEY.protect(payload) == payload


def test_which_keys_hold_accounts() -> None:
    assert all(map(is_account_key, ["iban", "invoice_iban", "account_number", "bank_account"]))
    assert not any(map(is_account_key, ["iban_hmac", "vendor_id", "accounts", "bic"]))


def test_log_records_are_masked_whoever_makes_them(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    from pipeline import logredaction

    monkeypatch.setenv("OPENAI_API_KEY", "sk-test-unit-secret-0123456789")
    logredaction.install()
    caplog.set_level(logging.DEBUG)
    log = logging.getLogger("some.library")
    log.debug("request: %s", {"prompt": f"pay to IBAN {IBAN}",
                              "key": "sk-test-unit-secret-0123456789"})
    try:
        raise ValueError(f"bad account {IBAN}")
    except ValueError:
        log.exception("failed")
    text = caplog.text + caplog.records[0].getMessage()
    assert IBAN not in text and "sk-test-unit-secret-0123456789" not in text
    assert "DE89…3000" in text and "sk-t…" in text
