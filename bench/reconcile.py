"""Benchmark of payment reconciliation against the generator's true allocations.

Data: ``creditkit.datasets.make_portfolio(kind="mixed", truth=True)`` sized for
about ``--payments`` payments (bank transfer, card, Alipay, WeChat Pay,
auto-debit, cash, plus credit notes and write-offs). ``truth=True`` returns
the bill each payment really paid, so every auto-applied allocation can be
checked.

Measured in the same run, at as_of = the portfolio's last day:

1. ``creditkit.collections.reconcile`` (payer, references with truncation and
   typos, amounts, combinations, tolerance);
2. the baseline: exact references only (the payment's own ``bill_id`` /
   ``invoice_id``, else a bill or invoice id written exactly in the
   reference), allocated by the ledger engine's explicit rule
   (``creditkit.aging.allocate_payments(mode="explicit")``).

Per channel: precision of the auto-applied amount (the part the truth
confirms, for the same payment and bill, over the amount applied) and share
of the amount paid that was applied; run time and RSS growth of each method,
and the process's peak RSS.

Goals (issue 11): precision ≥ 0.995 and share applied ≥ 0.95 per channel;
1,000,000 payments against 10,000,000 bills in under 60 s and 8 GiB.

    .venv/bin/python bench/reconcile.py --payments 20000
"""

from __future__ import annotations

import argparse
import gc
import resource
import time

import numpy as np
import pandas as pd
from peak import Peak  # bench/peak.py, beside this script

from creditkit.aging import allocate_payments
from creditkit.collections import reconcile, reference_tokens
from creditkit.collections.references import id_keys
from creditkit.datasets import make_portfolio

END = "2025-12-31"
PAYMENTS_PER_CUSTOMER = 7.5  # what make_portfolio(kind="mixed") yields over two years
GOAL_PRECISION, GOAL_SHARE = 0.995, 0.95


def timed(f, *args, **kw):
    gc.collect()
    with Peak() as pk:
        t = time.perf_counter()
        out = f(*args, **kw)
        dt = time.perf_counter() - t
    return dt, out, pk.grow


def exact_baseline(book: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Exact references only, allocated by the ledger's explicit rule."""
    pays, bills = book["payments"].copy(), book["bills"]
    tok = reference_tokens(pays["reference"])
    bill_key = pd.Series(bills["bill_id"].to_numpy(), index=id_keys(bills["bill_id"]).to_numpy())
    inv_key = pd.Series(bills["invoice_id"].to_numpy(),
                        index=id_keys(bills["invoice_id"]).to_numpy())
    inv_key = inv_key[~inv_key.index.duplicated()]
    b = tok[tok["key"].isin(bill_key.index)].drop_duplicates("row")
    i = tok[tok["key"].isin(inv_key.index)].drop_duplicates("row")
    ref_bill = pd.Series(pd.NA, index=pays.index, dtype=object)
    ref_bill.iloc[b["row"].to_numpy()] = bill_key.reindex(b["key"]).to_numpy()
    ref_inv = pd.Series(pd.NA, index=pays.index, dtype=object)
    ref_inv.iloc[i["row"].to_numpy()] = inv_key.reindex(i["key"]).to_numpy()
    named = pays["bill_id"].notna() | pays["invoice_id"].notna()
    pays["bill_id"] = pays["bill_id"].astype(object).where(named, ref_bill)
    pays["invoice_id"] = pays["invoice_id"].astype(object).where(named, ref_inv)
    alloc, _ = allocate_payments(bills, pays, as_of=END, mode="explicit")
    return alloc


def scores(alloc: pd.DataFrame, book: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Per channel: amount paid, applied, confirmed by the truth; precision and share."""
    pays, truth = book["payments"], book["allocations"]
    channel = pays["channel"].astype(object).where(pays["channel"].notna(),
                                                   pays["kind"].astype(object))
    ch = pd.Series(channel.to_numpy(), index=pays["payment_id"].to_numpy())
    m = alloc[["payment_id", "bill_id", "amount_minor"]].merge(
        truth[["payment_id", "bill_id", "amount_minor"]], on=["payment_id", "bill_id"],
        how="left", suffixes=("", "_truth"))
    m["correct"] = np.minimum(m["amount_minor"], m["amount_minor_truth"].fillna(0)).astype(
        np.int64)
    m["channel"] = ch.reindex(m["payment_id"]).to_numpy()
    out = pd.DataFrame({"paid": pays.groupby(channel.to_numpy())["amount_minor"].sum()})
    g = m.groupby("channel")
    out["applied"] = g["amount_minor"].sum().reindex(out.index).fillna(0)
    out["correct"] = g["correct"].sum().reindex(out.index).fillna(0)
    out["precision"] = out["correct"] / out["applied"].where(out["applied"] > 0)
    out["share"] = out["applied"] / out["paid"]
    total = out[["paid", "applied", "correct"]].sum()
    out.loc["ALL"] = [*total, total["correct"] / total["applied"], total["applied"] / total["paid"]]
    return out


def run(n_payments: int, seed: int) -> None:
    n_customers = max(50, int(n_payments / PAYMENTS_PER_CUSTOMER))
    t = time.perf_counter()
    book = make_portfolio(n_customers, seed=seed, kind="mixed", end=END, truth=True)
    print(f"generated {n_customers:,} customers: {len(book['payments']):,} payments, "
          f"{len(book['bills']):,} bills in {time.perf_counter() - t:.1f} s")
    dt_ck, rec, mem_ck = timed(reconcile, book["payments"], book["bills"], book["customers"],
                               as_of=END)
    dt_base, base, mem_base = timed(exact_baseline, book)
    bad = rec.invariants()
    print(f"invariants: {'all pass' if bad['ok'].all() else bad[~bad['ok']].to_dict('records')}")
    a, b = scores(rec.allocations, book), scores(base, book)
    table = pd.DataFrame({
        "paid_CNY": (a["paid"] / 100).round(0).astype(np.int64),
        "precision": a["precision"].round(4), "share_applied": a["share"].round(4),
        "exact_ref_precision": b["precision"].round(4), "exact_ref_share": b["share"].round(4),
    })
    pd.set_option("display.width", 160)
    print(table.to_string())
    per = a.drop(index="ALL")
    ok = (per["precision"] >= GOAL_PRECISION) & (per["share"] >= GOAL_SHARE)
    print(f"goal precision >= {GOAL_PRECISION} and share >= {GOAL_SHARE} per channel: "
          f"{'met' if ok.all() else 'NOT met for ' + ', '.join(per.index[~ok])}")
    print(f"exceptions: {len(rec.exceptions):,} rows; reasons "
          f"{rec.exceptions['reason'].value_counts().to_dict()}")
    print(f"candidate pairs: {rec.stats}")
    print(f"time: reconcile {dt_ck:.2f} s, exact-reference baseline {dt_base:.2f} s "
          f"(ratio {dt_ck / dt_base:.1f}x); RSS growth: reconcile {mem_ck:.2f} GiB, "
          f"baseline {mem_base:.2f} GiB; process peak "
          f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20:.2f} GiB")
    print("goal at full size (1,000,000 payments vs 10,000,000 bills): < 60 s, < 8 GiB")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--payments", type=int, default=20_000, help="about this many payments")
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    run(args.payments, args.seed)


if __name__ == "__main__":
    main()
