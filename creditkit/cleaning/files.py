"""Cleaning a file end to end: what ``creditkit clean`` runs.

``clean_file(path, table, out_dir)`` reads the file raw with
:func:`creditkit.io.read_table`, cleans it, and writes three files:

- ``clean.parquet``: the canonical table;
- ``quarantine.csv``: quarantined and merged rows, UTF-8 *with* a byte-order
  mark, because Excel on Windows (how most analysts open a CSV) reads a
  BOM-less UTF-8 file as the ANSI code page and shows Chinese as mojibake;
  pandas, DuckDB and Python's csv module read the BOM transparently;
- ``quality.json``: :func:`creditkit.cleaning.quality_report`.

It raises (so the CLI exits non-zero) only when the file itself is unusable:
missing, unreadable, or with no recognisable column.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from creditkit.cleaning.clean import clean_bills, clean_customers, clean_payments
from creditkit.cleaning.quality import quality_report
from creditkit.cleaning.quarantine import CleanResult, takes_clean_result
from creditkit.exceptions import ParameterError

__all__ = ["CLEANERS", "clean_file", "write_result"]

#: table name -> cleaning function.
CLEANERS = {"customers": clean_customers, "bills": clean_bills, "payments": clean_payments}


@takes_clean_result
def write_result(result: CleanResult, out_dir: str | os.PathLike[str]) -> dict[str, Path]:
    """Write ``clean.parquet``, ``quarantine.csv`` (UTF-8 with BOM) and ``quality.json``.

    Returns
    -------
    dict
        ``{"clean": path, "quarantine": path, "quality": path}``.

    Examples
    --------
    >>> import tempfile, pandas as pd
    >>> from creditkit.cleaning import clean_customers
    >>> res = clean_customers(pd.DataFrame({"customer_id": ["C1"], "name": ["A"],
    ...                                     "kind": ["个人"]}))
    >>> sorted(p.name for p in write_result(res, tempfile.mkdtemp()).values())
    ['clean.parquet', 'quality.json', 'quarantine.csv']
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    paths = {"clean": out / "clean.parquet", "quarantine": out / "quarantine.csv",
             "quality": out / "quality.json"}
    result.clean.to_parquet(paths["clean"], index=False)
    merged = result.merged.assign(
        message="exact duplicate of source row " + result.merged["surviving_source_row"]
        .astype("str"), column="*")
    held = pd.concat([result.quarantine, merged[[c for c in result.quarantine.columns
                                                  if c in merged.columns]]],
                     ignore_index=True).sort_values("source_row", kind="stable")
    held.to_csv(paths["quarantine"], index=False, encoding="utf-8-sig")
    paths["quality"].write_text(
        json.dumps(quality_report(result), ensure_ascii=False, indent=2, default=str),
        encoding="utf-8")
    return paths


def clean_file(path: str | os.PathLike[str], table: str, out_dir: str | os.PathLike[str],
               *, encoding: str | None = None, sheet: str | int | None = None,
               column_map: Mapping[str, str] | None = None, **options: Any) -> dict[str, Any]:
    """Read, clean and write one file; return the summary the CLI prints.

    Parameters
    ----------
    path : str or path-like
        CSV/TSV/XLSX/Parquet/DuckDB file (see :func:`creditkit.io.read_table`).
    table : {"customers", "bills", "payments"}
        What the file holds.
    out_dir : str or path-like
        Folder for ``clean.parquet``, ``quarantine.csv``, ``quality.json``.
    encoding : str, optional
        Text encoding of a CSV/TSV file (``"big5"``, ``"latin-1"``...);
        detected (UTF-8 or GB18030) when omitted.
    sheet : str or int, optional
        Worksheet of an XLSX file, by name or 0-based position (default: the
        first), or the table of a DuckDB file.
    column_map : mapping, optional
        ``{your header: creditkit name}``; wins over the built-in synonyms.
    **options
        Passed to the cleaning function (``dayfirst=``, ``decimal=``,
        ``as_of=``, ``default_currency=``...).

    Returns
    -------
    dict
        :meth:`CleanResult.summary` plus ``source``, ``encoding`` and ``outputs``.

    Raises
    ------
    ParameterError
        When ``table`` is not customers, bills or payments, or an option is
        one the cleaning function rejects (``dayfirst``, ``decimal``, ``as_of``...).
    DataReadError
        When the file is missing, unreadable or has no recognisable column.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (d / "p.csv").write_text("流水号,回款日期,金额\\nP1,2025-01-02,10\\nP2,bad,5\\n")
    >>> s = clean_file(d / "p.csv", "payments", d / "out")
    >>> s["rows_clean"], s["quarantine_by_reason"]
    (1, {'unparseable_date': 1})
    """
    from creditkit.io import read_table

    if table not in CLEANERS:
        raise ParameterError(
            f"table must be one of {sorted(CLEANERS)}, got {table!r}; pass --table bills etc.")
    df = read_table(path, table=table, column_map=column_map, sheet=sheet, encoding=encoding)
    result = CLEANERS[table](df, **options)
    paths = write_result(result, out_dir)
    summary = result.summary()
    summary.update(source=str(path), encoding=df.attrs.get("encoding"),
                   outputs={k: str(v) for k, v in paths.items()})
    return summary
