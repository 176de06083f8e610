"""creditkit on Spark: the same per-customer pandas functions over Spark DataFrames.

Install the extra (``pip install 'creditkit[spark]'``) and a Java runtime.
Every function checks its Spark inputs against the canonical schema on the
driver, slices the customers by a hash of ``customer_id``
(:mod:`~creditkit.spark.frames`) and runs the pandas function of the same
name on each slice with ``applyInPandas``: no second implementation, so the
rows equal those of pandas on the whole book. Modules: :mod:`~creditkit.spark.session`
(pyspark and Java checks, :func:`local_session`), :mod:`~creditkit.spark.aging`
(allocation, aging, history, roll rates), :mod:`~creditkit.spark.collections`
(reconciliation, with analysts' decisions), :mod:`~creditkit.spark.alerts`
(alert features and early warnings), :mod:`~creditkit.spark.segmentation` (RFM and value
segments), :mod:`~creditkit.spark.scoring` (scorecards as Spark SQL).

Importing this package does not import pyspark; the functions do, and raise
:class:`SparkUnavailableError` naming the fix when it (or Java) is missing.
"""

from __future__ import annotations

from creditkit.spark.aging import (
    SparkAllocation,
    aging_at_dates,
    allocate_payments,
    bill_aging,
    customer_aging,
    portfolio_aging,
    roll_rates,
)
from creditkit.spark.alerts import SparkAlertRun, alert_features, evaluate_alerts
from creditkit.spark.collections import SparkReconciliation, reconcile
from creditkit.spark.frames import PARTITION_COLUMN, check_table, from_pandas, to_pandas
from creditkit.spark.scoring import score_spark
from creditkit.spark.segmentation import rfm_scores, rfm_table, value_segments
from creditkit.spark.session import (
    SparkUnavailableError,
    local_session,
    require_spark,
    session_config,
)

__all__ = [
    "PARTITION_COLUMN",
    "SparkAlertRun",
    "SparkAllocation",
    "SparkReconciliation",
    "SparkUnavailableError",
    "aging_at_dates",
    "alert_features",
    "allocate_payments",
    "bill_aging",
    "check_table",
    "customer_aging",
    "evaluate_alerts",
    "from_pandas",
    "local_session",
    "portfolio_aging",
    "reconcile",
    "require_spark",
    "rfm_scores",
    "rfm_table",
    "roll_rates",
    "score_spark",
    "session_config",
    "to_pandas",
    "value_segments",
]
