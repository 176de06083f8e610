"""Deploy a scorecard as SQL: one CASE WHEN per variable, summed in card order.

The query returns the same points as ``Scorecard.predict_points``, bit for bit
(checked by the tests in DuckDB, and live in PostgreSQL and Spark SQL when they
are installed): each bin's points are written as an exact double literal (the
shortest decimal that round-trips, cast to DOUBLE) and the per-variable terms
are added left to right, the order ``predict_points`` adds them in.

Bins are tested in the order NULL (missing), special values, then the
intervals ``x < e1``, ``x < e2``, … (left-closed, right-open, as in the
binning), the last interval being the ELSE branch; for a categorical variable
the category groups, then special values, with unseen categories in ELSE (the
"other" bin). Identifiers are quoted per dialect (``"x"`` in DuckDB and
PostgreSQL, `` `x` `` in Spark SQL) and string literals escaped per dialect.
"""

from __future__ import annotations

import math
import re

import numpy as np

from creditkit.exceptions import ParameterError
from creditkit.scoring.cardspec import NUMERIC, VariableBins
from creditkit.scoring.pairbins import PAIR

__all__ = ["DIALECTS", "points_expression", "to_sql"]

DIALECTS = ("duckdb", "spark", "postgres")
_DOUBLE = {"duckdb": "DOUBLE", "spark": "DOUBLE", "postgres": "DOUBLE PRECISION"}


def quote_ident(name: str, dialect: str) -> str:
    """Quote an identifier (possibly schema-qualified with dots) for ``dialect``.

    Examples
    --------
    >>> quote_ident('a"b', "duckdb"), quote_ident("a`b", "spark")
    ('"a""b"', '`a``b`')
    """
    if dialect == "spark":
        return "`" + name.replace("`", "``") + "`"
    return '"' + name.replace('"', '""') + '"'


def table_ref(table: str, dialect: str) -> str:
    """``table`` (or ``schema.table``) quoted for ``dialect``.

    Examples
    --------
    >>> table_ref("s.t", "spark")
    '`s`.`t`'
    """
    # "schema.table" is split on dots; a name with other characters is quoted whole
    if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*", table):
        return ".".join(quote_ident(p, dialect) for p in table.split("."))
    return quote_ident(table, dialect)


def string_literal(value: str, dialect: str) -> str:
    """``value`` as an SQL string literal of ``dialect``.

    Examples
    --------
    >>> string_literal("it's", "duckdb")
    "'it''s'"
    """
    text = str(value)
    if dialect == "spark":  # Spark SQL processes backslash escapes inside literals
        return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"
    return "'" + text.replace("'", "''") + "'"


def double_literal(value: float, dialect: str) -> str:
    """``value`` as an SQL double literal that reads back as exactly the same double.

    Parameters
    ----------
    value : float
        A finite number.
    dialect : {"duckdb", "spark", "postgres"}

    Returns
    -------
    str

    Raises
    ------
    ParameterError
        For a non-finite number.

    Examples
    --------
    >>> double_literal(0.1, "postgres")
    'CAST(1E-01 AS DOUBLE PRECISION)'
    """
    v = float(value)
    if not math.isfinite(v):
        raise ParameterError(f"cannot write the non-finite number {v!r} into SQL; refit the card")
    # repr() is the shortest decimal that reads back as the same double; the
    # exponent form makes every dialect parse it as a number, the CAST as a double
    text = np.format_float_scientific(v, unique=True, trim="-").replace("e+", "E").replace("e", "E")
    return f"CAST({text} AS {_DOUBLE[dialect]})"


def _case(spec, points: np.ndarray, dialect: str) -> str:
    if spec.kind == PAIR:  # the cell (group of x, group of y), then its points
        gx = _bin_case(spec.x, [str(g) for g in spec.x_groups], dialect)
        gy = _bin_case(spec.y, [str(g) for g in spec.y_groups], dialect)
        cells = [f"WHEN {i} THEN {double_literal(p, dialect)}" for i, p in enumerate(points)]
        return (f"CASE ({gx}) * {spec.n_y} + ({gy})\n      " + "\n      ".join(cells)
                + "\n    END")
    return _bin_case(spec, [double_literal(p, dialect) for p in points], dialect)


def _bin_case(spec: VariableBins, points: list[str], dialect: str) -> str:
    """CASE giving the SQL text ``points[i]`` for the values of bin i."""
    col = quote_ident(spec.name, dialect)
    lines = [f"WHEN {col} IS NULL THEN {points[spec.missing_index]}"]
    for k, group in enumerate(spec.specials):
        if spec.kind == NUMERIC:
            values = ", ".join(double_literal(float(v), dialect) for v in group)
        else:
            values = ", ".join(string_literal(v, dialect) for v in group)
        lines.append(f"WHEN {col} IN ({values}) THEN {points[spec.n_regular + k]}")
    if spec.kind == NUMERIC:
        for i, edge in enumerate(spec.edges):
            lines.append(f"WHEN {col} < {double_literal(edge, dialect)} THEN {points[i]}")
        lines.append(f"ELSE {points[spec.n_regular - 1]}")
    else:
        for i, group in enumerate(spec.groups):
            values = ", ".join(string_literal(v, dialect) for v in group)
            lines.append(f"WHEN {col} IN ({values}) THEN {points[i]}")
        lines.append(f"ELSE {points[spec.other_index]}")
    return "CASE\n      " + "\n      ".join(lines) + "\n    END"


def to_sql(card, dialect: str = "duckdb", *, table: str = "applicants",
           id_col: str | None = None, points_col: str = "points") -> str:
    """A SELECT that scores every row of ``table`` with ``card``.

    Parameters
    ----------
    card : Scorecard
        A fitted (or loaded) scorecard.
    dialect : {"duckdb", "spark", "postgres"}
        SQL dialect: identifier quoting, string escapes and the double type.
    table : str
        Table (or ``schema.table``) to read.
    id_col : str, optional
        Column to carry alongside the points (e.g. ``application_id``).
    points_col : str
        Name of the output column.

    Returns
    -------
    str
        ``SELECT [id,] (CASE … END) + (CASE … END) + … AS points FROM table``.

    Raises
    ------
    ParameterError
        Unknown dialect or a card that is not fitted.

    Examples
    --------
    >>> import duckdb, pandas as pd
    >>> from creditkit.scoring.examples import example_card
    >>> card = example_card()
    >>> applicants = pd.DataFrame({"age": [25, 40, None]})
    >>> sql_points = duckdb.sql(card.to_sql()).df()["points"].tolist()
    >>> sql_points == card.predict_points(applicants).tolist()
    True
    """
    if dialect not in DIALECTS:
        raise ParameterError(f"dialect must be one of {DIALECTS}; got {dialect!r}")
    if not hasattr(card, "points_"):
        raise ParameterError("the scorecard is not fitted; call fit(X, y) or Scorecard.from_json")
    head = f"{quote_ident(id_col, dialect)},\n  " if id_col else ""
    body = points_expression(card, dialect)
    return (f"SELECT\n  {head}{body}\n  AS {quote_ident(points_col, dialect)}\n"
            f"FROM {table_ref(table, dialect)}")


def points_expression(card, dialect: str = "duckdb") -> str:
    """The SQL expression of a card's points: its variables' CASEs added in card order.

    Examples
    --------
    >>> from creditkit.scoring.examples import example_card
    >>> points_expression(example_card()).startswith("(CASE")
    True
    """
    if dialect not in DIALECTS:
        raise ParameterError(f"dialect must be one of {DIALECTS}; got {dialect!r}")
    return "\n  + ".join(f"({_case(card.bins_[v], card.points_[v], dialect)})"
                          for v in card.variables_)
