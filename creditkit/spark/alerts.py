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
from creditkit.alerts import evaluate_alerts as pandas_evaluate
from creditkit.exceptions import ParameterError
from creditkit.spark.frames import (
    apply_by_customer,
    customer_partitions,
    empty_frame,
    from_pandas,
    spark_types,
    to_arrow,
)

__all__ = ["ALERT_PARTS", "SparkAlertRun", "evaluate_alerts"]

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
