"""Early warnings on Spark: :func:`creditkit.alerts.evaluate_alerts` per customer slice.

A customer's alerts depend on their own feature row and their own open alerts, so the
features (one row per customer, as :func:`creditkit.alerts.alert_features` returns,
built per customer or read from the lake) and the open alerts of the previous
evaluation are cogrouped by customer and each slice is evaluated by the pandas function:
raised once, kept open while the rule holds, closed when it ends, as on one machine.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import pandas as pd

from creditkit.alerts import AlertState, load_alert_rules
from creditkit.alerts import alert_features as pandas_features
from creditkit.alerts import evaluate_alerts as pandas_evaluate
from creditkit.checks import check_as_of
from creditkit.exceptions import ParameterError, SchemaError
from creditkit.schema import TABLES
from creditkit.spark.aging import OWNER, ledger_frames
from creditkit.spark.frames import (
    apply_by_customer,
    apply_by_customer_tables,
    check_table,
    customer_partitions,
    empty_frame,
    executor_errors,
    from_arrow,
    from_pandas,
    spark_schema,
    spark_types,
    to_arrow,
)
from creditkit.spark.session import quiet

__all__ = ["ALERT_PARTS", "FEATURE_TABLES", "SparkAlertRun", "alert_features", "evaluate_alerts"]

#: The tables :func:`alert_features` reads: the first three are needed.
FEATURE_TABLES = ("customers", "bills", "payments", "transactions", "promises", "applications")

#: The Spark columns of the open alerts (``alerts`` = the new ones) and the closed ones.
ALERT_PARTS = {
    "open": "as_of date, customer_id string, rule_id string, severity string, observed string, "
            "threshold string, observed_value double, threshold_value double, "
            "description string, action string, explanation string, opened date, new boolean",
    "closed": "customer_id string, rule_id string, severity string, opened date, closed_on date",
}


class SparkAlertRun(NamedTuple):
    """Result of :func:`evaluate_alerts`: lazy Spark DataFrames (``alerts`` = raised today)."""

    alerts: Any
    open: Any
    closed: Any


def _sample(tables: dict, day: pd.Timestamp, types: dict) -> dict[str, pd.DataFrame]:
    """A few customers on file at ``day`` with all their rows, on the driver."""
    from pyspark.sql import functions as F

    cust = tables["customers"]
    if "open_date" in types["customers"]:
        cust = cust.where(F.col("open_date").isNull()
                          | (F.col("open_date") <= F.lit(day.date())))
    with quiet(), executor_errors():
        ids = [r["customer_id"] for r in cust.select("customer_id").limit(3).collect()]
    if not ids:
        raise ParameterError(f"as_of {day.date()} is before every customer's open_date; pass "
                             "an as_of inside the data")
    out = {}
    for name, sdf in tables.items():
        key = OWNER if name == "payments" else "customer_id"
        with quiet(), executor_errors():
            rows = sdf.where(F.col(key).isin(ids)).toPandas()
        out[name] = from_arrow(rows, types[name])
    return out


def alert_features(tables: dict, *, as_of: object, previous: Any = None, cards: Any = None,
                   history_months: int = 12, partitions: int | None = None,
                   validate: bool = True) -> Any:
    """:func:`creditkit.alerts.alert_features` of Spark tables, by customer slices.

    Every column :func:`creditkit.alerts.alert_features` builds (the customer
    features, late streaks, spending, channels, score drop) depends on the
    customer's own rows, so each slice of customers, with all their rows in
    every table, goes to the pandas function; the result feeds
    :func:`evaluate_alerts` without leaving Spark. A payment without a
    customer goes with the customer of the bill it names (the ledger's rule).

    Parameters
    ----------
    tables : dict of str to pyspark.sql.DataFrame
        ``customers``, ``bills``, ``payments``; optionally ``transactions``,
        ``promises`` and ``applications`` (others are not read).
    as_of : date-like
    previous : pandas or Spark DataFrame, optional
        ``customer_id``, ``scorecard``, ``points`` of the previous evaluation
        (``AlertState.scores``), for ``score_drop``; shipped to the executors.
    cards : dict, optional
        The behaviour cards (default: the shipped ones).
    history_months : int, default 12
    partitions : int, optional
        Customer slices (default ``spark.sql.shuffle.partitions``).
    validate : bool, default True
        Check ``bill_id`` and ``payment_id`` unique over the whole tables.

    Returns
    -------
    pyspark.sql.DataFrame
        One row per customer on file at ``as_of``, the columns of the pandas
        function (money as ``bigint``, dates as ``date``); lazy.

    Raises
    ------
    SchemaError
        A needed table or column missing, wrong types, repeated ids; a
        creditkit error raised on an executor (when collected).
    ParameterError
        Not Spark DataFrames, bad ``as_of``, ``previous`` or ``history_months``.

    Examples
    --------
    >>> f = alert_features({"customers": customers_sdf, "bills": bills_sdf,
    ...                     "payments": payments_sdf}, as_of="2025-09-30")  # doctest: +SKIP
    >>> run = evaluate_alerts(f, as_of="2025-09-30")  # doctest: +SKIP
    """
    from pyspark.sql import functions as F

    day = check_as_of(as_of)
    if not isinstance(tables, dict) or any(t not in tables for t in FEATURE_TABLES[:3]):
        got = sorted(tables) if isinstance(tables, dict) else type(tables).__name__
        raise SchemaError(f"alert_features needs the Spark tables {list(FEATURE_TABLES[:3])}; "
                          f"got {got}; pass a dict of Spark DataFrames read from the lake")
    if previous is not None and not isinstance(previous, pd.DataFrame):
        previous = from_arrow(previous.toPandas(), spark_types(previous, "previous"))
    bills, payments, _, _ = ledger_frames(tables["bills"], tables["payments"],
                                          validate=validate)
    used = {"customers": tables["customers"], "bills": bills, "payments": payments}
    for name in FEATURE_TABLES[3:]:
        if tables.get(name) is not None:
            used[name] = tables[name]
    types = {}
    for name, sdf in used.items():
        types[name] = (check_table(sdf, name, need=["customer_id"]) if name in TABLES
                       else spark_types(sdf, name))
        if "customer_id" not in types[name] and name != "payments":
            raise SchemaError(f"missing column customer_id in {name}; got {sorted(types[name])}"
                              "; rename yours with withColumnRenamed")
    spark = used["customers"].sparkSession

    def run(t: dict[str, pd.DataFrame]) -> pd.DataFrame:
        t = {k: v.drop(columns=[OWNER], errors="ignore") for k, v in t.items()}
        return pandas_features(t, as_of=day, previous=previous, cards=cards,
                               history_months=history_months)

    # the parameters are checked, and the columns typed, by a run on a few customers
    schema = spark_schema(run(_sample(used, day, types)))
    keys = {name: F.col(OWNER if name == "payments" else "customer_id") for name in used}
    return apply_by_customer_tables(run, used, keys, n=customer_partitions(spark, partitions),
                                    schema=schema)


def evaluate_alerts(features: Any, rules: Any = None, *, as_of: object,
                    state: AlertState | None = None, lang: str = "zh",
                    partitions: int | None = None) -> SparkAlertRun:
    """:func:`creditkit.alerts.evaluate_alerts` of a Spark feature table, by customer slices.

    Parameters
    ----------
    features : pyspark.sql.DataFrame
        One row per customer: ``customer_id`` and every column the rules read.
    rules : path, DataFrame, list, RuleSet or None
        Loaded and checked on the driver (default: the shipped rules).
    as_of : date-like
    state : AlertState, optional
        The previous evaluation's state (its ``open`` alerts are cogrouped by customer).
    lang : {"zh", "en"}
    partitions : int, optional
        Customer slices (default ``spark.sql.shuffle.partitions``).

    Returns
    -------
    SparkAlertRun
        ``alerts`` (raised at ``as_of``), ``open`` (all open after the run) and
        ``closed``; store ``open`` for the next run (``AlertState(as_of, open)``).

    Raises
    ------
    ParameterError
        Bad ``as_of``, ``lang``, rules (file and line named) or state; features
        lacking a column a rule reads; not a Spark DataFrame.

    Examples
    --------
    >>> run = evaluate_alerts(features_sdf, as_of="2025-06-30")  # doctest: +SKIP
    >>> run.alerts.groupBy("severity").count().show()  # doctest: +SKIP
    """
    from pyspark.sql import functions as F

    types = spark_types(features, "features")
    if "customer_id" not in types:
        raise ParameterError("features must have customer_id and the columns the rules "
                             "read, as creditkit.alerts.alert_features returns")
    ruleset = load_alert_rules(rules)
    state = state if state is not None else AlertState()
    spark = features.sparkSession
    # the parameters, the rules' columns and the state are checked on the driver
    pandas_evaluate(None, ruleset, as_of=as_of, state=state, lang=lang,
                    features=empty_frame(types))
    open_before = state.open[["customer_id", "rule_id", "severity", "opened"]]
    open_types = {"customer_id": "string", "rule_id": "string", "severity": "string",
                  "opened": "date"}
    before = from_pandas(spark, open_before.astype({"opened": "datetime64[ns]"}).astype(
        {c: object for c in ("customer_id", "rule_id", "severity")})) if len(open_before) \
        else spark.createDataFrame([], ", ".join(f"{c} {t}" for c, t in open_types.items()))
    fields = [("part", "string")]
    for part, ddl in ALERT_PARTS.items():
        fields += [(f"{part}__{c.split(' ')[0]}", c.split(" ")[1]) for c in ddl.split(", ")]
    schema = spark.createDataFrame([], ", ".join(f"{n} {t}" for n, t in fields)).schema

    def run(f: pd.DataFrame, o: pd.DataFrame) -> pd.DataFrame:
        prior = AlertState(state.as_of, o[["customer_id", "rule_id", "severity", "opened"]])
        r = pandas_evaluate(None, ruleset, as_of=as_of, state=prior, lang=lang, features=f)
        out = pd.concat([r.open.add_prefix("open__").assign(part="open"),
                         r.closed.add_prefix("closed__").assign(part="closed")],
                        ignore_index=True)
        for field in schema.fields:
            if field.name not in out.columns:
                out[field.name] = None
        return to_arrow(out, schema)

    n = customer_partitions(spark, partitions)
    packed = apply_by_customer(run, [features, before],
                               [F.col("customer_id"), F.col("customer_id")], n=n, schema=schema)

    def part(name: str) -> Any:
        cols = [c.split(" ")[0] for c in ALERT_PARTS[name].split(", ")]
        return packed.where(F.col("part") == name).select(
            *[F.col(f"{name}__{c}").alias(c) for c in cols])

    open_ = part("open")
    return SparkAlertRun(open_.where(F.col("new")), open_, part("closed"))
