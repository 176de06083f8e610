"""Scorecards deployed on Spark: the card's SQL (``to_sql(dialect="spark")``) run by Spark SQL.

A card is one SELECT of ``CASE`` expressions (:func:`creditkit.scoring.sql.to_sql`):
no Python runs per row and no UDF is needed, so Spark plans it like any
query and it scales with the cluster. Its doubles are written so that they
read back as the same doubles, so the points equal ``predict_points`` exactly
(the tests compare pandas, DuckDB and Spark on a saved and reloaded card).
"""

from __future__ import annotations

import itertools
from typing import Any

from creditkit.exceptions import ParameterError, SchemaError
from creditkit.scoring.cardspec import NUMERIC
from creditkit.scoring.pairbins import PAIR
from creditkit.scoring.sql import to_sql
from creditkit.spark.frames import spark_types
from creditkit.spark.session import quiet

__all__ = ["score_spark"]

_NUMBERS = ("tinyint", "smallint", "int", "bigint", "float", "double")
_views = itertools.count()


def score_spark(card: Any, applicants: Any, *, id_col: str | None = None,
                points_col: str = "points") -> Any:
    """Score a Spark DataFrame with a scorecard's Spark SQL; one row of points per row.

    Parameters
    ----------
    card : Scorecard, SegmentedScorecard or BehaviourCard
        A fitted or loaded card (``Scorecard.from_json``), two-variable bins
        included; a segmented card reads its segment column too; a behaviour
        card scores with its scorecard.
    applicants : pyspark.sql.DataFrame
        One column per variable of the card: numbers for numeric variables,
        strings for categorical ones (nulls score in the card's missing bin).
    id_col : str, optional
        A column carried beside the points (e.g. ``application_id``).
    points_col : str, default "points"

    Returns
    -------
    pyspark.sql.DataFrame
        Lazy: (``id_col``,) ``points_col`` (double), in the rows' order.

    Raises
    ------
    ParameterError
        Not a fitted card, or not a Spark DataFrame.
    SchemaError
        A variable of the card (or ``id_col``) is not a column, or has the
        wrong type (a number read as text, or the reverse).

    Examples
    --------
    >>> from creditkit.scoring.examples import example_card
    >>> points = score_spark(example_card(), spark.createDataFrame([(25,), (40,)], "age int"))
    ... # doctest: +SKIP
    """
    card = getattr(card, "scorecard", card)
    cards = [card.fallback_, *card.cards_.values()] if hasattr(card, "fallback_") else [card]
    if not all(hasattr(c, "points_") and hasattr(c, "bins_") for c in cards):
        raise ParameterError("card must be a fitted Scorecard (fit it, or load one with "
                             "Scorecard.from_json)")
    types = spark_types(applicants, "applicants")
    # the input columns the card reads: a variable's own, both of a pair's (2D bins), and
    # a segmented card's segment column beside every segment card's
    inputs = {c.name: c for one in cards for v in one.variables_
              for c in _input_bins(one.bins_[v])}
    segment = [card.segment] if hasattr(card, "fallback_") else []
    need = [*segment, *inputs, *([id_col] if id_col else [])]
    missing = [c for c in need if c not in types]
    if missing:
        raise SchemaError(f"applicants lack column(s) {missing} the card reads; got "
                          f"{sorted(types)}; rename yours with withColumnRenamed")
    for name, spec in inputs.items():
        numeric = spec.kind == NUMERIC
        got = types[name]
        if numeric and got not in _NUMBERS and not got.startswith("decimal"):
            raise SchemaError(f"applicants.{name} is {got}; the card bins it as a number: "
                              f"F.col('{name}').cast('double')")
        if not numeric and got != "string":
            raise SchemaError(f"applicants.{name} is {got}; the card groups it as text: "
                              f"F.col('{name}').cast('string')")
    view = f"creditkit_applicants_{next(_views)}"
    applicants.createOrReplaceTempView(view)
    with quiet():
        return applicants.sparkSession.sql(
            card.to_sql("spark", table=view, id_col=id_col, points_col=points_col)
            if hasattr(card, "fallback_") else
            to_sql(card, "spark", table=view, id_col=id_col, points_col=points_col))


def _input_bins(spec: Any) -> tuple[Any, ...]:
    """The 1D bins behind a card variable: itself, or the two variables of a pair."""
    return (spec.x, spec.y) if spec.kind == PAIR else (spec,)
