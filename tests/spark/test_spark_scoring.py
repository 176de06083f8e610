"""Scorecards on Spark: the card's Spark SQL gives predict_points exactly, also after saving."""

from __future__ import annotations

import duckdb
import numpy as np
import pandas as pd
import pytest

from creditkit.exceptions import ParameterError, SchemaError
from creditkit.scoring import Scorecard
from creditkit.scoring.cardspec import spec_from_table
from creditkit.spark import from_pandas, score_spark, to_pandas

pytestmark = pytest.mark.spark


def application_card() -> Scorecard:
    """A card on the generator's application fields: numbers (one an Int64 with gaps), text,
    special values and missing bins."""
    bins = {
        "bureau_score": spec_from_table(
            "bureau_score", "numeric", edges=[580.0, 640.5, 700.0, 760.0], specials=[(0.0,)],
            woe_regular=[-1.1, -0.45, 0.05, 0.52, 0.91], woe_specials=[-0.3],
            woe_missing=-0.2),
        "utilization": spec_from_table(
            "utilization", "numeric", edges=[0.1, 0.3, 0.7], woe_regular=[0.6, 0.2, -0.3, -0.8],
            woe_missing=0.0),
        "age_years": spec_from_table(
            "age_years", "numeric", edges=[25, 35, 50], woe_regular=[-0.4, -0.1, 0.2, 0.35],
            woe_missing=-0.05),
        "housing": spec_from_table(
            "housing", "categorical", groups=[["own", "mortgage"], ["rent"]],
            woe_regular=[0.3, -0.25], woe_missing=-0.1, woe_other=-0.15),
        "education": spec_from_table(
            "education", "categorical", groups=[["master", "phd"], ["bachelor"], ["high_school"]],
            woe_regular=[0.4, 0.1, -0.3], woe_missing=0.0, woe_other=-0.2),
    }
    coef = {"bureau_score": -0.9, "utilization": -0.7, "age_years": -0.5, "housing": -0.6,
            "education": -0.4}
    return Scorecard.from_parts(bins, coef=coef, intercept=-2.1)


def test_spark_sql_equals_predict_points_and_survives_saving(book, spark_book):
    apps = book["applications"]
    card = application_card()
    saved = Scorecard.from_json(card.to_json())
    expected = card.predict_points(apps)
    assert np.array_equal(saved.predict_points(apps), expected)

    got = to_pandas(score_spark(saved, spark_book["applications"], id_col="application_id"))
    got = got.set_index("application_id")["points"].reindex(apps["application_id"])
    assert np.array_equal(got.to_numpy(), expected)

    con = duckdb.connect()
    con.register("applicants", apps[["application_id", *card.variables_]])
    in_duckdb = con.sql(saved.to_sql("duckdb", id_col="application_id")).df()
    assert np.array_equal(in_duckdb["points"].to_numpy(), expected)
    assert len(np.unique(expected)) > 50  # the card tells the applicants apart


def test_scoring_errors_name_the_fix(spark, spark_book):
    card = application_card()
    apps = spark_book["applications"]
    with pytest.raises(SchemaError, match=r"lack column\(s\) \['housing'\].*withColumnRenamed"):
        score_spark(card, apps.drop("housing"))
    with pytest.raises(SchemaError, match=r"applicants.bureau_score is string.*cast\('double'\)"):
        score_spark(card, apps.withColumn("bureau_score", apps["bureau_score"].cast("string")))
    with pytest.raises(SchemaError, match=r"applicants.housing is bigint.*cast\('string'\)"):
        score_spark(card, apps.withColumn("housing", apps["inquiries_6m"]))
    with pytest.raises(ParameterError, match="Spark DataFrame"):
        score_spark(card, pd.DataFrame({"bureau_score": [600.0]}))
    with pytest.raises(ParameterError, match="fitted Scorecard"):
        score_spark(Scorecard(), apps)
    pts = to_pandas(score_spark(card, from_pandas(spark, pd.DataFrame(
        {"bureau_score": [None, 0.0], "utilization": [0.5, None], "age_years": [30, None],
         "housing": ["boat", None], "education": [None, "phd"]}).astype(
        {"bureau_score": "float64", "utilization": "float64", "age_years": "Int64"}))))
    assert len(pts) == 2 and pts["points"].notna().all()
