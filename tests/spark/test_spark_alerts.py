"""Early-warning evaluation on Spark equals pandas, open alerts carried from the last run."""

from __future__ import annotations

import pytest

from creditkit.alerts import alert_features, evaluate_alerts
from creditkit.spark import evaluate_alerts as spark_evaluate
from creditkit.spark import from_pandas, to_pandas

pytestmark = pytest.mark.spark


def test_alerts_equal_pandas(spark, book, same_rows):
    first = evaluate_alerts(book, as_of="2025-08-31", lang="en")
    features = alert_features(book, as_of="2025-09-30", previous=first.state.scores)
    expected = evaluate_alerts(None, as_of="2025-09-30", state=first.state, features=features,
                               lang="en")
    assert len(expected.alerts) and len(expected.closed)  # raised, kept and closed alerts
    got = spark_evaluate(from_pandas(spark, features), as_of="2025-09-30", state=first.state,
                         lang="en", partitions=3)
    keys = ["customer_id", "rule_id"]
    same_rows(to_pandas(got.alerts), expected.alerts, keys)
    same_rows(to_pandas(got.open), expected.open, keys)
    same_rows(to_pandas(got.closed), expected.closed, keys)
