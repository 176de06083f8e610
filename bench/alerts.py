"""Benchmark of early-warning rules (#9 items 5-6): do they warn, how early, and how fast.

Data: ``creditkit.datasets.make_portfolio(N, kind="mixed", truth=True)``, two
years (2024-01-01 to 2025-12-31), payers the generator leaves unidentified
filled from its true allocations (``creditkit.behaviour.reconciled_payments``:
otherwise a customer whose payment nobody identified looks past due).

1. **Backtest** (``backtest_alerts``, month ends 2024-09 … 2025-09, outcome
   30+ dpd or a write-off within 90 days) of the shipped default rules, beside
   two naive baselines measured in the same run on the same customers, dates
   and events (``AlertBacktest.with_rules``):

   - ``dpd >= 1``: any amount past due;
   - ``score cut-off``: the tier rules' cut-offs (B card pd >= 0.10; C card,
     past due, pd >= 0.50).

   Printed for the whole default set, for its ``high`` and ``critical`` rules
   alone, and per rule: precision, recall (events warned of), median lead time
   (quartiles), alerts per 1,000 customers. Goal (issue #9): the default set
   beats ``dpd >= 1`` on median lead time at no worse precision. The rules were
   tuned on ``--seed`` (11) and are checked on ``--check-seed`` (23).
2. **Speed** (``--timing N``, default 1,000,000, in a fresh process so its
   peak RSS is its own): ``evaluate_alerts`` (first run, then the next month's
   run with the state) and ``assign_tiers`` on N customers' features, built by
   drawing rows of a 20,000-customer book's features (new ids); goal: under
   30 s together. Building the features themselves (``alert_features``) is
   timed on the 20,000 customers and printed beside.

    .venv/bin/python bench/alerts.py --customers 3000 --timing 0      # backtest only
    .venv/bin/python bench/alerts.py --customers 3000                 # + 1,000,000 timing

Measured 2026-12-07 on the shared 2-core machine: see docs/architecture.md
(section "Early warning") for the figures and the load at the time.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import resource
import subprocess
import sys
import time
import warnings

import numpy as np
import pandas as pd

START, END = "2024-01-01", "2025-12-31"
DATES = [str(d.date()) for d in pd.date_range("2024-09-30", "2025-09-30", freq="ME")]


def _rule(rid: str, when: list, zh: str, en: str) -> dict:
    return {"id": rid, "when": when, "severity": "high", "description_zh": zh,
            "description_en": en, "action_zh": "基准", "action_en": "baseline"}


#: The baselines: any amount past due; the score below the tier rules' cut-offs.
BASELINES = {
    "dpd >= 1": [_rule("dpd_1", [["dpd", ">=", 1]], "逾期1天及以上", "1 day or more past due")],
    "score cut-off": [
        _rule("b_card", [["scorecard", "==", "B"], ["pd", ">=", 0.10]], "B卡违约概率10%及以上",
              "B card pd 10% or more"),
        _rule("c_card", [["scorecard", "==", "C"], ["pd", ">=", 0.50]], "C卡违约概率50%及以上",
              "C card pd 50% or more")],
}


def _book(n: int, seed: int) -> dict[str, pd.DataFrame]:
    from creditkit.behaviour import reconciled_payments
    from creditkit.datasets import make_portfolio

    return reconciled_payments(make_portfolio(n, seed=seed, kind="mixed", start=START, end=END,
                                              truth=True))


def _fmt(row: pd.Series) -> str:
    lead = row["lead_days_median"]
    lead_txt = "—" if pd.isna(lead) else (f"{lead:5.1f} ({row['lead_days_q1']:.0f}–"
                                          f"{row['lead_days_q3']:.0f})")
    prec = "—" if pd.isna(row["precision"]) else f"{row['precision']:.3f}"
    return (f"precision {prec:>6}  recall {row['recall']:.3f}  lead {lead_txt:>15}  "
            f"alerts/1000 {row['alerts_per_1000']:6.1f}  (alerts {int(row['n_alerts'])}, "
            f"events {int(row['n_events'])})")


def backtest(n: int, seed: int) -> dict:
    from creditkit.alerts import backtest_alerts, load_alert_rules, severity_rank

    t0 = time.perf_counter()
    book = _book(n, seed)
    t1 = time.perf_counter()
    bt = backtest_alerts(book, dates=DATES)
    t2 = time.perf_counter()
    rs = load_alert_rules()
    urgent = dataclasses.replace(rs, rules=tuple(
        r for r in rs.rules if severity_rank(r.outputs["severity"]) >= severity_rank("high")))
    sets = {"default rules (all)": bt.table.iloc[-1],
            "default rules (high, critical)": bt.with_rules(urgent).table.iloc[-1]}
    for name, rules in BASELINES.items():
        sets[name] = bt.with_rules(rules).table.iloc[-1]
    print(f"\n== seed {seed}: {n:,} customers, {len(DATES)} month ends, "
          f"{int(bt.table['population'].iloc[0]):,} customer-dates; generate "
          f"{t1 - t0:.1f} s, backtest {t2 - t1:.1f} s")
    for name, row in sets.items():
        print(f"  {name:32s} {_fmt(row)}")
    print("  per rule:")
    for _, row in bt.table.iloc[:-1].iterrows():
        print(f"    {row['rule_id']:22s} {row['severity']:9s} {_fmt(row)}")
    d, base = sets["default rules (all)"], sets["dpd >= 1"]
    lead_ok = bool(d["lead_days_median"] > base["lead_days_median"])
    prec_ok = bool(d["precision"] >= base["precision"])
    u = sets["default rules (high, critical)"]
    print(f"  goal (default set vs dpd >= 1): lead {d['lead_days_median']:.1f} vs "
          f"{base['lead_days_median']:.1f} {'ok' if lead_ok else 'NOT MET'}; precision "
          f"{d['precision']:.3f} vs {base['precision']:.3f} {'ok' if prec_ok else 'NOT MET'}")
    print(f"  high+critical alone vs dpd >= 1: lead {u['lead_days_median']:.1f} vs "
          f"{base['lead_days_median']:.1f}; precision {u['precision']:.3f} vs "
          f"{base['precision']:.3f}")
    return {"seed": seed, "lead_ok": lead_ok, "precision_ok": prec_ok}


def timing_stage(n: int) -> None:
    """Run in a fresh process: evaluate_alerts twice and assign_tiers on n customers."""
    from creditkit.alerts import alert_features, evaluate_alerts
    from creditkit.segmentation import assign_tiers

    warnings.simplefilter("ignore")
    book = _book(20000, 5)
    t0 = time.perf_counter()
    small = alert_features(book, as_of="2025-11-30")
    t_feat = time.perf_counter() - t0
    rng = np.random.default_rng(0)
    big = small.iloc[rng.integers(0, len(small), n)].reset_index(drop=True)
    big["customer_id"] = pd.array([f"X{i:08d}" for i in range(n)], dtype=object)
    nxt = big.copy()
    nxt["dpd"] = np.where(rng.random(n) < 0.3, nxt["dpd"] + 30, nxt["dpd"])
    t1 = time.perf_counter()
    run = evaluate_alerts(None, as_of="2025-11-30", features=big)
    t2 = time.perf_counter()
    run2 = evaluate_alerts(None, as_of="2025-12-31", features=nxt, state=run.state)
    t3 = time.perf_counter()
    tiers = assign_tiers(big)
    t4 = time.perf_counter()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"n": n, "features_20000_s": t_feat, "evaluate_s": t2 - t1,
                      "evaluate_with_state_s": t3 - t2, "assign_tiers_s": t4 - t3,
                      "alerts": len(run.alerts), "alerts_second_run": len(run2.alerts),
                      "closed_second_run": len(run2.closed), "tiers": len(tiers),
                      "peak_rss_mib": peak}))


def timing(n: int) -> None:
    out = subprocess.run([sys.executable, __file__, "--stage-timing", str(n)], check=True,
                         capture_output=True, text=True)
    r = json.loads(out.stdout.strip().splitlines()[-1])
    total = r["evaluate_s"] + r["assign_tiers_s"]
    print(f"\n== speed on {n:,} customers (features drawn from a 20,000-customer book)")
    print(f"  evaluate_alerts            {r['evaluate_s']:6.1f} s  ({r['alerts']:,} alerts)")
    print(f"  evaluate_alerts with state {r['evaluate_with_state_s']:6.1f} s  "
          f"({r['alerts_second_run']:,} new, {r['closed_second_run']:,} closed)")
    print(f"  assign_tiers               {r['assign_tiers_s']:6.1f} s")
    print(f"  evaluate + tiers           {total:6.1f} s  goal < 30 s: "
          f"{'ok' if total < 30 else 'NOT MET'}; peak RSS {r['peak_rss_mib']:,.0f} MiB")
    print(f"  alert_features on 20,000 customers (beside): {r['features_20000_s']:.1f} s")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--customers", type=int, default=3000)
    ap.add_argument("--seed", type=int, default=11)
    ap.add_argument("--check-seed", type=int, default=23)
    ap.add_argument("--timing", type=int, default=1_000_000, help="0 skips the speed stage")
    ap.add_argument("--stage-timing", type=int, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.stage_timing:
        timing_stage(args.stage_timing)
        return 0
    warnings.simplefilter("ignore")
    with open("/proc/loadavg") as fh:
        print(f"load average at start: {' '.join(fh.read().split()[:3])}")
    for seed in (args.seed, args.check_seed):
        backtest(args.customers, seed)
    if args.timing:
        timing(args.timing)
    return 0


if __name__ == "__main__":
    sys.exit(main())
