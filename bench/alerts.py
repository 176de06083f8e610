"""Benchmark of early-warning rules (#9 items 5-6): do they warn, how early, and how fast.

Data: ``creditkit.datasets.make_portfolio(N, kind="mixed", truth=True, signals=True)``
(with its auto-debit attempts and promises to pay), two
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

   ``--study`` also searches sets of one or two candidate rules (thresholds
   on dpd, pd, failed debits, broken promises, late streaks, utilisation,
   spending, score drop; ``CANDIDATES``) on ``--seed`` for those that warn
   earlier than ``dpd >= 1`` at no worse precision, and prints how the best
   of them do on ``--check-seed`` (no tuning there).
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
                                              truth=True, signals=True))


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

    t0, c0 = time.perf_counter(), time.process_time()
    book = _book(n, seed)
    t1, c1 = time.perf_counter(), time.process_time()
    bt = backtest_alerts(book, dates=DATES)
    t2, c2 = time.perf_counter(), time.process_time()
    rs = load_alert_rules()
    urgent = dataclasses.replace(rs, rules=tuple(
        r for r in rs.rules if severity_rank(r.outputs["severity"]) >= severity_rank("high")))
    sets = {"default rules (all)": bt.table.iloc[-1],
            "default rules (high, critical)": bt.with_rules(urgent).table.iloc[-1]}
    for name, rules in BASELINES.items():
        sets[name] = bt.with_rules(rules).table.iloc[-1]
    print(f"\n== seed {seed}: {n:,} customers, {len(DATES)} month ends, "
          f"{int(bt.table['population'].iloc[0]):,} customer-dates; generate "
          f"{t1 - t0:.1f} s ({c1 - c0:.1f} CPU s), backtest {t2 - t1:.1f} s ({c2 - c1:.1f} CPU s)")
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
    return {"seed": seed, "lead_ok": lead_ok, "precision_ok": prec_ok, "backtest": bt}


def _candidates() -> dict[str, list]:
    """Single rules for the study: thresholds on every signal, alone or with a pd floor."""
    out: dict[str, list] = {}
    for k in (1, 3, 5, 15):
        out[f"dpd>={k}"] = [["dpd", ">=", k]]
        for p in (0.1, 0.2, 0.3):
            out[f"dpd>={k}&pd>={p}"] = [["dpd", ">=", k], ["pd", ">=", p]]
    for p in (0, 0.1, 0.2, 0.3):
        for k in (1, 2):
            out[f"failed_debits>={k}&pd>={p}"] = [["failed_debits_30d", ">=", k], ["pd", ">=", p]]
        out[f"failed_debits>=1&dpd==0&pd>={p}"] = [["failed_debits_30d", ">=", 1],
                                                   ["dpd", "==", 0], ["pd", ">=", p]]
        out[f"broken_promises>=1&pd>={p}"] = [["broken_promises", ">=", 1], ["pd", ">=", p]]
        out[f"broken_promises>=1&dpd>=1&pd>={p}"] = [["broken_promises", ">=", 1],
                                                     ["dpd", ">=", 1], ["pd", ">=", p]]
        out[f"failed_debits>=1&utilisation_jump>=0.2&pd>={p}"] = [
            ["failed_debits_30d", ">=", 1], ["utilisation_change_1m", ">=", 0.2], ["pd", ">=", p]]
        out[f"utilisation_jump>=0.3&late_streak>=1&pd>={p}"] = [
            ["utilisation_change_1m", ">=", 0.3], ["late_streak", ">=", 1], ["pd", ">=", p]]
        for k in (1, 2, 3):
            out[f"late_streak>={k}&pd>={p}"] = [["late_streak", ">=", k], ["pd", ">=", p]]
        for u in (0.9, 1.0):
            out[f"utilisation>={u}&pd>={p}"] = [["utilisation", ">=", u], ["pd", ">=", p]]
        for j in (0.2, 0.3, 0.5):
            out[f"utilisation_jump>={j}&pd>={p}"] = [["utilisation_change_1m", ">=", j],
                                                     ["pd", ">=", p]]
        for r in (2, 3, 5):
            out[f"spend_ratio>={r}&pd>={p}"] = [["spend_ratio_1m", ">=", r],
                                                ["spend_1m_minor", ">=", 100000], ["pd", ">=", p]]
    for p in (0.2, 0.3, 0.4, 0.5):
        out[f"B_card_pd>={p}"] = [["scorecard", "==", "B"], ["pd", ">=", p]]
    for k in (1, 5, 30):
        out[f"worst_dpd_3m>={k}&dpd==0&pd>=0.2"] = [["worst_dpd_3m", ">=", k], ["dpd", "==", 0],
                                                    ["pd", ">=", 0.2]]
    for dp in (20, 30, 50):
        out[f"score_drop>={dp}"] = [["score_drop", ">=", dp]]
    return out


def _masks(bt, rules: dict[str, list]):
    """Per candidate, which (customer, date) it alerts; with the events' codes and leads."""
    b = bt.with_rules([_rule(f"r{i}", w, "c", "c") for i, w in enumerate(rules.values())])
    pairs = b.pairs
    mask = pairs[[f"r{i}" for i in range(len(rules))]].to_numpy()
    event = pairs["event_day"].to_numpy("M8[ns]")
    pos = ~np.isnat(event)
    lead = np.where(pos, (event - pairs["as_of"].to_numpy("M8[ns]")).astype("m8[D]")
                    .astype(np.int64), -1)
    key = (pairs["customer_id"].astype(str) + "|" + pairs["event_day"].astype(str)).to_numpy()
    codes = np.full(len(pairs), -1)
    codes[pos] = pd.factorize(key[pos])[0]
    return mask, pos, lead, codes, int(codes.max(initial=-1) + 1)


def _score(m: np.ndarray, pos, lead, codes, n_events) -> tuple[float, float, float, int]:
    """precision, recall, median lead (earliest warning per event), alerts."""
    alerts = int(m.sum())
    hit = m & pos
    best = np.full(n_events, -1)
    np.maximum.at(best, codes[hit], lead[hit])
    caught = best[best >= 0]
    return (hit.sum() / alerts if alerts else np.nan, len(caught) / max(n_events, 1),
            float(np.median(caught)) if len(caught) else np.nan, alerts)


def study(tune, check) -> None:
    """Sets of one or two candidates beating dpd >= 1 on the tuning seed; checked on the other."""
    rules = _candidates()
    names = list(rules)
    tm, *tx = _masks(tune, rules)
    cm, *cx = _masks(check, rules)
    base = {"tune": _score(tm[:, names.index("dpd>=1")], *tx),
            "check": _score(cm[:, names.index("dpd>=1")], *cx)}
    found = []
    for i in range(len(names)):
        for j in range(i, len(names)):
            s = _score(tm[:, i] | tm[:, j], *tx)
            if s[0] >= base["tune"][0] and s[2] > base["tune"][2]:
                found.append((s, i, j))
    found.sort(key=lambda r: (-r[0][2], -r[0][1]))
    print(f"\n== study: {len(names)} candidate rules, {len(names) * (len(names) + 1) // 2:,} "
          f"sets of one or two; {len(found)} beat dpd >= 1 on the tuning seed")

    def line(s, b):
        return (f"precision {s[0]:.3f} (dpd>=1 {b[0]:.3f})  recall {s[1]:.3f}  lead "
                f"{s[2]:5.1f} (dpd>=1 {b[2]:.1f})  alerts {s[3]}")

    kept = 0
    for s, i, j in found[:12]:
        c = _score(cm[:, i] | cm[:, j], *cx)
        ok = c[0] >= base["check"][0] and c[2] > base["check"][2]
        kept += ok
        print(f"  {names[i]}{'' if i == j else ' OR ' + names[j]}")
        print(f"    tuning seed:   {line(s, base['tune'])}")
        print(f"    checking seed: {line(c, base['check'])}  {'holds' if ok else 'does NOT hold'}")
    print(f"  of the best {min(12, len(found))}, {kept} also beat dpd >= 1 on the checking seed")


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
    t1, c1 = time.perf_counter(), time.process_time()
    run = evaluate_alerts(None, as_of="2025-11-30", features=big)
    t2, c2 = time.perf_counter(), time.process_time()
    run2 = evaluate_alerts(None, as_of="2025-12-31", features=nxt, state=run.state)
    t3, c3 = time.perf_counter(), time.process_time()
    tiers = assign_tiers(big)
    t4, c4 = time.perf_counter(), time.process_time()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"n": n, "features_20000_s": t_feat, "evaluate_s": t2 - t1,
                      "evaluate_cpu_s": c2 - c1, "assign_tiers_cpu_s": c4 - c3,
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
    print(f"  CPU s: evaluate_alerts {r['evaluate_cpu_s']:.1f}, assign_tiers "
          f"{r['assign_tiers_cpu_s']:.1f}")
    print(f"  evaluate + tiers           {total:6.1f} s  goal < 30 s: "
          f"{'ok' if total < 30 else 'NOT MET'}; peak RSS {r['peak_rss_mib']:,.0f} MiB")
    print(f"  alert_features on 20,000 customers (beside): {r['features_20000_s']:.1f} s")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--customers", type=int, default=3000)
    ap.add_argument("--seed", type=int, default=11)
    ap.add_argument("--check-seed", type=int, default=23)
    ap.add_argument("--timing", type=int, default=1_000_000, help="0 skips the speed stage")
    ap.add_argument("--study", action="store_true", help="search candidate rule sets")
    ap.add_argument("--stage-timing", type=int, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.stage_timing:
        timing_stage(args.stage_timing)
        return 0
    warnings.simplefilter("ignore")
    with open("/proc/loadavg") as fh:
        print(f"load average at start: {' '.join(fh.read().split()[:3])}")
    runs = [backtest(args.customers, seed) for seed in (args.seed, args.check_seed)]
    if args.study:
        study(runs[0]["backtest"], runs[1]["backtest"])
    if args.timing:
        timing(args.timing)
    with open("/proc/loadavg") as fh:
        print(f"load average at end: {' '.join(fh.read().split()[:3])}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
