"""Alert features and early-warning evaluation on Spark equal pandas, end to end from Spark
tables: features built on the executors feed the evaluation, open alerts carried from the
last run."""

from __future__ import annotations

import pytest

from creditkit import spark as cks
from creditkit.alerts import alert_features, evaluate_alerts

pytestmark = pytest.mark.spark

def test_alert_features_and_alerts_equal_pandas(book, spark_book, same_rows):
    first = evaluate_alerts(book, as_of="2025-08-31", lang="en")
    previous = first.state.scores
    expected_features = alert_features(book, as_of="2025-09-30", previous=previous)
    assert expected_features["score_drop"].notna().any()  # the previous run's points are used
    assert (expected_features["late_streak"] > 0).any()
    features = cks.alert_features(spark_book, as_of="2025-09-30", previous=previous).cache()
    got_features = cks.to_pandas(features)
    same_rows(got_features, expected_features, ["customer_id"])

    expected = evaluate_alerts(None, as_of="2025-09-30", state=first.state,
                               features=expected_features, lang="en")
    assert len(expected.alerts) and len(expected.closed)  # raised, kept and closed alerts
    got = cks.evaluate_alerts(features, as_of="2025-09-30", state=first.state, lang="en",
                              partitions=3)
    keys = ["customer_id", "rule_id"]
    same_rows(cks.to_pandas(got.alerts), expected.alerts, keys)
    same_rows(cks.to_pandas(got.open), expected.open, keys)
    same_rows(cks.to_pandas(got.closed), expected.closed, keys)
    features.unpersist()


def test_alert_features_need_the_ledger_tables(spark_book):
    from creditkit.exceptions import SchemaError

    with pytest.raises(SchemaError, match=r"needs the Spark tables.*got \['bills', 'customers'\]"):
        cks.alert_features({k: spark_book[k] for k in ("bills", "customers")},
                           as_of="2025-09-30")
    with pytest.raises(SchemaError, match=r"missing column.*customer_id.*transactions"):
        cks.alert_features({**spark_book, "transactions": spark_book["transactions"].drop(
            "customer_id")}, as_of="2025-09-30")
