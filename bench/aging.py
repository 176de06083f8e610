"""Benchmark of receivables aging against hand-written references in the same run.

Data: ``creditkit.datasets.make_portfolio`` (kind "mixed") with enough customers
for about N bills (cached as Parquet under the system temp folder). Payments
name bills (auto-debits, remittances), invoices, or nothing, so the whole rule
runs: named bills, named invoices oldest due first, then FIFO.

Measured at as_of = the portfolio's last day:

1. one as-of aging, customer × bucket table (outstanding, unapplied, buckets
   current … 120+): ``creditkit.aging.customer_aging`` against
   - ``pandas``: a straightforward vectorised pandas version (merge, groupby cumsum),
   - ``duckdb``: the same rule as one SQL query (window sums),
   - ``polars``: the same rule with polars window expressions (lazy),
   each checked to give identical results to creditkit (exact integers);
2. aging at 12 month ends plus the roll-rate matrix (``aging_at_dates`` +
   ``roll_rates`` + ``roll_rate_matrix``), as a ratio to one as-of aging; with
   ``--per-date-reference`` also the pandas reference re-run at each month end.

Targets (issue #5): creditkit ≤ 1.5× the fastest reference (goal: faster than
all); history ≤ 3× one as-of aging. Peak RSS of the process is printed, and
the RSS growth of each step (sampled every 10 ms).

    .venv/bin/python bench/aging.py --sizes 100000
    .venv/bin/python bench/aging.py --sizes 1000000 10000000
"""

from __future__ import annotations

import argparse
import gc
import resource
import tempfile
import time
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import polars as pl
from peak import Peak  # bench/peak.py, beside this script

from creditkit.aging import (
    aging_at_dates,
    customer_aging,
    month_ends,
    roll_rate_matrix,
    roll_rates,
)

EDGES = (0, 30, 60, 90, 120)
LABELS = ["current", "1-30", "31-60", "61-90", "91-120", "120+"]
BCOLS = ["bill_id", "invoice_id", "customer_id", "currency", "issue_date", "due_date",
         "amount_minor"]
PCOLS = ["payment_id", "customer_id", "currency", "paid_date", "amount_minor", "bill_id",
         "invoice_id"]
BILLS_PER_CUSTOMER = 9.4  # what make_portfolio(kind="mixed") yields
END = "2025-12-31"


# --- data ---------------------------------------------------------------------------------
def load(n_bills: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    folder = Path(tempfile.gettempdir()) / "creditkit-bench-aging"
    folder.mkdir(exist_ok=True)
    n_cust = max(int(n_bills / BILLS_PER_CUSTOMER), 10)
    fb, fp = folder / f"bills-{n_cust}.parquet", folder / f"payments-{n_cust}.parquet"
    if not fb.exists():
        from creditkit.datasets import make_portfolio

        t = time.perf_counter()
        p = make_portfolio(n_cust, seed=5, kind="mixed", start="2024-01-01", end=END)
        p["bills"][BCOLS].to_parquet(fb)
        p["payments"][[*PCOLS, "kind"]].to_parquet(fp)
        print(f"  generated {n_cust:,} customers in {time.perf_counter() - t:.1f}s")
        del p
        gc.collect()
    return pd.read_parquet(fb), pd.read_parquet(fp)


# --- references -----------------------------------------------------------------------------
def ref_pandas(bills: pd.DataFrame, pays: pd.DataFrame, as_of: pd.Timestamp) -> pd.DataFrame:
    b = bills.loc[bills["issue_date"] <= as_of, BCOLS]
    p = pays.loc[pays["paid_date"] <= as_of, PCOLS]
    bk = b[["bill_id", "customer_id", "currency", "amount_minor"]].rename(
        columns={"customer_id": "b_cust", "currency": "b_cur", "amount_minor": "b_amt"})
    p = p.merge(bk, on="bill_id", how="left")
    p["customer_id"] = p["customer_id"].fillna(p["b_cust"])
    hit = (p["b_cust"].notna() & (p["b_cust"] == p["customer_id"])
           & (p["b_cur"] == p["currency"])).fillna(False).astype(bool)
    # named bills, payments taking turns by (paid_date, payment_id)
    m = p[hit].sort_values(["bill_id", "paid_date", "payment_id"])
    before = m.groupby("bill_id", sort=False)["amount_minor"].cumsum() - m["amount_minor"]
    alloc = np.minimum(np.maximum(m["b_amt"] - before, 0), m["amount_minor"])
    expl = alloc.groupby(m["bill_id"], sort=False).sum()
    b = b.assign(open=b["amount_minor"] - b["bill_id"].map(expl).fillna(0).astype("int64"))
    # named invoices, instalments oldest due first
    keys = ["invoice_id", "customer_id", "currency"]
    inv = p[~hit & p["invoice_id"].notna()].groupby(keys)["amount_minor"].sum().rename("inv_cash")
    b = b.merge(inv, left_on=keys, right_index=True, how="left")
    b["inv_cash"] = b["inv_cash"].fillna(0).astype("int64")
    b = b.sort_values(["customer_id", "currency", "due_date", "issue_date", "bill_id"])
    ib = b.groupby(keys, sort=False)["open"].cumsum() - b["open"]
    b["inv_paid"] = np.minimum(np.maximum(b["inv_cash"] - ib, 0), b["open"])
    b["open2"] = b["open"] - b["inv_paid"]
    # FIFO with the rest
    g = ["customer_id", "currency"]
    received = p.groupby(g, dropna=False)["amount_minor"].sum()
    applied = (alloc.groupby([m["customer_id"], m["currency"]]).sum()
               .add(b.groupby(g)["inv_paid"].sum(), fill_value=0))
    cash = received.sub(applied, fill_value=0).astype("int64").rename("cash")
    b = b.merge(cash, left_on=g, right_index=True, how="left")
    b["cash"] = b["cash"].fillna(0).astype("int64")
    fb = b.groupby(g, sort=False)["open2"].cumsum() - b["open2"]
    b["fifo"] = np.minimum(np.maximum(b["cash"] - fb, 0), b["open2"])
    b["outstanding"] = b["open2"] - b["fifo"]
    dpd = (as_of - b["due_date"]).dt.days.to_numpy()
    b["bucket"] = np.searchsorted(np.array(EDGES), dpd, side="left")
    tab = b.pivot_table(index=g, columns="bucket", values="outstanding", aggfunc="sum",
                        fill_value=0).reindex(columns=range(len(LABELS)), fill_value=0)
    tab.columns = LABELS
    tab["outstanding_minor"] = tab[LABELS].sum(axis=1)
    used = b.groupby(g)["fifo"].sum()
    un = cash.sub(used, fill_value=0).astype("int64").rename("unapplied_minor")
    out = tab.join(un, how="outer").fillna(0).astype("int64").reset_index()
    return out[["customer_id", "currency", "outstanding_minor", "unapplied_minor", *LABELS]]


SQL = """
WITH b AS (SELECT bill_id, invoice_id, customer_id, currency, issue_date, due_date, amount_minor
           FROM bills WHERE issue_date <= $as_of),
p0 AS (SELECT * FROM pays WHERE paid_date <= $as_of),
p AS (SELECT p0.payment_id, COALESCE(p0.customer_id, b.customer_id) AS customer_id,
             p0.currency, p0.paid_date, p0.amount_minor, p0.invoice_id, b.bill_id AS b_bill,
             b.amount_minor AS b_amt,
             COALESCE(b.bill_id IS NOT NULL AND b.customer_id = COALESCE(p0.customer_id,
                 b.customer_id) AND b.currency = p0.currency, false) AS hit
      FROM p0 LEFT JOIN b ON p0.bill_id = b.bill_id),
m AS (SELECT b_bill, customer_id, currency,
             LEAST(GREATEST(b_amt - (SUM(amount_minor) OVER w - amount_minor), 0),
                   amount_minor) AS alloc
      FROM p WHERE hit
      WINDOW w AS (PARTITION BY b_bill ORDER BY paid_date, payment_id
                   ROWS UNBOUNDED PRECEDING)),
be AS (SELECT b_bill, SUM(alloc) AS expl FROM m GROUP BY b_bill),
inv AS (SELECT invoice_id, customer_id, currency, SUM(amount_minor) AS inv_cash
        FROM p WHERE NOT hit AND invoice_id IS NOT NULL GROUP BY ALL),
b1 AS (SELECT b.*, b.amount_minor - COALESCE(be.expl, 0) AS open,
              COALESCE(inv.inv_cash, 0) AS inv_cash
       FROM b LEFT JOIN be ON b.bill_id = be.b_bill
       LEFT JOIN inv USING (invoice_id, customer_id, currency)),
b2 AS (SELECT *, LEAST(GREATEST(inv_cash - (SUM(open) OVER wi - open), 0), open) AS inv_paid
       FROM b1 WINDOW wi AS (PARTITION BY invoice_id, customer_id, currency
                             ORDER BY due_date, issue_date, bill_id ROWS UNBOUNDED PRECEDING)),
rec AS (SELECT customer_id, currency, SUM(amount_minor) AS received FROM p GROUP BY ALL),
ap1 AS (SELECT customer_id, currency, SUM(alloc) AS a FROM m GROUP BY ALL),
ap2 AS (SELECT customer_id, currency, SUM(inv_paid) AS a FROM b2 GROUP BY ALL),
cash AS (SELECT rec.customer_id, rec.currency,
                rec.received - COALESCE(ap1.a, 0) - COALESCE(ap2.a, 0) AS cash
         FROM rec LEFT JOIN ap1 ON rec.customer_id IS NOT DISTINCT FROM ap1.customer_id
                                AND rec.currency = ap1.currency
                  LEFT JOIN ap2 ON rec.customer_id IS NOT DISTINCT FROM ap2.customer_id
                                AND rec.currency = ap2.currency),
b3 AS (SELECT b2.*, open - inv_paid AS open2, COALESCE(cash.cash, 0) AS cash
       FROM b2 LEFT JOIN cash USING (customer_id, currency)),
b4 AS (SELECT customer_id, currency, open2,
              LEAST(GREATEST(cash - (SUM(open2) OVER wf - open2), 0), open2) AS fifo,
              date_diff('day', due_date, $as_of) AS dpd
       FROM b3 WINDOW wf AS (PARTITION BY customer_id, currency
                             ORDER BY due_date, issue_date, bill_id ROWS UNBOUNDED PRECEDING)),
agg AS (SELECT customer_id, currency, SUM(fifo) AS used,
          SUM(open2 - fifo)::BIGINT AS outstanding_minor,
          SUM(CASE WHEN dpd <= 0 THEN open2 - fifo ELSE 0 END)::BIGINT AS "current",
          SUM(CASE WHEN dpd BETWEEN 1 AND 30 THEN open2 - fifo ELSE 0 END)::BIGINT AS "1-30",
          SUM(CASE WHEN dpd BETWEEN 31 AND 60 THEN open2 - fifo ELSE 0 END)::BIGINT AS "31-60",
          SUM(CASE WHEN dpd BETWEEN 61 AND 90 THEN open2 - fifo ELSE 0 END)::BIGINT AS "61-90",
          SUM(CASE WHEN dpd BETWEEN 91 AND 120 THEN open2 - fifo ELSE 0 END)::BIGINT AS "91-120",
          SUM(CASE WHEN dpd > 120 THEN open2 - fifo ELSE 0 END)::BIGINT AS "120+"
        FROM b4 GROUP BY ALL)
SELECT COALESCE(agg.customer_id, cash.customer_id) AS customer_id,
       COALESCE(agg.currency, cash.currency) AS currency,
       COALESCE(outstanding_minor, 0) AS outstanding_minor,
       (COALESCE(cash.cash, 0) - COALESCE(agg.used, 0))::BIGINT AS unapplied_minor,
       COALESCE("current", 0) AS "current", COALESCE("1-30", 0) AS "1-30",
       COALESCE("31-60", 0) AS "31-60", COALESCE("61-90", 0) AS "61-90",
       COALESCE("91-120", 0) AS "91-120", COALESCE("120+", 0) AS "120+"
FROM agg FULL OUTER JOIN cash ON agg.customer_id IS NOT DISTINCT FROM cash.customer_id
                              AND agg.currency = cash.currency
"""


def ref_duckdb(bills: pd.DataFrame, pays: pd.DataFrame, as_of: pd.Timestamp) -> pd.DataFrame:
    con = duckdb.connect()
    con.register("bills", bills[BCOLS])
    con.register("pays", pays[PCOLS])
    out = con.execute(SQL, {"as_of": as_of.to_pydatetime()}).df()
    con.close()
    return out


def _clip(x: pl.Expr, hi: pl.Expr) -> pl.Expr:
    return pl.min_horizontal(pl.max_horizontal(x, pl.lit(0)), hi)


def ref_polars(bills: pl.DataFrame, pays: pl.DataFrame, as_of: pd.Timestamp) -> pd.DataFrame:
    a = as_of.to_pydatetime()
    b = bills.lazy().filter(pl.col("issue_date") <= a)
    p = pays.lazy().filter(pl.col("paid_date") <= a)
    bk = b.select("bill_id", pl.col("customer_id").alias("b_cust"),
                  pl.col("currency").alias("b_cur"), pl.col("amount_minor").alias("b_amt"))
    p = p.join(bk, on="bill_id", how="left").with_columns(
        pl.coalesce("customer_id", "b_cust").alias("customer_id"))
    p = p.with_columns(hit=(pl.col("b_cust").is_not_null()
                            & (pl.col("b_cust") == pl.col("customer_id"))
                            & (pl.col("b_cur") == pl.col("currency"))).fill_null(False))
    m = p.filter("hit").sort(["bill_id", "paid_date", "payment_id"]).with_columns(
        alloc=_clip(pl.col("b_amt") - (pl.col("amount_minor").cum_sum().over("bill_id")
                                       - pl.col("amount_minor")), pl.col("amount_minor")))
    be = m.group_by("bill_id").agg(expl=pl.col("alloc").sum())
    keys = ["invoice_id", "customer_id", "currency"]
    inv = (p.filter(~pl.col("hit") & pl.col("invoice_id").is_not_null())
           .group_by(keys).agg(inv_cash=pl.col("amount_minor").sum()))
    b = (b.join(be, on="bill_id", how="left").join(inv, on=keys, how="left")
         .with_columns(open=pl.col("amount_minor") - pl.col("expl").fill_null(0),
                       inv_cash=pl.col("inv_cash").fill_null(0))
         .sort(["customer_id", "currency", "due_date", "issue_date", "bill_id"]))
    b = b.with_columns(inv_paid=_clip(
        pl.col("inv_cash") - (pl.col("open").cum_sum().over(keys) - pl.col("open")),
        pl.col("open")))
    b = b.with_columns(open2=pl.col("open") - pl.col("inv_paid"))
    g = ["customer_id", "currency"]
    rec = p.group_by(g).agg(received=pl.col("amount_minor").sum())
    ap1 = m.group_by(g).agg(a1=pl.col("alloc").sum())
    ap2 = b.group_by(g).agg(a2=pl.col("inv_paid").sum())
    cash = (rec.join(ap1, on=g, how="left", nulls_equal=True)
            .join(ap2, on=g, how="left", nulls_equal=True)
            .select(*g, cash=pl.col("received") - pl.col("a1").fill_null(0)
                    - pl.col("a2").fill_null(0)))
    # joins do not keep row order: sort again before the running sums
    b = (b.join(cash, on=g, how="left").with_columns(pl.col("cash").fill_null(0))
         .sort(["customer_id", "currency", "due_date", "issue_date", "bill_id"]))
    b = b.with_columns(fifo=_clip(
        pl.col("cash") - (pl.col("open2").cum_sum().over(g) - pl.col("open2")), pl.col("open2")))
    b = b.with_columns(out=pl.col("open2") - pl.col("fifo"),
                       dpd=(pl.lit(a) - pl.col("due_date")).dt.total_days())
    conds = [pl.col("dpd") <= 0, pl.col("dpd").is_between(1, 30), pl.col("dpd").is_between(31, 60),
             pl.col("dpd").is_between(61, 90), pl.col("dpd").is_between(91, 120),
             pl.col("dpd") > 120]
    agg = b.group_by(g).agg(
        pl.col("fifo").sum().alias("used"), pl.col("out").sum().alias("outstanding_minor"),
        *[pl.when(c).then(pl.col("out")).otherwise(0).sum().alias(lab)
          for c, lab in zip(conds, LABELS, strict=True)])
    res = agg.join(cash, on=g, how="full", coalesce=True, nulls_equal=True).with_columns(
        (pl.col("cash").fill_null(0) - pl.col("used").fill_null(0)).alias("unapplied_minor"),
        *[pl.col(c).fill_null(0) for c in ["outstanding_minor", *LABELS]])
    return res.select(*g, "outstanding_minor", "unapplied_minor", *LABELS).collect().to_pandas()


# --- measuring ----------------------------------------------------------------------------------
def timed(f, *args, repeat: int = 1, **kw):
    best, out, mem = float("inf"), None, 0.0
    for _ in range(repeat):
        gc.collect()
        with Peak() as pk:
            t = time.perf_counter()
            out = f(*args, **kw)
            dt = time.perf_counter() - t
        best, mem = min(best, dt), max(mem, pk.grow)
    return best, out, mem


def canon(df: pd.DataFrame) -> pd.DataFrame:
    cols = ["customer_id", "currency", "outstanding_minor", "unapplied_minor", *LABELS]
    df = df[cols].copy()
    df["customer_id"] = df["customer_id"].astype(object).where(df["customer_id"].notna(), "<NA>")
    df["currency"] = df["currency"].astype(object)
    keep = (df["outstanding_minor"] != 0) | (df["unapplied_minor"] != 0)
    df = df[keep].astype({c: "int64" for c in cols[2:]})
    return df.sort_values(["customer_id", "currency"], ignore_index=True)


def ck(bills, pays, as_of):
    return customer_aging(bills, pays, as_of=as_of, mode="fifo", buckets="days")


def history(bills, pays, dates):
    h = aging_at_dates(bills, pays, dates=dates, mode="fifo", buckets="m")
    r = roll_rates(h)
    return h, roll_rate_matrix(r, value="count"), roll_rate_matrix(r, value="outstanding")


def run(n: int, repeat: int, per_date: bool) -> None:
    print(f"\n== ~{n:,} bills ==")
    bills, pays = load(n)
    as_of = pd.Timestamp(END)
    print(f"  bills {len(bills):,}  payments {len(pays):,}  customers "
          f"{bills['customer_id'].nunique():,}")
    t_ck, got, m_ck = timed(ck, bills, pays, as_of, repeat=repeat)
    got = canon(got)
    res = {"creditkit": (t_ck, m_ck)}
    pb = pl.from_pandas(bills[BCOLS])
    pp = pl.from_pandas(pays[PCOLS])
    for name, f, args in (("pandas", ref_pandas, (bills, pays)),
                          ("duckdb", ref_duckdb, (bills, pays)),
                          ("polars", ref_polars, (pb, pp))):
        t, out, mem = timed(f, *args, as_of, repeat=repeat)
        pd.testing.assert_frame_equal(canon(out), got, check_dtype=False)
        res[name] = (t, mem)
    fastest = min(v[0] for k, v in res.items() if k != "creditkit")
    print("  one as-of aging (customer x bucket), identical results checked:")
    for k, (t, mem) in res.items():
        print(f"    {k:<10} {t:8.2f} s   ratio to creditkit {t / t_ck:5.2f}   "
              f"RSS growth {mem:5.2f} GiB")
    print(f"  creditkit / fastest reference = {t_ck / fastest:.2f}  (target <= 1.5)")
    dates = month_ends("2025-01-01", END)
    t_h, (h, mc, _mb), m_h = timed(history, bills, pays, dates, repeat=repeat)
    last = h[(h["as_of"] == dates[-1]) & (h["outstanding_minor"] > 0)].groupby(
        "customer_id")["outstanding_minor"].sum()
    want = got[got["outstanding_minor"] > 0].groupby("customer_id")["outstanding_minor"].sum()
    pd.testing.assert_series_equal(last.sort_index(), want.sort_index(), check_names=False,
                                   check_dtype=False, check_index_type=False)
    print(f"  12 month ends + roll-rate matrix: {t_h:.2f} s = {t_h / t_ck:.2f} x one as-of "
          f"(target <= 3), RSS growth {m_h:.2f} GiB; history rows {len(h):,}")
    print("  roll-rate matrix (count shares), last 12 months:")
    print(mc.round(3).to_string(), flush=True)
    if per_date:
        t0 = time.perf_counter()
        for d in dates:
            ref_pandas(bills, pays, d)
        t_pd = time.perf_counter() - t0
        print(f"  pandas reference re-run per month end (no roll rates): {t_pd:.2f} s = "
              f"{t_pd / t_ck:.2f} x creditkit one as-of, {t_pd / t_h:.2f} x creditkit history")
    print(f"  peak RSS of the process so far: "
          f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20:.2f} GiB")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[1_000_000, 10_000_000])
    ap.add_argument("--repeat", type=int, default=1)
    ap.add_argument("--per-date-reference", action="store_true")
    a = ap.parse_args()
    for n in a.sizes:
        run(n, a.repeat, a.per_date_reference)


if __name__ == "__main__":
    main()
