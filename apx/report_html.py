"""`apx report` as one self-contained HTML page: figures, tables and inline SVG charts.

Rendering only: every figure comes computed in a `ControllerReport` (metrics/kpis.py).
The charts are matplotlib figures serialised to SVG inside the page, so it opens offline
and can be mailed as one file. matplotlib is imported when a page is rendered, never by
`apx --help`.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from decimal import Decimal
from html import escape
from typing import Any

from metrics.conformance import InvoiceRef
from metrics.kpis import ControllerReport, Spread

PATH_COLOURS = {"touchless": "#2e7d32", "review": "#f9a825", "hold": "#0277bd",
                "reject": "#c62828", "failed": "#8e24aa"}
CSS = """
body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:24px auto;
max-width:1320px;color:#222;padding:0 16px}
h1{margin-bottom:0}h2{border-bottom:2px solid #eee;padding-bottom:4px;margin-top:36px}
.sub{color:#666;margin-top:4px}
.cards{display:flex;flex-wrap:wrap;gap:12px;margin:16px 0}
.card{border:1px solid #ddd;border-radius:8px;padding:10px 14px;min-width:140px}
.card .v{font-size:26px;font-weight:600}.card .l{color:#666;font-size:13px}
table{border-collapse:collapse;margin:8px 0;font-size:14px}
th,td{border-bottom:1px solid #eee;padding:4px 10px;text-align:left;vertical-align:top}
th{background:#fafafa}td.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
.grid{display:grid;grid-template-columns:1fr 1fr;gap:16px;align-items:start}
.chart svg{max-width:100%;height:auto}
.good{color:#2e7d32}.mid{color:#f57f17}.bad{color:#c62828}
details{margin:4px 0}summary{cursor:pointer}
.note{color:#666;font-size:13px}
"""


# -- formatting -----------------------------------------------------------------------------------


def pct(value: float | None) -> str:
    return "–" if value is None else f"{value * 100:.1f} %"


def duration(hours: float | None) -> str:
    """A duration for people: seconds, minutes, hours or days, whichever reads best."""
    if hours is None:
        return "–"
    seconds = hours * 3600
    if seconds < 10:
        return f"{seconds:.1f} s"
    if seconds < 90:
        return f"{seconds:.0f} s"
    if hours < 1.5:
        return f"{seconds / 60:.0f} min"
    if hours < 48:
        return f"{hours:.1f} h"
    return f"{hours / 24:.1f} d"


def money(value: Decimal | None, currency: str = "", places: int = 2) -> str:
    if value is None:
        return "–"
    return f"{value:,.{places}f} {currency}".strip()


def _cell(value: object, numeric: bool = False) -> str:
    css = ' class="n"' if numeric else ""
    return f"<td{css}>{escape(str(value))}</td>"


def table(headers: Sequence[str], rows: Iterable[Sequence[object]],
          numeric: Iterable[int] = ()) -> str:
    right = set(numeric)
    head = "".join(f"<th>{escape(h)}</th>" for h in headers)
    body = "".join(
        "<tr>" + "".join(_cell(v, i in right) for i, v in enumerate(row)) + "</tr>"
        for row in rows)
    return f"<table><tr>{head}</tr>{body}</table>"


def invoice_list(refs: Sequence[InvoiceRef], title: str | None = None) -> str:
    rows = [(ref.label, ref.vendor or "–", money(ref.total, ref.currency or ""),
             ref.apx_decision or "–", ref.reviewer_decision or "–", ref.note)
            for ref in refs]
    inner = table(("invoice", "vendor", "total", "APX", "reviewer", "note"), rows, numeric=(2,))
    return (f"<details><summary>{escape(title or f'{len(refs)} invoices')}</summary>"
            f"{inner}</details>")


# -- charts -------------------------------------------------------------------------------------


def _svg(figure: Any) -> str:
    import matplotlib.pyplot as plt

    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", bbox_inches="tight")
    plt.close(figure)
    text = buffer.getvalue()
    return '<div class="chart">' + text[text.index("<svg"):] + "</div>"


def _pyplot() -> Any:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    plt.rcParams.update({"font.size": 9, "axes.spines.top": False,
                         "axes.spines.right": False, "svg.fonttype": "none"})
    return plt


def throughput_chart(report: ControllerReport) -> str:
    if not report.days:
        return ""
    plt = _pyplot()
    figure, axes = plt.subplots(figsize=(max(4.0, min(11.0, 0.3 * len(report.days) + 2)), 3.0))
    x = list(range(len(report.days)))
    bottom = [0] * len(x)
    for path, colour in PATH_COLOURS.items():
        counts = [row.received.get(path, 0) for row in report.days]
        if any(counts):
            axes.bar(x, counts, bottom=bottom, color=colour, label=f"received: {path}",
                     width=0.8)
            bottom = [b + c for b, c in zip(bottom, counts, strict=True)]
    axes.plot(x, [row.posted for row in report.days], color="#333", marker=".",
              linewidth=1, label="posted")
    if any(row.reviewed for row in report.days):
        axes.plot(x, [row.reviewed for row in report.days], color="#e65100", marker=".",
                  linewidth=1, linestyle="--", label="decided in review")
    step = max(1, len(x) // 15)
    axes.set_xticks(x[::step], [f"{row.day:%m-%d}" for row in report.days][::step])
    axes.set_xlim(-0.6, len(x) - 0.4)
    axes.set_ylabel("invoices per day")
    axes.legend(ncol=3, fontsize=7, frameon=False, loc="upper center",
                bbox_to_anchor=(0.5, -0.12))
    return _svg(figure)


def pattern_chart(report: ControllerReport, top: int = 15) -> str:
    rows = [row for row in report.patterns if row.primary][:top]
    if not rows:
        return ""
    plt = _pyplot()
    figure, axes = plt.subplots(figsize=(6.0, 0.28 * len(rows) + 0.8))
    names = [row.pattern for row in reversed(rows)]
    values = [(row.rate or 0) * 100 for row in reversed(rows)]
    axes.barh(names, values, color="#f9a825")
    axes.set_xlabel("% of invoices (primary pattern)")
    for y, value in enumerate(values):
        axes.text(value, y, f" {value:.1f}", va="center", fontsize=8)
    return _svg(figure)


def cycle_chart(report: ControllerReport) -> str:
    rows = [c for c in report.cycles if c.received_to_decided.count]
    if not rows:
        return ""
    plt = _pyplot()
    figure, axes = plt.subplots(figsize=(6.0, 2.6))
    names = [c.path for c in rows]
    top = max(c.received_to_decided.p90_hours or 0 for c in rows)
    unit, per_hour = next(((name, factor) for name, factor, limit in (
        ("seconds", 3600.0, 0.05), ("minutes", 60.0, 2.0), ("hours", 1.0, 72.0))
        if top < limit), ("days", 1 / 24))
    medians = [(c.received_to_decided.median_hours or 0) * per_hour for c in rows]
    p90 = [(c.received_to_decided.p90_hours or 0) * per_hour for c in rows]
    x = range(len(rows))
    axes.bar([i - 0.2 for i in x], medians, width=0.4, label="median",
             color=[PATH_COLOURS[n] for n in names])
    axes.bar([i + 0.2 for i in x], p90, width=0.4, label="p90", color="#bbb")
    axes.set_xticks(list(x), names)
    axes.set_ylabel(f"{unit}, received → decided")
    positive = [value for value in medians + p90 if value > 0]
    if positive and max(positive) / min(positive) > 100:  # seconds next to days
        axes.set_yscale("log")
    axes.legend(frameon=False, fontsize=8)
    return _svg(figure)


def anchor_chart(report: ControllerReport) -> str:
    rows = report.anchors
    if not rows:
        return ""
    plt = _pyplot()
    figure, grid = plt.subplots(len(rows), 1, figsize=(6.0, 0.75 * len(rows) + 0.3))
    for axes, row in zip(grid, rows, strict=True):
        anchor = row.anchor
        values = [float(anchor.average), float(anchor.best_in_class)]
        if row.ours is not None:
            values.append(float(row.ours))
        high = max(values) * 1.15 or 1
        axes.set_xlim(0, high)
        axes.set_yticks([])
        axes.spines["left"].set_visible(False)
        axes.axhline(0, color="#ddd", linewidth=6, zorder=0)
        axes.scatter([float(anchor.average)], [0], color="#999", s=60, zorder=2,
                     label="average")
        axes.scatter([float(anchor.best_in_class)], [0], color="#2e7d32", s=60, zorder=2,
                     marker="D", label="best in class")
        if row.ours is not None:
            axes.scatter([float(row.ours)], [0], color="#1565c0", s=110, zorder=3,
                         marker="*", label="APX")
        axes.set_title(f"{anchor.label} ({anchor.unit})", fontsize=8, loc="left")
    figure.tight_layout()
    handles, labels = grid[0].get_legend_handles_labels()
    figure.legend(handles, labels, ncol=3, fontsize=7, frameon=False, loc="upper center",
                  bbox_to_anchor=(0.5, 0.0))
    return _svg(figure)


def agreement_chart(report: ControllerReport) -> str:
    rows = [row for row in report.agreement if row.records]
    if not rows:
        return ""
    plt = _pyplot()
    figure, axes = plt.subplots(figsize=(6.0, 0.3 * len(rows) + 0.8))
    names = [row.pattern for row in reversed(rows)]
    shares = []
    for row in reversed(rows):
        agreed = row.agreed + row.escalation_confirmed
        shares.append(100 * agreed / row.records)
    axes.barh(names, shares, color="#1565c0")
    axes.set_xlim(0, 105)
    axes.set_xlabel("% of shadow decisions agreeing with APX")
    return _svg(figure)


# -- the page -----------------------------------------------------------------------------------


def _card(value: str, label: str) -> str:
    return f'<div class="card"><div class="v">{escape(value)}</div>' \
           f'<div class="l">{escape(label)}</div></div>'


def _spread(spread: Spread) -> str:
    if not spread.count:
        return "–"
    return f"{duration(spread.median_hours)} / {duration(spread.p90_hours)} (n={spread.count})"


def render_html(report: ControllerReport, *, title: str = "APX — accounts payable report",
                generated_at: datetime | None = None, source: str = "") -> str:
    parts = [f"<!doctype html><html><head><meta charset='utf-8'><title>{escape(title)}</title>"
             f"<style>{CSS}</style></head><body>"]
    last_day = report.until - timedelta(microseconds=1)
    period = f"received {report.since:%Y-%m-%d} to {last_day:%Y-%m-%d}"
    parts.append(f"<h1>{escape(title)}</h1><p class='sub'>{escape(period)} · "
                 f"{report.invoices} invoices · policy "
                 f"{escape(', '.join(report.policy_versions) or '–')}"
                 + (f" · {escape(source)}" if source else "")
                 + (f" · generated {generated_at:%Y-%m-%d %H:%M} UTC" if generated_at else "")
                 + "</p>")
    costs = report.costs
    parts.append('<div class="cards">' + "".join([
        _card(pct(report.touchless_rate), "touchless"),
        _card(pct(report.exception_rate), "exception rate (any finding)"),
        _card(pct(report.review_rate), "to review"),
        _card(pct(report.hold_rate), "held"),
        _card(pct(report.reject_rate), "rejected"),
        _card(money(costs.per_invoice, costs.currency), "cost per invoice"),
        _card(duration(report.mean_days_to_approval * 24)
              if report.mean_days_to_approval is not None else "–",
              "mean received → approved"),
        _card(str(report.waiting_reviews), "waiting for review"),
    ]) + "</div>")

    parts.append("<h2>Where we stand</h2>")
    anchor_rows = [(row.anchor.label, _anchor_value(row.ours, row.anchor.unit),
                    _anchor_value(row.anchor.average, row.anchor.unit),
                    _anchor_value(row.anchor.best_in_class, row.anchor.unit), row.standing)
                   for row in report.anchors]
    parts.append('<div class="grid"><div>'
                 + table(("figure", "APX", "average", "best in class", "standing"),
                         anchor_rows, numeric=(1, 2, 3))
                 + f"<p class='note'>Anchors: {escape(report.benchmark_source)}. APX's cycle "
                   f"time is the mean from receipt to approval over the {report.approvals} "
                   "invoices approved (touchless or by reviewers)"
                 + (f"; the {report.waiting_reviews} still waiting for review are not in it"
                    if report.waiting_reviews else "") + ".</p>"
                 + "</div>" + anchor_chart(report) + "</div>")

    parts.append("<h2>Exceptions by pattern</h2>")
    pattern_rows = [(row.pattern, row.primary, pct(row.rate), row.with_finding,
                     ", ".join(f"{k} {v}" for k, v in sorted(row.decisions.items())))
                    for row in report.patterns]
    parts.append('<div class="grid"><div>'
                 + table(("pattern", "invoices (primary)", "rate", "with a finding of it",
                          "APX decisions"), pattern_rows, numeric=(1, 2, 3))
                 + "</div>" + pattern_chart(report) + "</div>")

    parts.append("<h2>Cycle time</h2>")
    cycle_rows = [(c.path, c.invoices, _spread(c.received_to_decided),
                   _spread(c.decided_to_posted), _spread(c.received_to_posted))
                  for c in report.cycles]
    parts.append('<div class="grid"><div>'
                 + table(("path", "invoices", "received → decided (median / p90)",
                          "decided → posted", "received → posted"), cycle_rows, numeric=(1,))
                 + "<p class='note'>Decided: by the policy; on the review path, when the "
                   "reviewers it needs (two for four eyes) had decided. A hold is decided when "
                   "the policy holds it.</p></div>" + cycle_chart(report) + "</div>")
    if report.oldest_waiting:
        parts.append(f"<h3>Oldest waiting reviews ({report.waiting_reviews} waiting)</h3>")
        parts.append(table(("invoice", "vendor", "total", "pattern", "approver", "waiting since",
                            "age"),
                           [(w.invoice.label, w.invoice.vendor or "–",
                             money(w.invoice.total, w.invoice.currency or ""), w.pattern or "–",
                             w.approver_role or "–", f"{w.waiting_since:%Y-%m-%d %H:%M}",
                             duration(w.age_hours)) for w in report.oldest_waiting],
                           numeric=(2, 6)))

    parts.append("<h2>Throughput per day</h2>")
    parts.append(throughput_chart(report) or "<p>No invoices in the period.</p>")

    parts.append("<h2>Reviewers</h2>")
    if report.reviewers:
        parts.append(table(
            ("reviewer", "role", "decisions", "approved", "rejected", "held", "corrected",
             "shadow", "minutes", "time to decision (median / p90)"),
            [(r.reviewer, r.role or "–", r.decisions, r.approved, r.rejected, r.held,
              r.corrected, r.shadow, f"{r.minutes:.0f}",
              f"{duration(r.median_hours_to_decision)} / {duration(r.p90_hours_to_decision)}")
             for r in report.reviewers], numeric=(2, 3, 4, 5, 6, 7, 8)))
        parts.append(f"<p class='note'>{report.reviews} review decisions; time to decision "
                     f"(from APX's decision to the reviewer's): {_spread(report.review_hours)}."
                     "</p>")
    else:
        parts.append("<p class='note'>No review decisions are recorded for this period; "
                     "reviewer time below is estimated at the policy's standard.</p>")

    parts.append("<h2>Cost per invoice</h2>")
    parts.append(table(("", "total", "per invoice"), [
        ("model calls", money(costs.model_cost, "USD", 4),
         money(costs.model_per_invoice, "USD", 6)),
        (f"reviewer time ({costs.review_minutes:.0f} min at {money(costs.hourly_rate)} "
         f"{costs.currency}/h)", money(costs.review_cost, costs.currency),
         money(costs.review_per_invoice, costs.currency, 4)),
        ("total", money(costs.total, costs.currency, 2),
         money(costs.per_invoice, costs.currency, 2)),
    ], numeric=(1, 2)))
    if costs.estimated_minutes:
        parts.append(f"<p class='note'>{costs.estimated_minutes:.0f} of the minutes are "
                     f"estimated: {costs.minutes_per_review} standard minutes (policy "
                     "<code>costs.reviewer_minutes_per_review</code>) for each review the "
                     "review path needs that has no recorded decision.</p>")

    parts.append("<h2>Model use</h2>")
    parts.append(table(
        ("step", "models", "calls", "per invoice", "max per invoice", "cache hits", "tokens",
         "cost (USD)", "latency median / p95", "failures", "outside the choices"),
        [(u.step, ", ".join(u.models) or "–", u.calls,
          f"{u.calls_per_invoice:.2f}" if u.calls_per_invoice is not None else "–",
          u.max_calls_per_invoice, u.cache_hits, u.prompt_tokens + u.completion_tokens,
          f"{u.cost:.4f}",
          f"{_ms(u.latency_median_ms)} / {_ms(u.latency_p95_ms)}", u.failures,
          u.outside_choices) for u in report.usage],
        numeric=(2, 3, 4, 5, 6, 7, 9, 10)))

    parts.append("<h2>Shadow mode: do reviewers agree with APX?</h2>")
    if report.agreement:
        parts.append('<div class="grid"><div>' + table(
            ("APX pattern", "shadow decisions", "APX final proposal: agreed",
             "APX sent to review: confirmed"),
            [(row.pattern, row.records,
              f"{row.agreed} of {row.comparable} ({pct(row.agreement)})" if row.comparable
              else "–",
              f"{row.escalation_confirmed} of {row.escalated}" if row.escalated else "–")
             for row in report.agreement], numeric=(1,))
            + "<p class='note'>Agreed: the person decided what APX proposed (approve, hold, "
              "reject). Confirmed: APX sent it to a person and the person did not approve it "
              "as it stood (rejected, held or corrected).</p>"
            + "".join(invoice_list(row.disagreements, f"{row.pattern}: "
                                   f"{len(row.disagreements)} disagreements")
                      for row in report.agreement if row.disagreements)
            + "</div>" + agreement_chart(report) + "</div>")
    else:
        parts.append("<p class='note'>No shadow-mode decisions in this period.</p>")

    parts.append(conformance_html(report))
    parts.append("</body></html>")
    return "\n".join(parts)


def conformance_html(report: ControllerReport) -> str:
    gap = report.conformance
    parts = ["<h2>The conformance gap: written policy vs what people do</h2>",
             f"<p class='note'>{gap.reviewed_invoices} invoices with a reviewer's decision in "
             "the period. Each item lists the invoices behind it: the input for the next "
             "policy version.</p>", "<h3>Rules whose findings reviewers approve as they stand"
             "</h3>"]
    if gap.overridden_rules:
        for rule in gap.overridden_rules:
            parts.append(f"<p><b>{escape(rule.code)}</b>: {rule.approved_as_is} of "
                         f"{rule.reviewed} reviewed invoices approved without a change "
                         f"({pct(rule.share)}).</p>" + invoice_list(rule.invoices))
    else:
        parts.append("<p class='note'>None (a rule needs ≥ 3 reviewed invoices, ≥ 90 % "
                     "approved as they stood).</p>")
    parts.append("<h3>Thresholds not applied as written</h3>")
    if gap.thresholds:
        for item in gap.thresholds:
            parts.append(f"<p><code>{escape(item.setting)}</code> — written: "
                         f"{escape(item.written)}; in practice: {escape(item.practice)}.</p>"
                         + invoice_list(item.invoices))
    else:
        parts.append("<p class='note'>None found.</p>")
    parts.append("<h3>Patterns that never occur, rules that never fire</h3>")
    parts.append(f"<p><b>Catalog patterns never seen</b> ({len(gap.patterns_never_seen)}): "
                 f"{escape(', '.join(gap.patterns_never_seen) or 'none')}</p>")
    parts.append(f"<p><b>Rules that never fired</b> ({len(gap.rules_never_fired)}): "
                 f"{escape(', '.join(gap.rules_never_fired) or 'none')}</p>")
    parts.append("<h3>UNKNOWN_PATTERN invoices, grouped by their findings</h3>")
    if gap.unknown_groups:
        for group in gap.unknown_groups:
            parts.append(f"<p><b>{escape(' + '.join(group.codes) or '(no finding)')}</b>: "
                         f"{len(group.invoices)} invoices</p>" + invoice_list(group.invoices))
    else:
        parts.append("<p class='note'>No invoice was classified UNKNOWN_PATTERN.</p>")
    return "\n".join(parts)


def _ms(value: float | None) -> str:
    return "–" if value is None else f"{value:,.0f} ms"


def _anchor_value(value: Decimal | None, unit: str) -> str:
    if value is None:
        return "–"
    if unit == "percent":
        return f"{value} %"
    if unit == "usd":
        return f"${value:,.2f}"
    return f"{value} d"
