"""Bank account numbers, masked wherever text leaves the pipeline (pure functions, no key).

An account is shown as its first four and last four characters ("DE89…3000": enough for a
person to tell two accounts apart, not enough to pay into). Which values are accounts:
fields named like one (`iban`, `invoice_iban`, `account_number`, `bank_account`…), and, in
any free text, an IBAN (checked by its checksum) or digits labelled as an account number.
The store adds a keyed hash next to each masked field, for equality checks
(store/secrets.py); nothing here needs a key.
"""

from __future__ import annotations

import re

MASK = "…"

_ACCOUNT_KEY = re.compile(
    r"(^|_)(iban|account|account_number|account_no|bank_account|acct)$", re.IGNORECASE
)
_FINGERPRINT_SUFFIX = "_hmac"

# An IBAN as printed: two letters, two check digits, 10-30 letters or digits, in groups.
_IBAN_TEXT = re.compile(r"\b[A-Za-z]{2}\d{2}(?:[ \-]?[A-Za-z0-9]){10,30}\b")
# Digits labelled as an account ("Account No.: 1234 5678 90", "Acct #000123456789").
_LABELLED_ACCOUNT = re.compile(
    r"(?P<label>\b(?:account|acct|a/c|konto|kontonummer|rekeningnummer)\b"
    r"(?:\s*(?:no\.?|number|nr\.?|num|#))?\s*[:#.]?\s*)"
    r"(?P<number>\d(?:[ \-]?\d){5,30})",
    re.IGNORECASE,
)


def is_account_key(key: str) -> bool:
    """A payload key that holds a bank account number (not its keyed hash)."""
    return not key.endswith(_FINGERPRINT_SUFFIX) and bool(_ACCOUNT_KEY.search(key))


_ACCOUNT_VALUE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 \-./]{4,46}$")


def is_account_value(value: str) -> bool:
    """A value an account field holds: an account number (or its masked form), not a
    provenance such as 'label' or a sentence about why it was not read."""
    return is_masked(value) or (bool(_ACCOUNT_VALUE.match(value.strip()))
                                and sum(ch.isdigit() for ch in value) >= 5)


def fingerprint_key(key: str) -> str:
    """Where the keyed hash of the account under `key` is kept, next to its masked form."""
    return f"{key}{_FINGERPRINT_SUFFIX}"


def compact_account(value: str) -> str:
    return "".join(ch for ch in value.upper() if ch.isalnum())


def is_masked(value: str) -> bool:
    return MASK in value


def mask_account(value: str) -> str:
    """'DE89 3704 0044 0532 0130 00' -> 'DE89…3000', '000123456789' -> '…6789'."""
    if is_masked(value):
        return value
    bare = compact_account(value)
    if len(bare) >= 15 and bare[:2].isalpha() and bare[2:4].isdigit():  # IBAN-shaped
        return f"{bare[:4]}{MASK}{bare[-4:]}"
    if len(bare) >= 8:  # a domestic account number: its last four
        return f"{MASK}{bare[-4:]}"
    if len(bare) >= 6:
        return f"{MASK}{bare[-2:]}"
    return MASK


def valid_iban(candidate: str) -> bool:
    """The ISO 13616 check: length 15-34 and the mod-97 checksum."""
    bare = compact_account(candidate)
    if not 15 <= len(bare) <= 34 or not bare[:2].isalpha() or not bare[2:4].isdigit():
        return False
    digits = "".join(str(int(ch, 36)) for ch in bare[4:] + bare[:4])
    return int(digits) % 97 == 1


def _iban_in(match_text: str) -> int:
    """The length of the longest valid IBAN at the start of `match_text` (0: none)."""
    chars = [i for i, ch in enumerate(match_text) if ch.isalnum()]
    for count in range(min(len(chars), 34), 14, -1):
        end = chars[count - 1] + 1
        if valid_iban(match_text[:end]):
            return end
    return 0


def mask_text(text: str) -> str:
    """Free text with every IBAN and every labelled account number masked."""
    if not text:
        return text

    def iban(match: re.Match[str]) -> str:
        found = match.group(0)
        end = _iban_in(found)
        return mask_account(found[:end]) + found[end:] if end else found

    def labelled(match: re.Match[str]) -> str:
        return match.group("label") + mask_account(match.group("number"))

    return _LABELLED_ACCOUNT.sub(labelled, _IBAN_TEXT.sub(iban, text))
