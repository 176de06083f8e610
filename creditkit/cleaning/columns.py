"""Which fields of a raw export cleaning reads, recognised by the shared header table.

Headers are recognised by :mod:`creditkit.columns` (one normalisation, one
synonym table, shared with :func:`creditkit.io.read_table`), so a file read
with ``table=`` and the same frame cleaned map every header identically.
Amount headers map to ``amount`` (major units, ``1,234.50``) unless they are
the canonical ``*_minor`` names (integer minor units).

Examples
--------
>>> import pandas as pd
>>> recognise_columns(pd.DataFrame(columns=["账单号", "客户编号", "金额(元)", "到期日"]), "bills")
{'账单号': 'bill_id', '客户编号': 'customer_id', '金额(元)': 'amount', '到期日': 'due_date'}
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from creditkit.columns import (
    HEADER_SYNONYMS,
    canonical_column,
    check_column_map,
    repeated_headers,
    table_headers,
)
from creditkit.deprecation import warn_deprecated
from creditkit.exceptions import ParameterError, SchemaError

__all__ = ["FIELDS", "recognise_columns"]

#: Fields cleaning reads per table: canonical columns, with ``amount``/``credit_limit``
#: standing for major-unit amounts next to the ``*_minor`` canonical names.
FIELDS: dict[str, tuple[str, ...]] = {
    table: table_headers(table) for table in ("customers", "bills", "payments")
}


def __getattr__(name: str) -> Any:
    # ALIASES was this module's own synonym table; the one table now lives in creditkit.columns
    if name == "ALIASES":
        warn_deprecated("creditkit.cleaning.columns.ALIASES",
                        "creditkit.columns.HEADER_SYNONYMS")
        return HEADER_SYNONYMS
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def recognise_columns(
    df: pd.DataFrame, table: str, *, column_map: Mapping[str, str] | None = None
) -> dict[str, str]:
    """Map the headers of ``df`` to the fields cleaning reads for ``table``.

    Parameters
    ----------
    df : DataFrame
        The raw frame; only its column names are read.
    table : {"customers", "bills", "payments"}
        Which table the frame holds.
    column_map : mapping, optional
        Your headers to fields, applied first (e.g. ``{"单据": "bill_id"}``).

    Returns
    -------
    dict
        Header -> field, for the headers recognised (by
        :func:`creditkit.columns.canonical_column`).

    Raises
    ------
    ParameterError
        When ``table`` is not one cleaning handles, or ``column_map`` names a
        field that table does not have.
    SchemaError
        When a ``column_map`` key is not a column of ``df``, or two columns
        mean one field and ``column_map`` does not choose between them
        (``amount`` and ``金额``; ``amount`` twice, or ``amount`` and
        ``amount.1`` as a reader renames a repeated header): neither is
        dropped silently.

    Examples
    --------
    >>> import pandas as pd
    >>> recognise_columns(pd.DataFrame(columns=["Pay No", "amt"]), "payments",
    ...                   column_map={"Pay No": "payment_id"})
    {'Pay No': 'payment_id', 'amt': 'amount'}
    """
    if table not in FIELDS:
        raise ParameterError(
            f"cleaning handles tables {sorted(FIELDS)}, got {table!r}; "
            "pass table='customers', 'bills' or 'payments'")
    found: dict[str, str] = {}
    for src, field in check_column_map(column_map, table).items():
        if src not in df.columns:
            raise SchemaError(
                f"column_map names {src!r}, which is not a column; "
                f"got columns {list(map(str, df.columns))}")
        found[src] = field
    used = dict(zip(found.values(), found, strict=True))
    repeats = repeated_headers(df.columns)
    for col in df.columns:
        if col in found:
            continue
        field = canonical_column(col, table=table)
        if field is None or (field in used and used[field] in (column_map or {})):
            continue  # unknown, or a field the caller's column_map already chose
        if str(col) in repeats or field in used:
            first = used.get(field, col)
            raise SchemaError(
                f"columns {first!r} and {_other(repeats, col, first)!r} both mean {field!r}; "
                "creditkit will not keep one and drop the other silently: rename or delete "
                f"one, or pass column_map={{{first!r}: {field!r}}} to choose it")
        found[col] = field
        used[field] = col
    return found


def _other(repeats: dict[str, list[str]], col: Any, first: Any) -> str:
    """The second column of a clash: ``col``, or the copy of a repeated header."""
    if col != first:
        return str(col)
    return next(c for c in repeats[str(col)] if c != str(col) or repeats[str(col)].count(c) > 1)
