"""SUSPICIOUS_CONTENT: the document talks to the automation instead of to a person."""

from __future__ import annotations

from collections.abc import Iterator

from models.findings import Finding
from rules.base import RuleContext
from rules.screening import Match, find_phrases

PATTERN = "SUSPICIOUS_CONTENT"
HIDDEN_QUOTE_CHARS = 120


def _quoted(matches: list[Match]) -> str:
    return ", ".join(f"'{match.text}'" for match in matches)


def check(ctx: RuleContext) -> Iterator[Finding]:
    """No honest vendor writes "ignore previous instructions" or "auto-approve" on an
    invoice: such text targets the model or the workflow, so the invoice needs two people.
    The phrases are data, per language (`ctx.instruction_phrases`), matched as whole words
    on the text as a reader perceives it (see rules/screening.py: look-alike letters,
    zero-width characters, spaced-out or broken-up words, fullwidth forms).
    Text a reader cannot see (`ctx.hidden_text`: white on white, tiny, off the page,
    covered) with such a phrase in it is the same attack, hidden from the reviewer; hidden
    text without one is reported too once it has `policy.content.hidden_text_min_letters`
    letters, since an honest invoice has nothing to say that nobody may read."""
    phrases = ctx.instruction_phrases
    language = {p: code for code, group in phrases.languages.items() for p in group}
    hidden = find_phrases(ctx.hidden_text, phrases.phrases) if ctx.hidden_text else []
    hidden_phrases = {match.phrase for match in hidden}
    visible = [
        match
        for match in find_phrases(ctx.document_text, phrases.phrases)
        if match.phrase not in hidden_phrases
    ]
    if hidden:
        yield ctx.finding(
            f"The document hides text aimed at automated processing where a reader cannot "
            f"see it: {_quoted(hidden)}",
            amount=ctx.invoice.total,
            phrases="; ".join(match.text for match in hidden),
            languages=", ".join(sorted({language[match.phrase] for match in hidden})),
            hidden="yes",
        )
    if visible:
        yield ctx.finding(
            f"The document contains text aimed at automated processing: {_quoted(visible)}",
            amount=ctx.invoice.total,
            phrases="; ".join(match.text for match in visible),
            languages=", ".join(sorted({language[match.phrase] for match in visible})),
        )
    letters = sum(ch.isalpha() for ch in ctx.hidden_text)
    if not hidden and letters >= ctx.policy.content.hidden_text_min_letters:
        shown = " ".join(ctx.hidden_text.split())
        if len(shown) > HIDDEN_QUOTE_CHARS:
            shown = shown[:HIDDEN_QUOTE_CHARS] + "…"
        yield ctx.finding(
            f"The document carries {letters} letters of text a reader cannot see (white on "
            f"white, tiny, off the page or covered): '{shown}'",
            amount=ctx.invoice.total,
            hidden_letters=letters,
            hidden_text=shown,
        )
