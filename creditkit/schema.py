"""Canonical tables of creditkit: column names, dtypes, keys and personal data.

This module is the data model: every module of creditkit reads and writes
these tables under these names, so a file cleaned once can be aged, scored
and reported without renaming anything (``docs/architecture.md`` draws the
whole map). Money is ``int64`` minor units in columns ending ``_minor`` next
to a ``currency`` column, never a float; dates are timezone-naive
``datetime64`` at midnight; ids are strings. A payment row's ``kind`` says
what it is: ``payment`` (cash received), ``credit_note`` or ``write_off``;
all three lower what a customer owes, only the first is money collected.

Examples
--------
>>> import pandas as pd
>>> from creditkit.schema import validate
>>> bills = pd.DataFrame({
...     "bill_id": ["B1"], "invoice_id": ["I1"], "customer_id": ["C1"],
...     "issue_date": pd.to_datetime(["2025-01-01"]),
...     "due_date": pd.to_datetime(["2025-01-31"]),
...     "amount_minor": [10000], "currency": ["CNY"], "kind": ["invoice"]})
>>> validate(bills, "bills") is bills
True
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd
from pandas.api import types as ptypes

from creditkit.exceptions import SchemaError

__all__ = [
    "BILL_KINDS",
    "CHANNELS",
    "CUSTOMER_KINDS",
    "PAYMENT_KINDS",
    "TABLES",
    "Column",
    "Table",
    "coerce",
    "empty",
    "personal_columns",
    "validate",
]

#: Values of ``customers.kind``.
CUSTOMER_KINDS = ("consumer", "business")
#: Values of ``bills.kind``.
BILL_KINDS = ("invoice", "instalment", "fee")
#: Values of ``payments.kind``: credit notes and write-offs reduce bills like payments.
PAYMENT_KINDS = ("payment", "credit_note", "write_off")
#: Values of ``payments.channel``.
CHANNELS = ("bank_transfer", "card", "alipay", "wechat", "auto_debit", "cash")


@dataclass(frozen=True)
class Column:
    """One column of a canonical table.

    ``dtype`` is one of ``"string"``, ``"date"``, ``"money"`` (int64 minor
    units), ``"int"``, ``"float"``. ``personal`` marks data that reports mask.
    ``pii`` says how to mask it: ``"name"``, ``"id_number"``, ``"phone"``,
    ``"card"`` or ``"text"``.
    """

    name: str
    dtype: str
    required: bool = True
    personal: bool = False
    pii: str | None = None


@dataclass(frozen=True)
class Table:
    """A canonical table: its key and its columns in order."""

    name: str
    key: tuple[str, ...]
    columns: tuple[Column, ...]

    @property
    def names(self) -> list[str]:
        """Column names in canonical order."""
        return [c.name for c in self.columns]

    @property
    def required(self) -> list[str]:
        """Names of the columns that must be present."""
        return [c.name for c in self.columns if c.required]

    def column(self, name: str) -> Column:
        """The column called ``name``."""
        for c in self.columns:
            if c.name == name:
                return c
        raise SchemaError(f"table {self.name!r} has no column {name!r}; columns are {self.names}")


def _c(name: str, dtype: str, required: bool = True, pii: str | None = None) -> Column:
    return Column(name, dtype, required, pii is not None, pii)


TABLES: dict[str, Table] = {
    "customers": Table("customers", ("customer_id",), (
        _c("customer_id", "string"),
        _c("name", "string", pii="name"),
        _c("kind", "string"),
        _c("id_number", "string", False, pii="id_number"),
        _c("phone", "string", False, pii="phone"),
        _c("region", "string", False),
        _c("industry", "string", False),
        _c("open_date", "date", False),
        _c("credit_limit_minor", "money", False),
        _c("currency", "string", False),
        _c("external_rating", "string", False),
    )),
    "applications": Table("applications", ("application_id",), (
        _c("application_id", "string"),
        _c("customer_id", "string"),
        _c("application_date", "date"),
        _c("target", "int", False),
    )),
    "transactions": Table("transactions", ("txn_id",), (
        _c("txn_id", "string"),
        _c("customer_id", "string"),
        _c("txn_date", "date"),
        _c("amount_minor", "money"),
        _c("currency", "string"),
        _c("category", "string", False),
        _c("channel", "string", False),
    )),
    "bills": Table("bills", ("bill_id",), (
        _c("bill_id", "string"),
        _c("invoice_id", "string"),
        _c("customer_id", "string"),
        _c("issue_date", "date"),
        _c("due_date", "date"),
        _c("amount_minor", "money"),
        _c("currency", "string"),
        _c("kind", "string", False),
    )),
    "payments": Table("payments", ("payment_id",), (
        _c("payment_id", "string"),
        _c("customer_id", "string", False),
        _c("paid_date", "date"),
        _c("amount_minor", "money"),
        _c("currency", "string"),
        _c("kind", "string", False),
        _c("channel", "string", False),
        _c("reference", "string", False),
        _c("payer_name", "string", False, pii="name"),
        _c("bill_id", "string", False),
        _c("invoice_id", "string", False),
    )),
    "allocations": Table("allocations", ("payment_id", "bill_id"), (
        _c("payment_id", "string"),
        _c("bill_id", "string"),
        _c("customer_id", "string", False),
        _c("amount_minor", "money"),
        _c("method", "string"),
        _c("confidence", "float", False),
    )),
    "snapshots": Table("snapshots", ("as_of", "customer_id"), (
        _c("as_of", "date"),
        _c("customer_id", "string"),
        _c("score", "float", False),
        _c("pd", "float", False),
        _c("tier", "string", False),
        _c("limit_minor", "money", False),
        _c("outstanding_minor", "money", False),
        _c("dpd", "int", False),
        _c("bucket", "string", False),
        # added by store schema 2 (creditkit 0.2): the credit file of a date
        _c("currency", "string", False),
        _c("scorecard", "string", False),
        _c("scorecard_version", "string", False),
        _c("tier_rule", "string", False),
        _c("tier_values", "string", False),
        _c("value_segment", "string", False),
        _c("tags", "string", False),
        _c("restriction_level", "string", False),
        _c("restriction_reason", "string", False),
        _c("term_days", "int", False),
        _c("past_due_minor", "money", False),
        _c("open_alerts", "int", False),
        _c("alert_ids", "string", False),
        _c("dunning_level", "int", False),
    )),
    # optional tables (make_portfolio(signals=True)): what payment processors and collectors log
    "debit_attempts": Table("debit_attempts", ("attempt_id",), (
        _c("attempt_id", "string"),
        _c("customer_id", "string"),
        _c("bill_id", "string", False),
        _c("attempt_date", "date"),
        _c("amount_minor", "money"),
        _c("currency", "string"),
        _c("status", "string"),
        _c("payment_id", "string", False),
    )),
    "promises": Table("promises", ("promise_id",), (
        _c("promise_id", "string"),
        _c("customer_id", "string"),
        _c("bill_id", "string", False),
        _c("promise_date", "date"),
        _c("pay_by", "date"),
        _c("amount_minor", "money"),
        _c("currency", "string", False),
    )),
}


def _table(table: str | Table) -> Table:
    if isinstance(table, Table):
        return table
    try:
        return TABLES[table]
    except KeyError:
        raise SchemaError(
            f"unknown table {table!r}; expected one of {sorted(TABLES)}"
        ) from None


def personal_columns(table: str | Table) -> dict[str, str]:
    """Columns of ``table`` that hold personal data, mapped to their masking kind.

    Examples
    --------
    >>> personal_columns("customers")
    {'name': 'name', 'id_number': 'id_number', 'phone': 'phone'}
    """
    return {c.name: c.pii for c in _table(table).columns if c.personal and c.pii}


def _dtype_ok(s: pd.Series, dtype: str) -> bool:
    if dtype == "date":
        return ptypes.is_datetime64_any_dtype(s) and getattr(s.dt, "tz", None) is None
    if dtype in ("money", "int"):
        return ptypes.is_integer_dtype(s)
    if dtype == "float":
        return ptypes.is_float_dtype(s) or ptypes.is_integer_dtype(s)
    if dtype == "string":
        return ptypes.is_string_dtype(s) or ptypes.is_object_dtype(s)
    return True


_EXPECTED = {
    "date": "naive datetime64 (use pd.to_datetime, or creditkit.cleaning for mixed formats)",
    "money": "int64 minor units (use creditkit.money.to_minor_units)",
    "int": "an integer dtype",
    "float": "a numeric dtype",
    "string": "text (str or object dtype)",
}


def validate(
    df: pd.DataFrame,
    table: str | Table,
    *,
    column_map: Mapping[str, str] | None = None,
    strict_dtypes: bool = True,
) -> pd.DataFrame:
    """Check that ``df`` has the columns and dtypes of a canonical table.

    Parameters
    ----------
    df : DataFrame
        The frame to check. It is not modified.
    table : str or Table
        One of ``TABLES`` (``"customers"``, ``"bills"``, ``"payments"``, …).
    column_map : mapping, optional
        Your column names to creditkit's, e.g. ``{"单号": "bill_id"}``. When
        given, the renamed frame is returned.
    strict_dtypes : bool, default True
        Also check dtypes (money must be integer minor units, dates datetime64).

    Returns
    -------
    DataFrame
        ``df`` itself, or a renamed copy when ``column_map`` is given.

    Raises
    ------
    SchemaError
        Naming the missing or mistyped columns, what arrived, and how to map them.

    Examples
    --------
    >>> import pandas as pd
    >>> validate(pd.DataFrame({"id": ["1"], "amount": [1]}), "bills")
    ... # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    creditkit.exceptions.SchemaError: missing column(s) ['bill_id', ...] in bills; ...
    """
    if not isinstance(df, pd.DataFrame):
        raise SchemaError(f"expected a pandas DataFrame for {table!r}, got {type(df).__name__}")
    t = _table(table)
    if column_map:
        unknown = sorted(set(column_map.values()) - set(t.names))
        if unknown:
            raise SchemaError(
                f"column_map targets {unknown} are not columns of {t.name}; "
                f"valid targets are {t.names}"
            )
        df = df.rename(columns=dict(column_map))
    missing = [c for c in t.required if c not in df.columns]
    if missing:
        raise SchemaError(
            f"missing column(s) {missing} in {t.name}; got {list(map(str, df.columns))}; "
            f"pass column_map={{'your name': {missing[0]!r}, ...}} to map yours"
        )
    if strict_dtypes:
        bad = [
            (c.name, str(df[c.name].dtype), _EXPECTED[c.dtype])
            for c in t.columns
            if c.name in df.columns and not _dtype_ok(df[c.name], c.dtype)
        ]
        if bad:
            detail = "; ".join(f"{n} is {got}, expected {want}" for n, got, want in bad)
            raise SchemaError(f"wrong dtype(s) in {t.name}: {detail}")
    return df


def coerce(df: pd.DataFrame, table: str | Table) -> pd.DataFrame:
    """Return a copy of ``df`` with the canonical dtypes of ``table``.

    Dates become ``datetime64[ns]`` normalised to midnight, money and int
    columns ``int64`` (they must already be whole numbers), ids ``str``.
    Optional columns that are absent are added empty.

    Examples
    --------
    >>> import pandas as pd
    >>> out = coerce(pd.DataFrame({"payment_id": [1], "paid_date": ["2025-01-02"],
    ...     "amount_minor": [500], "currency": ["CNY"]}), "payments")
    >>> out["payment_id"].tolist(), str(out["paid_date"].dtype)
    (['1'], 'datetime64[ns]')
    """
    t = _table(table)
    out = validate(df, t, strict_dtypes=False).copy()
    for c in t.columns:
        if c.name not in out.columns:
            out[c.name] = _empty_series(c.dtype, len(out), out.index)
            continue
        s = out[c.name]
        try:
            if c.dtype == "date":
                out[c.name] = pd.to_datetime(s).dt.tz_localize(None).dt.normalize().astype(
                    "datetime64[ns]")
            elif c.dtype in ("money", "int"):
                if s.isna().any():
                    if c.dtype == "money" and c.required:
                        raise SchemaError(
                            f"{t.name}.{c.name} has {int(s.isna().sum())} missing amount(s); "
                            "clean them first (creditkit.cleaning quarantines them)")
                    out[c.name] = s.astype("Int64")
                else:
                    out[c.name] = s.astype("int64")
            elif c.dtype == "float":
                out[c.name] = s.astype("float64")
            else:
                out[c.name] = s.astype(object).where(s.notna(), None).map(
                    lambda v: v if v is None else str(v))
        except SchemaError:
            raise
        except (TypeError, ValueError) as exc:
            raise SchemaError(
                f"cannot convert {t.name}.{c.name} to {_EXPECTED[c.dtype]}: {exc}"
            ) from None
    return out


def _empty_series(dtype: str, n: int, index: pd.Index) -> pd.Series:
    if dtype == "date":
        return pd.Series(pd.NaT, index=index, dtype="datetime64[ns]")
    if dtype in ("money", "int"):
        return pd.Series(pd.NA, index=index, dtype="Int64")
    if dtype == "float":
        return pd.Series(float("nan"), index=index, dtype="float64")
    return pd.Series([None] * n, index=index, dtype=object)


def empty(table: str | Table) -> pd.DataFrame:
    """An empty frame with the columns and dtypes of ``table``.

    Examples
    --------
    >>> list(empty("allocations").columns)
    ['payment_id', 'bill_id', 'customer_id', 'amount_minor', 'method', 'confidence']
    """
    t = _table(table)
    idx = pd.RangeIndex(0)
    return pd.DataFrame({c.name: _empty_series(c.dtype, 0, idx) for c in t.columns})
