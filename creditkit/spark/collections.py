"""Reconciliation on Spark: :func:`creditkit.collections.reconcile` per customer, payer known.

A payment's match depends on its payer's bills and payments only, once the
payer is known, so the work splits in three:

1. **Payer** (executors): :func:`creditkit.collections.payers.identify_payers`
   on each chunk of payments, with the customers table (id and name) and the
   payer accounts shipped to every executor. A payer is found per payment.
2. **Unknown payers** (driver): the few payments no rule identifies can still
   take the customer of the bills they name (``bill_id``, ``invoice_id`` or a
   number in the reference). Their **blocking key** is the set of customers
   owning a bill they could name: found on the executors by
   :func:`creditkit.collections.references.match_references` over each chunk
   of bills (a superset of what the whole-book search finds). Those payments,
   with every bill and payment of those customers, are reconciled on the
   driver by the pandas function.
3. **Known payers** (executors): every other customer's bills and payments
   (payments keyed by their payer) are reconciled per customer slice by the
   pandas function.

Each customer is reconciled whole in exactly one run, so the rows equal the
pandas function's on the whole book. The pandas function walks payments in
windows of :data:`~creditkit.collections.reconcile.WINDOW_DAYS` days counted from the
book's first payment, and an amount match may take a bill issued by the last
payment of its window; so every run gets a zero-amount *anchor* payment on
the book's first payment day and on each window's last payment day (found by
one aggregate), and the anchors are removed from every result.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np
import pandas as pd

from creditkit.checks import date_to_day
from creditkit.collections import load_rules
from creditkit.collections import reconcile as pandas_reconcile
from creditkit.collections.manual import check_decisions
from creditkit.collections.payers import identify_payers
from creditkit.collections.reconcile import WINDOW_DAYS
from creditkit.collections.references import match_references
from creditkit.spark.frames import (
    apply_by_customer,
    check_table,
    check_unique,
    customer_partitions,
    executor_errors,
    from_arrow,
    to_arrow,
    to_pandas,
)
from creditkit.spark.session import quiet

__all__ = ["PARTS", "SparkReconciliation", "reconcile"]

#: The frames of a reconciliation and their Spark columns.
PARTS = {
    "allocations": "payment_id string, bill_id string, customer_id string, amount_minor bigint, "
                   "method string, confidence double, currency string",
    "writeoffs": "payment_id string, bill_id string, customer_id string, amount_minor bigint, "
                 "method string, confidence double, currency string",
    "exceptions": "payment_id string, customer_id string, currency string, channel string, "
                  "paid_date date, amount_minor bigint, reason string, best_bill_id string, "
                  "best_score double, candidates string, payer_candidates string",
    "by_payment": "payment_id string, customer_id string, payer_method string, "
                  "payer_score double, currency string, channel string, amount_minor bigint, "
                  "applied_minor bigint, exception_minor bigint",
    "summary": "currency string, channel string, n_payments bigint, amount_minor bigint, "
               "applied_minor bigint, exception_minor bigint, n_exceptions bigint, "
               "writeoff_minor bigint, applied_share double",
    "stats": "stat string, value bigint",
}
_ANCHOR = "\x00creditkit:anchor"
_KEY = "__creditkit_payer"
_SUMS = ("n_payments", "amount_minor", "applied_minor", "exception_minor", "n_exceptions",
         "writeoff_minor")


class SparkReconciliation(NamedTuple):
    """Result of :func:`reconcile`: the frames of :class:`creditkit.collections.Reconciliation`.

    ``allocations``, ``writeoffs``, ``exceptions`` and ``by_payment`` are
    Spark DataFrames (persisted: computed once); ``summary`` is pandas, added
    exactly on the driver; ``stats`` adds the pairs each run compared (the
    runs search smaller blocks, so these counts differ from one pandas run).
    """

    allocations: Any
    writeoffs: Any
    exceptions: Any
    by_payment: Any
    summary: pd.DataFrame
    stats: dict


def _ddl(spark: Any, ddl: str) -> Any:
    """The schema a DDL string names (no job runs)."""
    return spark.createDataFrame([], ddl).schema


def _packed_schema(spark: Any) -> Any:
    from pyspark.sql.types import StringType, StructField, StructType

    fields = [StructField("part", StringType(), True)]
    for part, ddl in PARTS.items():
        for f in _ddl(spark, ddl).fields:
            fields.append(StructField(f"{part}__{f.name}", f.dataType, True))
    return StructType(fields)


def _pack(rec: Any, schema: Any) -> pd.DataFrame:
    """A Reconciliation's frames as one long frame (``part`` + prefixed columns), anchors out."""
    rows = []
    for part in PARTS:
        if part == "stats":
            frame = pd.DataFrame({"stat": list(rec.stats), "value": list(rec.stats.values())})
        else:
            frame = getattr(rec, part)
        if "payment_id" in frame.columns:
            frame = frame[~frame["payment_id"].astype(str).str.startswith(_ANCHOR)]
        if part == "summary":
            frame = frame[frame["channel"].astype(object) != _ANCHOR]
        rows.append(frame.add_prefix(f"{part}__").assign(part=part))
    out = pd.concat(rows, ignore_index=True)
    for f in schema.fields:
        if f.name not in out.columns:
            out[f.name] = None
    return to_arrow(out, schema)


def _anchors(payments: Any, currency: str) -> pd.DataFrame:
    """Zero-amount payments on the first payment day and each window's last payment day."""
    from pyspark.sql import functions as F

    with quiet():
        first = payments.agg(F.min("paid_date").alias("d")).collect()[0]["d"]
    if first is None:
        return pd.DataFrame()
    offset = F.floor(F.datediff(F.col("paid_date"), F.lit(first)) / WINDOW_DAYS)
    with quiet():
        lasts = [r["d"] for r in payments.groupBy(offset.alias("w"))
                 .agg(F.max("paid_date").alias("d")).collect()]
    days = sorted({pd.Timestamp(first), *(pd.Timestamp(d) for d in lasts)})
    return pd.DataFrame({
        "payment_id": [f"{_ANCHOR}:{k}" if k else _ANCHOR for k in range(len(days))],
        "customer_id": None, "paid_date": pd.to_datetime(days).astype("datetime64[ns]"),
        "amount_minor": np.zeros(len(days), np.int64), "currency": currency,
        "channel": _ANCHOR})


def reconcile(payments: Any, bills: Any, customers: Any, *, as_of: object, rules: object = None,
              accounts: pd.DataFrame | None = None, decisions: Any = None,
              partitions: int | None = None, validate: bool = True) -> SparkReconciliation:
    """:func:`creditkit.collections.reconcile` on Spark, by customer once the payer is known.

    Parameters
    ----------
    payments, bills, customers : pyspark.sql.DataFrame
        Canonical tables; customers need ``customer_id`` and ``name`` (only
        these two are shipped to the executors).
    as_of : date-like
    rules : path, mapping, ReconcileRules or None
        Loaded and checked on the driver (None: the shipped default).
    accounts : pandas or Spark DataFrame, optional
        ``payer_account`` → ``customer_id``; shipped to the executors.
    decisions : pandas or Spark DataFrame, optional
        Analysts' confirmations and rejections (:mod:`creditkit.collections.manual`),
        checked on the driver against the payments and bills they name. The
        customers they touch (owners of the decided bills, payers of the
        decided payments) are reconciled on the driver with the decisions
        applied, as the pandas function applies them; a decision never splits
        across slices.
    partitions : int, optional
        Customer slices (default ``spark.sql.shuffle.partitions``).
    validate : bool, default True
        Check ``bill_id`` and ``payment_id`` unique over the whole tables.

    Returns
    -------
    SparkReconciliation

    Raises
    ------
    ParameterError
        Not Spark DataFrames, bad ``as_of`` or rules.
    SchemaError
        Missing columns, wrong types, repeated ids, bad decisions (the row
        named); a creditkit error raised on an executor.

    Examples
    --------
    >>> rec = reconcile(payments_sdf, bills_sdf, customers_sdf,
    ...                 as_of="2025-06-30")  # doctest: +SKIP
    >>> rec.exceptions.groupBy("reason").count().show()  # doctest: +SKIP
    """
    from pyspark.sql import functions as F

    pt = check_table(payments, "payments")
    bt = check_table(bills, "bills")
    check_table(customers, "customers", need=["customer_id", "name"])
    if validate:
        check_unique(bills, "bill_id", "bills")
        check_unique(payments, "payment_id", "payments")
    rules = load_rules(rules)
    decided, touched = _decisions(decisions, payments, bills, pt, bt, as_of)
    spark = payments.sparkSession
    cust = to_pandas(customers.select("customer_id", "name"))
    if accounts is not None and not isinstance(accounts, pd.DataFrame):
        accounts = to_pandas(accounts)
    n = customer_partitions(spark, partitions)

    # 1. the payer of every payment, on the executors
    def payers(batches):
        for batch in batches:
            found, _ = identify_payers(from_arrow(batch, pt), cust, accounts=accounts,
                                       rules=rules)
            yield pd.DataFrame({"__creditkit_id": batch["payment_id"].astype(object),
                                _KEY: found["payer_id"].astype(object)})

    keyed = payments.join(
        payments.mapInPandas(payers, f"__creditkit_id string, {_KEY} string"),
        F.col("payment_id") == F.col("__creditkit_id")).drop("__creditkit_id")
    keyed = keyed.persist()
    with quiet(), executor_errors():
        unknown = from_arrow(keyed.where(F.col(_KEY).isNull()).toPandas(), pt)
    block = _blocking_customers(unknown, bills, bt, rules)
    if decided is not None:  # the customers a decision touches: the bills' and payers'
        with quiet():
            touched |= {r[_KEY] for r in keyed.where(F.col("payment_id").isin(
                sorted({str(x) for x in decided["payment_id"]}))).select(_KEY).collect()}
        block = sorted((set(block) | touched) - {None})
    currency = (str(unknown["currency"].iloc[0]) if len(unknown) else
                str(payments.select("currency").first()["currency"]))
    anchors = _anchors(payments, currency)
    schema = _packed_schema(spark)

    def run(bb: pd.DataFrame, pp: pd.DataFrame, dd: pd.DataFrame | None = None) -> pd.DataFrame:
        pp = pd.concat([pp, anchors], ignore_index=True) if len(anchors) else pp
        rec = pandas_reconcile(pp, bb, cust, as_of=as_of, rules=rules, accounts=accounts,
                               decisions=dd)
        return _pack(rec, schema)

    # 2. unknown payers and the customers they may name: on the driver
    in_block = F.col("customer_id").isin(block) if block else F.lit(False)
    with quiet(), executor_errors():
        b_block = from_arrow(bills.where(in_block).toPandas(), bt)
        p_block = from_arrow(keyed.where(F.col(_KEY).isin(block) if block else F.lit(False))
                             .drop(_KEY).toPandas(), pt)
    driver = run(b_block, pd.concat([p_block, unknown.drop(columns=[_KEY], errors="ignore")],
                                    ignore_index=True), decided)
    # 3. every other customer, per slice on the executors
    rest = apply_by_customer(
        run, [bills.where(~in_block), keyed.where(F.col(_KEY).isNotNull() & ~F.col(_KEY)
                                                  .isin(block) if block else
                                                  F.col(_KEY).isNotNull())],
        [F.col("customer_id"), F.col(_KEY)], n=n, schema=schema)
    with quiet():
        packed = rest.unionByName(spark.createDataFrame(driver, schema=schema)).persist()
    with quiet(), executor_errors():
        small = to_pandas(packed.where(F.col("part").isin("summary", "stats")))
    keyed.unpersist()
    return SparkReconciliation(*(_part(packed, p) for p in PARTS if p not in ("summary",
                                                                               "stats")),
                               _summary(small), _stats(small))


def _part(packed: Any, part: str) -> Any:
    from pyspark.sql import functions as F

    names = [f.name for f in _ddl(packed.sparkSession, PARTS[part]).fields]
    return packed.where(F.col("part") == part).select(
        *[F.col(f"{part}__{c}").alias(c) for c in names])


def _summary(small: pd.DataFrame) -> pd.DataFrame:
    """The runs' summaries added per (currency, channel) as Python integers."""
    s = small[small["part"] == "summary"]
    acc: dict[tuple, list[int]] = {}
    for row in s.itertuples(index=False):
        d = row._asdict()
        cell = acc.setdefault((d["summary__currency"], d["summary__channel"]), [0] * len(_SUMS))
        for k, col in enumerate(_SUMS):
            cell[k] += int(d[f"summary__{col}"])
    keys = sorted(acc)
    out = pd.DataFrame({"currency": [k[0] for k in keys], "channel": [k[1] for k in keys]})
    for k, col in enumerate(_SUMS):
        out[col] = np.array([acc[key][k] for key in keys], dtype=np.int64)
    amount = out["amount_minor"]
    out["applied_share"] = (out["applied_minor"] / amount.where(amount > 0)).astype(float)
    return out


def _stats(small: pd.DataFrame) -> dict:
    s = small[small["part"] == "stats"]
    out: dict[str, int] = {}
    for stat, value in zip(s["stats__stat"], s["stats__value"], strict=True):
        out[stat] = out.get(stat, 0) + int(value)
    return out


def _decisions(decisions: Any, payments: Any, bills: Any, pt: dict, bt: dict,
               as_of: object) -> tuple[pd.DataFrame | None, set[str]]:
    """The decisions, checked against the rows they name; the customers of the decided bills."""
    from pyspark.sql import functions as F

    if decisions is None:
        return None, set()
    if not isinstance(decisions, pd.DataFrame):
        decisions = to_pandas(decisions)
    pay_ids = sorted({str(x) for x in decisions.get("payment_id", pd.Series()).dropna()})
    bill_ids = sorted({str(x) for x in decisions.get("bill_id", pd.Series()).dropna()})
    day = pd.Timestamp(date_to_day(as_of), unit="D").date()
    with quiet(), executor_errors():
        p = from_arrow(payments.where(F.col("payment_id").isin(pay_ids)).toPandas(), pt)
        b = from_arrow(bills.where(F.col("bill_id").isin(bill_ids)
                                   & (F.col("issue_date") <= F.lit(day))).toPandas(), bt)
    # the pandas check, on the rows the decisions name (errors name the decision's row)
    check_decisions(decisions, p, b)
    return decisions, set(b["customer_id"].dropna().astype(str))


def _blocking_customers(unknown: pd.DataFrame, bills: Any, bt: dict, rules: Any) -> list[str]:
    """Customers owning a bill the unknown payers could name (id columns or reference)."""
    from pyspark.sql import functions as F

    if unknown.empty:
        return []
    found: set[str] = set()
    named = [F.col(c).isin(sorted(set(unknown[c].dropna().astype(str))))
             for c in ("bill_id", "invoice_id") if c in unknown.columns
             and unknown[c].notna().any()]
    if named:
        cond = named[0] if len(named) == 1 else named[0] | named[1]
        with quiet():
            found |= {r["customer_id"] for r in bills.where(cond).select("customer_id")
                      .distinct().collect()}
    if "reference" in unknown.columns and unknown["reference"].notna().any():
        refs = unknown["reference"].reset_index(drop=True)
        payer = np.full(len(refs), -1, dtype=np.int64)

        def owners(batches):
            for batch in batches:
                b = from_arrow(batch, bt).reset_index(drop=True)
                pairs, _ = match_references(refs, b, payer=payer,
                                            bill_payer=np.zeros(len(b), dtype=np.int64),
                                            max_block=rules.max_block)
                hit = b["customer_id"].to_numpy(dtype=object)[pairs["bill"].to_numpy(np.int64)]
                yield pd.DataFrame({"customer_id": pd.unique(hit)})

        with quiet(), executor_errors():
            found |= {r["customer_id"] for r in bills.mapInPandas(owners, "customer_id string")
                      .distinct().collect()}
    return sorted(c for c in found if c is not None)

