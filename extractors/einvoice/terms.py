"""Payment terms in days, from the due date or from the terms text ("net 30 days").

Rules compare the vendor's agreed terms with the invoice's; the XML states a due date more
often than a number of days, and only free text otherwise. Text is read conservatively: a
number is taken only when the wording leaves no doubt (an explicit "net", or a single day
count with no discount and no end-of-month clause).
"""

from __future__ import annotations

import re
from datetime import date

from extractors.text import strip_accents

_DAYS = r"(?:days?|tagen?|jours?|dagen|dias)"
_NET = r"(?:net|nett|netto|rein netto)"
_NET_DAYS = (
    re.compile(r"\b" + _NET + r"\s+(\d{1,3})\b(?!\s*%)"),  # "net 30", "netto 30 Tage"
    re.compile(r"\b(\d{1,3})\s*" + _DAYS + r"\s+" + _NET + r"\b"),  # "30 Tagen netto"
)
_ANY_DAYS = re.compile(r"\b(\d{1,3})\s*" + _DAYS + r"\b")
_NOT_PLAIN = re.compile(r"%|skonto|discount|escompte|fin de mois|end of month|\beom\b|monatsende")


def terms_days(issued: date | None, due: date | None, text: str | None) -> int | None:
    """Days between issue and due date, else the days the terms text states, else None."""
    if issued is not None and due is not None and due >= issued:
        return (due - issued).days
    if not text:
        return None
    plain = strip_accents(text).casefold()
    net = {int(m.group(1)) for pattern in _NET_DAYS for m in pattern.finditer(plain)}
    if len(net) == 1:
        return net.pop()
    if net or _NOT_PLAIN.search(plain):
        return None
    days = {int(m.group(1)) for m in _ANY_DAYS.finditer(plain)}
    return days.pop() if len(days) == 1 else None
