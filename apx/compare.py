"""`apx eval --compare`: several models on the same labelled work, as one markdown report.

Each model's eval report (the `apx eval --json` dict) becomes a column of one table, and a
chart (PNG next to the markdown, matplotlib, imported only here) shows accuracy and latency.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

ACCURACY = (("decision_accuracy", "decisions"), ("field_accuracy.overall", "fields"),
            ("pattern_recall", "pattern recall"), ("pattern_precision", "pattern precision"),
            ("primary_accuracy", "primary pattern"))
STEPS = ("extraction", "classification")


def _get(report: dict[str, Any], dotted: str) -> Any:
    value: Any = report
    for key in dotted.split("."):
        value = value.get(key) if isinstance(value, dict) else None
    return value


def _pct(value: Any) -> str:
    return "–" if value is None else f"{float(value) * 100:.1f} %"


def _num(value: Any, places: int = 2) -> str:
    return "–" if value is None else f"{float(value):,.{places}f}"


def compare_markdown(reports: dict[str, dict[str, Any]], chart: str | None, data: str) -> str:
    """The comparison table (rows: figures, columns: models) and the chart's image link."""
    models = list(reports)
    header = "| | " + " | ".join(f"`{m}`" for m in models) + " |"
    rule = "|---|" + "---:|" * len(models)
    rows: list[tuple[str, list[str]]] = []
    for key, label in ACCURACY:
        rows.append((label, [_pct(_get(r, key)) for r in reports.values()]))
    rows.append(("invoice with a finding auto-approved",
                 [str(_get(r, "high_stakes_auto_approved")) for r in reports.values()]))
    for step in STEPS:
        usage = [(_get(r, f"model_usage.{step}") or {}) for r in reports.values()]
        rows += [
            (f"{step}: calls per invoice", [_num(u.get("calls_per_invoice")) for u in usage]),
            (f"{step}: cache hits", [str(u.get("cache_hits", "–")) for u in usage]),
            (f"{step}: tokens (in + out)",
             [f"{u.get('prompt_tokens', 0):,} + {u.get('completion_tokens', 0):,}"
              for u in usage]),
            (f"{step}: cost (USD)", [_num(u.get("cost"), 6) for u in usage]),
            (f"{step}: latency median / p95 (ms)",
             [f"{_num(u.get('latency_median_ms'), 0)} / {_num(u.get('latency_p95_ms'), 0)}"
              for u in usage]),
            (f"{step}: failures", [str(u.get("failures", "–")) for u in usage]),
            (f"{step}: answers outside the choices",
             [str(u.get("outside_choices", "–")) for u in usage]),
        ]
    rows.append(("wall time (s)", [_num(r.get("seconds"), 1) for r in reports.values()]))
    lines = [f"# Models compared on `{data}`", "",
             f"{_get(next(iter(reports.values())), 'invoices')} labelled invoices, the same "
             "pipeline and policy for every model; each model answers both steps. Calls exclude "
             "cache hits; a failure is a call that gave no usable answer (the step fell back to "
             "code); an answer outside the choices was refused (not one of the offered "
             "candidates).", "", header, rule]
    lines += [f"| {label} | " + " | ".join(values) + " |" for label, values in rows]
    if chart:
        lines += ["", f"![accuracy and latency per model]({chart})"]
    return "\n".join(lines) + "\n"


def compare_chart(reports: dict[str, dict[str, Any]], target: Path) -> None:
    """Accuracy per model (bars) beside the median latency per step."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    models = list(reports)
    figure, (left, right) = plt.subplots(1, 2, figsize=(10, 3.4),
                                         gridspec_kw={"width_ratios": [3, 2]})
    width = 0.8 / max(len(models), 1)
    for index, model in enumerate(models):
        values = [float(_get(reports[model], key) or 0) * 100 for key, _ in ACCURACY]
        left.bar([i + index * width for i in range(len(ACCURACY))], values, width=width,
                 label=model)
        latencies = [float(_get(reports[model], f"model_usage.{step}.latency_median_ms") or 0)
                     for step in STEPS]
        right.bar([i + index * width for i in range(len(STEPS))], latencies, width=width,
                  label=model)
    centre = width * (len(models) - 1) / 2
    left.set_xticks([i + centre for i in range(len(ACCURACY))], [n for _, n in ACCURACY],
                    fontsize=8)
    left.set_ylim(0, 105)
    left.set_ylabel("%")
    left.set_title("accuracy on the labelled set", fontsize=9)
    right.set_xticks([i + centre for i in range(len(STEPS))], list(STEPS), fontsize=8)
    right.set_ylabel("ms (median per call)")
    right.set_title("latency", fontsize=9)
    for axes in (left, right):
        axes.spines[["top", "right"]].set_visible(False)
    left.legend(fontsize=7, frameon=False, loc="lower left")
    figure.tight_layout()
    figure.savefig(target, dpi=110)
    plt.close(figure)
