"""RFM and value segments on Spark equal pandas."""

from __future__ import annotations

import pytest

from creditkit import segmentation
from creditkit import spark as cks

pytestmark = pytest.mark.spark


def test_rfm_scores_and_segments_equal_pandas(book, spark_book, same_rows, as_of):
    rfm = cks.rfm_table(spark_book["transactions"], as_of=as_of,
                        customers=spark_book["customers"])
    expected = segmentation.rfm_table(book["transactions"], as_of=as_of,
                                      customers=book["customers"])
    same_rows(cks.to_pandas(rfm), expected, ["customer_id"])

    scored = cks.rfm_scores(rfm)  # quantiles of the whole book, on the driver
    exp_scored = segmentation.rfm_scores(expected)
    same_rows(cks.to_pandas(scored), exp_scored, ["customer_id"])

    cut = {"recency_days": [30, 90], "frequency": [2, 5], "monetary_minor": [10_000, 100_000]}
    fixed = cks.rfm_scores(rfm, method="fixed", cutoffs=cut)  # per row, on the executors
    same_rows(cks.to_pandas(fixed), segmentation.rfm_scores(expected, method="fixed",
                                                            cutoffs=cut), ["customer_id"])

    segments = cks.value_segments(scored)
    same_rows(cks.to_pandas(segments), segmentation.value_segments(exp_scored),
              ["customer_id"])


def test_rfm_without_customers_equals_pandas(book, spark_book, same_rows, as_of):
    t = book["transactions"]
    one = t[t["currency"] == "CNY"]
    sdf = spark_book["transactions"].where("currency = 'CNY'")
    same_rows(cks.to_pandas(cks.rfm_table(sdf, as_of=as_of, window_months=None)),
              segmentation.rfm_table(one, as_of=as_of, window_months=None), ["customer_id"])
