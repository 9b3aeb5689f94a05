"""A simulated month of AP: a few hundred invoices over 30 days, with reviewers deciding.

    python -m tools.simulate_month --out .apx/sim [--invoices 320] [--seed 7]
    APX_DATABASE_URL=sqlite:///.apx/sim/apx.db apx report --out report.html

What is real and what is simulated:
- real: the invoice PDFs and ERP data (made by `sample_data/generate.py`'s own scenario
  machinery, with its ground truth, so `apx eval --data .apx/sim/data` scores the same set),
  and every stage of APX's pipeline, run in process on each invoice (parse, extract, rules,
  classify, decide, post) with the real policy and the real audit chain;
- simulated: the clock (arrivals spread over business hours of 30 days, a few seconds per
  stage), the classification model (`openai/gpt-4o-mini` through litellm's mock responses:
  it picks the top candidate, says UNKNOWN_PATTERN for unplanned charges mixed with other
  findings, and answers outside the choices on every 40th call; tokens and cost are priced
  as that model would bill them, the latency is drawn), and the reviewers.

The reviewers follow habits that differ from the written policy, which is what the report's
conformance gap should find: they approve payment-terms differences as billed, accept price
variances up to 5 % (the policy says 2 %), and send every exception above 5,000 to the
controller (the policy lets a clerk approve up to 10,000). During the first week they also
give a second opinion (shadow mode) on what APX decided alone. Review decisions are written
as `review.decided` audit events, the store's review read model until review has its tables.
"""

from __future__ import annotations

import argparse
import dataclasses
import heapq
import importlib.util
import math
import random
import shutil
import sys
from collections import Counter
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path
from types import ModuleType
from typing import Any

from config.loader import POLICY_FILE, load_catalog, load_instruction_phrases, load_policy
from erp.csv_master import load_master_data
from models.findings import Decision, Outcome
from models.gateway import ModelAnswer, ModelGateway, Step
from pipeline.process import process_file
from pipeline.runtime import RunSpec, Runtime
from store import repository, unit_of_work
from store.audit import voucher_detail
from store.repository import REVIEW_EVENT, Store
from tools.mock_models import OFF_CHOICE, MockedModels

ROOT = Path(__file__).resolve().parent.parent
MONTH_START = date(2026, 10, 21)
DAYS = 30
MODEL = "openai/gpt-4o-mini"
D = Decimal

# vendor slug -> item keys it sells (the generator's catalog)
VENDOR_ITEMS = {
    "acme": "ACM-", "nordwind": "NWL-", "lumen": "LIT-", "kestrel": "KIP-", "harbor": "HPC-",
}
# kind -> weight (per 1000 invoices)
KINDS = {
    "clean": 560, "high_value": 30, "price_small": 45, "price_large": 15, "terms": 45,
    "charge": 40, "charge_price": 25, "over_received": 20, "receipt_pending": 30,
    "missing_po": 15, "non_po": 35, "duplicate": 15, "bank": 8, "tax_rate": 15,
    "unknown_vendor": 10, "blocked": 7, "resend_same_file": 12,
}
REVIEWERS = {"alice": "ap_clerk", "bob": "ap_clerk", "carol": "ap_manager",
             "dave": "controller"}


def load_generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("apx_sample_generator",
                                                  ROOT / "sample_data" / "generate.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


# -- the invoices ---------------------------------------------------------------------------------


class NoUniqueTotal(Exception):
    """Every variation of the draw has a total an earlier invoice of the vendor has."""


@dataclasses.dataclass
class Arrival:
    at: datetime
    index: int | None
    """Scenario index; None for a re-delivery of an earlier file (`again`)."""
    kind: str
    again: int | None = None


class Month:
    """Scenarios for the month, built with the generator's POs, receipts and scenarios."""

    def __init__(self, gen: ModuleType, rng: random.Random) -> None:
        self.gen, self.rng = gen, rng
        self.scenarios: list[Any] = []
        self.kinds: list[str] = []
        self.totals: set[tuple[str, Decimal]] = set()
        self.po_seq = 2000
        self.numbers: Counter[str] = Counter()

    def _items(self, vendor: str) -> list[str]:
        prefix = VENDOR_ITEMS[vendor]
        return [k for k in self.gen.ITEMS if k.startswith(prefix) and k != "HPC-BUB-24"]

    def _po(self, vendor: str, po_day: date, target: Decimal, *, received: date | None,
            receive: dict[int, int] | None = None) -> Any:
        keys = self.rng.sample(self._items(vendor), k=min(self.rng.randint(1, 4),
                                                          len(self._items(vendor))))
        share = target / len(keys)
        lines = [(k, max(1, int(share / self.gen.ITEMS[k].unit_price))) for k in keys]
        self.po_seq += 1
        return self.gen.po(f"PO-2026-{self.po_seq}", vendor, po_day.isoformat(), *lines,
                           received=received.isoformat() if received else None,
                           receive=receive)

    def _number(self, vendor: str) -> str:
        self.numbers[vendor] += 1
        prefix = {"acme": "INV-2", "nordwind": "RE-2026-1", "lumen": "LIT-2026-5",
                  "kestrel": "KIP-77", "harbor": "HPC-5", "brightline": "BCS-9",
                  "zephyr": "ZPG-2026-1", "oldmill": "OM/2026/1"}[vendor]
        return f"{prefix}{self.numbers[vendor]:04d}"

    def _unique(self, vendor: str, build: Callable[[int], Any]) -> Any:
        """A scenario whose total no earlier invoice of the vendor has (no accidental
        suspected duplicate); `build(bump)` adds `bump` units to the first line."""
        for bump in range(50):
            scenario = build(bump)
            key = (vendor, scenario.total)
            if key not in self.totals:
                self.totals.add(key)
                return scenario
        raise NoUniqueTotal(vendor)

    def add(self, kind: str, arrival: date) -> int:
        for _attempt in range(20):  # another draw when every total is taken
            try:
                return self._add(kind, arrival)
            except NoUniqueTotal:
                continue
        raise RuntimeError(f"could not make a {kind} invoice with a total of its own")

    def _add(self, kind: str, arrival: date) -> int:
        gen, rng = self.gen, self.rng
        issued = arrival - timedelta(days=rng.randint(1, 8))
        po_day = issued - timedelta(days=rng.randint(12, 40))
        got = po_day + timedelta(days=rng.randint(3, max(3, (issued - po_day).days - 1)))
        vendor = rng.choice(list(VENDOR_ITEMS))
        target = D(str(round(math.exp(rng.gauss(math.log(2400), 0.75)), 2)))
        target = min(max(target, D(150)), D(7600))
        extra: dict[str, Any] = {}
        picks: Callable[[Any], tuple[Any, ...]] | None = None
        intent = kind

        if kind == "high_value":
            target = D(rng.randint(10500, 38000))
        if kind in ("price_small", "price_large", "terms", "charge", "charge_price"):
            target = D(str(rng.choice([rng.randint(400, 4800), rng.randint(5200, 8000)])))
        if kind == "non_po":
            vendor = "brightline"
        elif kind == "unknown_vendor":
            vendor = "zephyr"
        elif kind == "blocked":
            vendor = "oldmill"
        elif kind == "bank":
            vendor = "lumen"
        elif kind == "missing_po":
            vendor = "acme"
        if kind == "duplicate" and self.scenarios:
            # layout B (Nordwind) prints neither stamps nor notes: its copy would be the
            # same bytes, which is one invoice delivered twice, not a duplicate invoice
            earlier = [s for s, k in zip(self.scenarios[-60:], self.kinds[-60:], strict=True)
                       if k == "clean" and self.gen.VENDORS[s.vendor].layout != "B"]
            if earlier:
                original = rng.choice(earlier)
                # a note changes the bytes in every layout (not every layout prints stamps)
                scenario = dataclasses.replace(original, intent="re-sent copy", stamp="COPY",
                                               notes=("Copy: re-sent at your request.",))
                return self._append(scenario, kind)
            kind = "clean"

        if vendor in VENDOR_ITEMS:
            receipt = None if kind == "receipt_pending" else got
            receive = None
            order = self._po(vendor, po_day, target, received=receipt, receive=receive)
            if kind == "over_received":
                short = order.lines[0]
                self.gen.RECEIPTS[:] = [r for r in self.gen.RECEIPTS
                                        if not (r.po_number == order.po_number
                                                and r.line_no == short.line_no)]
                self.gen.add_receipt(order.po_number, short.line_no,
                                     max(1, int(short.quantity) - rng.randint(1, 3)),
                                     got.isoformat())
            if kind in ("price_small", "price_large", "charge_price"):
                rise = D(rng.choice(["1.03", "1.04", "1.045", "1.05"])) \
                    if kind != "price_large" else D(rng.choice(["1.08", "1.10", "1.12"]))
                extra["price"] = {1: gen.cents(order.lines[0].item.unit_price * rise)}
            if kind == "terms":
                extra["terms"] = 7
            if kind == "tax_rate":
                extra["tax_rate"] = D(5) if order.lines[0].tax_rate != 5 else D(0)
            if kind == "bank":
                extra["iban"] = gen.ALT_LUMEN_IBAN
                extra["bank_name"] = "bunq B.V."
            charge = kind in ("charge", "charge_price")
            charge_line = gen.Line(None, rng.choice(["Freight charge", "Delivery surcharge",
                                                     "Handling fee"]), D(1),
                                   D(str(rng.choice([35, 45, 60, 85, 120]))))
            price = extra.pop("price", None)

            def picks(bump: int, order: Any = order, price: Any = price,
                      charge: bool = charge) -> tuple[Any, ...]:
                chosen = [(ln.line_no, int(ln.quantity)) for ln in order.lines]
                lines = list(gen.bill(order.po_number, *chosen, price=price))
                if bump:  # bill a little less of the largest line than was ordered
                    big = max(range(len(lines)), key=lambda i: lines[i].quantity)
                    if lines[big].quantity - bump < 1:
                        raise NoUniqueTotal
                    lines[big] = dataclasses.replace(lines[big],
                                                     quantity=lines[big].quantity - bump)
                if charge:
                    lines.append(charge_line)
                # within the PO's amount (else it is PO_OVERBILLED too): bill less of the
                # largest line, as a vendor billing a partial delivery would
                big = max(range(len(lines) - charge), key=lambda i: lines[i].amount)
                excess = sum(line.amount for line in lines) - order.net
                if excess > 0:
                    fewer = int(excess / lines[big].unit_price) + 1
                    if lines[big].quantity - fewer < 1:
                        raise NoUniqueTotal
                    lines[big] = dataclasses.replace(lines[big],
                                                     quantity=lines[big].quantity - fewer)
                return tuple(lines)

            po_number = order.po_number
            if kind == "missing_po":
                po_number = None
        else:
            po_number = None
            catalog_items = {
                "brightline": ["Office cleaning, weekly service (October 2026)",
                               "Window cleaning, interior and exterior",
                               "Carpet deep clean, per sq ft"],
                "zephyr": ["ZPG-MUG-11", "ZPG-PEN-MTL", "ZPG-TOTE-CT"],
                "oldmill": ["OMT-OAK-B50", "OMT-SPR-47", "OMT-PLY-18"],
            }[vendor]

            def picks(bump: int, keys: list[str] = catalog_items,
                      target: Decimal = target) -> tuple[Any, ...]:
                share = target / len(keys)
                return tuple(gen.items(*[(k, max(1, int(share / gen.ITEMS[k].unit_price)) + (
                    bump if i == 0 else 0)) for i, k in enumerate(keys)]))

            if vendor == "oldmill":  # a blocked vendor still quotes its own PO
                order = self._po_for_blocked(po_day, target, got)
                po_number = order.po_number

                def picks(bump: int, order: Any = order) -> tuple[Any, ...]:
                    chosen = [(ln.line_no, int(ln.quantity) - (bump if i == 0 else 0))
                              for i, ln in enumerate(order.lines)]
                    if chosen[0][1] < 1:
                        raise NoUniqueTotal
                    return tuple(gen.bill(order.po_number, *chosen))

        number = self._number(vendor)
        assert picks is not None

        def build(bump: int) -> Any:
            return gen.Scenario(vendor, number, issued, po_number, picks(bump), intent,
                                **extra)

        return self._append(self._unique(vendor, build), kind)

    def _po_for_blocked(self, po_day: date, target: Decimal, got: date) -> Any:
        keys = ["OMT-OAK-B50", "OMT-SPR-47", "OMT-PLY-18"]
        share = target / len(keys)
        lines = [(k, max(2, int(share / self.gen.ITEMS[k].unit_price))) for k in keys]
        self.po_seq += 1
        return self.gen.po(f"PO-2026-{self.po_seq}", "oldmill", po_day.isoformat(), *lines,
                           received=got.isoformat())

    def _append(self, scenario: Any, kind: str) -> int:
        self.scenarios.append(scenario)
        self.kinds.append(kind)
        return len(self.scenarios) - 1

    def finish(self) -> None:
        """Declare every scenario's patterns as the generator's rules derive them."""
        gen = self.gen
        setattr(gen, "SCENARIOS", tuple(self.scenarios))  # noqa: B010 (the generator's global)
        declared = []
        oracle = gen.Oracle(tuple(self.scenarios))
        for index, scenario in enumerate(self.scenarios):
            patterns = oracle.patterns[index]
            declared.append(dataclasses.replace(scenario, expect=tuple(patterns)))
        setattr(gen, "SCENARIOS", tuple(declared))  # noqa: B010
        self.scenarios = declared


def arrivals(rng: random.Random, count: int) -> list[datetime]:
    """`count` arrival times over the month: business hours, weekdays mostly."""
    days = [MONTH_START + timedelta(days=i) for i in range(DAYS)]
    weights = [1.0 if day.weekday() < 5 else 0.08 for day in days]
    chosen = rng.choices(days, weights=weights, k=count)
    times = []
    for day in chosen:
        minutes = rng.randint(7 * 60 + 30, 17 * 60 + 30)
        times.append(datetime.combine(day, time(), UTC) + timedelta(minutes=minutes))
    return sorted(times)


# -- the simulated clock and model ----------------------------------------------------------------


class Clock:
    """`store.repository.now` for the simulation: each stored step takes a moment."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.current = datetime.combine(MONTH_START, time(), UTC)

    def set(self, at: datetime) -> None:
        self.current = max(self.current, at)

    def now(self) -> datetime:
        self.current += timedelta(milliseconds=self.rng.randint(40, 900))
        return self.current


class TimedGateway:
    """Draws each answer's latency (mocked answers take no time) and lets the clock pass it."""

    def __init__(self, inner: ModelGateway, clock: Clock, rng: random.Random) -> None:
        self.inner, self.clock, self.rng = inner, clock, rng

    def complete_json(self, step: Step, prompt: str, schema: dict[str, Any], *,
                      prompt_version: str, cache_key: str, max_tokens: int = 256
                      ) -> ModelAnswer:
        latency = int(math.exp(self.rng.gauss(math.log(850), 0.45)))
        self.clock.current += timedelta(milliseconds=latency)
        answer = self.inner.complete_json(step, prompt, schema, prompt_version=prompt_version,
                                          cache_key=cache_key, max_tokens=max_tokens)
        return answer.model_copy(update={"latency_ms": latency})


def classifier_answer(schema: dict[str, Any], call: int) -> dict[str, Any]:
    choices = schema["properties"]["pattern"]["enum"]
    real = [c for c in choices if c != "UNKNOWN_PATTERN"]
    if call % 40 == 0:
        pattern = OFF_CHOICE
    elif "UNPLANNED_CHARGE" in real and len(real) >= 2:
        pattern = "UNKNOWN_PATTERN"  # a surcharge with another problem: no catalog entry fits
    else:
        pattern = real[0] if real else choices[0]
    return {"pattern": pattern, "explanation": "Drafted by the mocked model."}


# -- the reviewers -----------------------------------------------------------------------------


class Reviewers:
    def __init__(self, rt: Runtime, rng: random.Random) -> None:
        self.rt, self.rng = rt, rng

    def delay(self, role: str) -> timedelta:
        median = {"ap_clerk": 18.0, "ap_manager": 30.0, "controller": 44.0}[role]
        return timedelta(hours=math.exp(self.rng.gauss(math.log(median), 0.7)))

    def who(self, total: Decimal | None, policy_role: str | None) -> str:
        """The habit: above 5,000 the controller decides, whatever the policy says."""
        if total is not None and total > 5000 and policy_role in ("ap_clerk", None):
            return "dave"
        return {"ap_manager": "carol", "controller": "dave"}.get(
            policy_role or "", self.rng.choice(["alice", "bob"]))

    def verdict(self, invoice_id: str) -> tuple[str, dict[str, str], str]:
        """(decision, corrections, reason) for an invoice in review, by its findings."""
        findings = self.rt.store.findings(invoice_id)
        codes = {f.code for f in findings}
        rng = self.rng
        if codes & {"UNKNOWN_VENDOR", "VENDOR_BLOCKED", "TAX_RATE_UNEXPECTED"}:
            return "reject", {}, "vendor asked for a corrected invoice"
        if "BANK_DETAILS_CHANGED" in codes:
            return "hold", {}, "bank change not confirmed by call-back"
        if codes & {"QTY_OVER_RECEIVED", "MISSING_PO"}:
            return "hold", {}, "waiting for the receipt / the PO number"
        if "PRICE_VARIANCE" in codes:
            worst = max((D(f.evidence["invoice_unit_price"]) / D(f.evidence["po_unit_price"])
                         for f in findings if f.code == "PRICE_VARIANCE"), default=D(1))
            if worst > D("1.06"):
                return "reject", {}, "price increase not agreed"
        corrections: dict[str, str] = {}
        if rng.random() < 0.06:
            row = self.rt.store.invoice(invoice_id)
            if row is not None and row.invoice_number:
                corrections["invoice_number"] = row.invoice_number.replace("-", " ")
        return "approve", corrections, "checked"

    def decide(self, invoice_id: str, reviewer: str, *, decision: str, proposed: str,
               corrections: dict[str, str], reason: str, shadow: bool, minutes: float,
               final: bool) -> None:
        store = self.rt.store
        store.audit(invoice_id, REVIEW_EVENT, f"user:{reviewer}", {
            "reviewer": reviewer, "role": REVIEWERS[reviewer], "decision": decision,
            "proposed": proposed, "reason": reason, "corrections": corrections,
            "shadow": shadow, "minutes": f"{minutes:.1f}",
        })
        if shadow or not final:
            return
        if decision in ("approve", "reject"):
            row = store.invoice(invoice_id)
            made = Decision(
                outcome=Outcome(decision), reason=f"{decision} in review by {reviewer}: {reason}",
                policy_version=self.rt.policy.version, approver_role=REVIEWERS[reviewer],
                four_eyes=row.four_eyes if row else False)
            store.save_decision(invoice_id, made)
            store.audit(invoice_id, "decide", f"user:{reviewer}",
                        {**made.model_dump(mode="json"), "by": reviewer})
        if decision == "approve":
            posted = store.post_voucher(invoice_id)
            store.audit(invoice_id, "post", "erp", {
                "posted": posted, "voucher": voucher_detail(store.voucher(invoice_id))})


# -- the run ------------------------------------------------------------------------------------


def simulate(out: Path, count: int, seed: int) -> Path:
    rng = random.Random(seed)
    gen = load_generator()
    setattr(gen, "AS_OF", MONTH_START + timedelta(days=DAYS - 1))  # noqa: B010
    month = Month(gen, rng)
    times = arrivals(rng, count)
    kinds = rng.choices(list(KINDS), weights=list(KINDS.values()), k=count)
    plan: list[Arrival] = []
    for at, kind in zip(times, kinds, strict=True):
        if kind == "resend_same_file" and plan:
            previous = rng.choice([a for a in plan if a.index is not None][-30:])
            plan.append(Arrival(at, None, kind, again=previous.index))
            continue
        plan.append(Arrival(at, month.add(kind, at.date()), kind))
    month.finish()

    if out.exists():
        shutil.rmtree(out)
    data = out / "data"
    gen.write_set(data, gen.SCENARIOS, check=False)
    names = gen.file_names(gen.SCENARIOS)

    clock = Clock(rng)
    real_now = unit_of_work.now
    # the simulated clock for every stored step (restored below)
    repository.now = unit_of_work.now = clock.now  # type: ignore[attr-defined]
    url = f"sqlite:///{out / 'apx.db'}"
    store = Store.open(url)
    policy = load_policy(POLICY_FILE)
    from gateway.client import LiteLLMGateway
    from gateway.config import GatewaySettings

    mocked = MockedModels({MODEL: classifier_answer})
    settings = GatewaySettings(classification_model=MODEL, extraction_model=MODEL,
                               allowed_providers=["openai"], retries=0,
                               budget_usd=D("100"))
    base = Runtime(spec=RunSpec(erp_dir=str(data / "erp"), database_url=url,
                                documents_dir=str(out / "documents"),
                                policy_file=str(POLICY_FILE), as_of=MONTH_START),
                   store=store, master=load_master_data(data / "erp"), policy=policy,
                   catalog=load_catalog(), gateway=None,
                   instruction_phrases=load_instruction_phrases())
    gateway = TimedGateway(LiteLLMGateway(settings, completion=None), clock, rng)
    reviewers = Reviewers(base, rng)
    end = datetime.combine(MONTH_START + timedelta(days=DAYS), time(), UTC)
    shadow_until = datetime.combine(MONTH_START + timedelta(days=7), time(), UTC)

    queue: list[tuple[datetime, int, str, dict[str, Any]]] = []
    for n, arrival in enumerate(plan):
        queue.append((arrival.at, n, "arrive", {"arrival": arrival}))
    heapq.heapify(queue)
    seq = len(queue)
    outcomes: Counter[str] = Counter()
    try:
        with mocked.installed():
            while queue:
                at, _, what, payload = heapq.heappop(queue)
                if at >= end:
                    continue  # after the month: still waiting when the report is made
                clock.set(at)
                if what == "arrive":
                    arrival = payload["arrival"]
                    index = arrival.index if arrival.index is not None else arrival.again
                    path = data / "invoices" / names[index]
                    spec = base.spec.model_copy(update={"as_of": at.date()})
                    rt = dataclasses.replace(base, spec=spec, gateway=gateway)
                    result = process_file(rt, path)
                    outcomes[result.decision or result.status] += 1
                    if result.duplicate_delivery:
                        continue
                    row = store.invoice(result.invoice_id)
                    assert row is not None
                    if row.decision == "review":
                        first = reviewers.who(row.total, row.approver_role)
                        decision, corrections, reason = reviewers.verdict(row.id)
                        reviewers_needed = [first]
                        if row.four_eyes:
                            reviewers_needed.append("carol" if first != "carol" else "dave")
                        when = clock.current
                        for i, person in enumerate(reviewers_needed):
                            when += reviewers.delay(REVIEWERS[person])
                            seq += 1
                            heapq.heappush(queue, (when, seq, "review", {
                                "invoice": row.id, "reviewer": person, "decision": decision,
                                "corrections": corrections if i == 0 else {}, "reason": reason,
                                "final": i == len(reviewers_needed) - 1, "shadow": False,
                                "proposed": "review"}))
                    elif at < shadow_until and row.decision in ("approve", "hold", "reject"):
                        # shadow mode: a second opinion on what APX decided alone
                        disagree = row.decision == "approve" and rng.random() < 0.05
                        seq += 1
                        heapq.heappush(queue, (clock.current + reviewers.delay("ap_clerk"), seq,
                                               "review", {
                            "invoice": row.id, "reviewer": rng.choice(["alice", "bob"]),
                            "decision": "hold" if disagree else row.decision,
                            "corrections": {}, "final": False, "shadow": True,
                            "proposed": row.decision,
                            "reason": "requester has not confirmed the service" if disagree
                            else "agrees"}))
                else:
                    minutes = math.exp(rng.gauss(math.log(
                        14 if payload["decision"] == "hold" else 6), 0.5))
                    if payload["shadow"]:
                        minutes = math.exp(rng.gauss(math.log(2.5), 0.4))
                    reviewers.decide(payload["invoice"], payload["reviewer"],
                                     decision=payload["decision"], proposed=payload["proposed"],
                                     corrections=payload["corrections"], reason=payload["reason"],
                                     shadow=payload["shadow"], minutes=minutes,
                                     final=payload["final"])
    finally:
        repository.now = unit_of_work.now = real_now  # type: ignore[attr-defined]
    print(f"simulated {len(plan)} arrivals ({len(month.scenarios)} distinct invoices) from "
          f"{MONTH_START} for {DAYS} days into {url}: {dict(outcomes)}; "
          f"mocked model calls {mocked.calls}; audit chain "
          f"{'intact' if store.verify_audit().ok else 'BROKEN'}")
    return out / "apx.db"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=Path(".apx/sim"))
    parser.add_argument("--invoices", type=int, default=320)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    simulate(args.out, args.invoices, args.seed)


if __name__ == "__main__":
    main()
