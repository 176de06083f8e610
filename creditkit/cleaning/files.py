"""Cleaning a file end to end: what ``creditkit clean`` runs.

``clean_file(path, table, out_dir)`` reads the file raw with
:func:`creditkit.io.read_table`, cleans it, and writes three files:

- ``clean.parquet``: the canonical table;
- ``quarantine.csv``: quarantined and merged rows, UTF-8 *with* a byte-order
  mark, because Excel on Windows (how most analysts open a CSV) reads a
  BOM-less UTF-8 file as the ANSI code page and shows Chinese as mojibake;
  pandas, DuckDB and Python's csv module read the BOM transparently;
- ``quality.json``: :func:`creditkit.cleaning.quality_report`.

Every file is written atomically and ``quarantine.csv`` cannot execute in a
spreadsheet (:mod:`creditkit.export`: a text cell starting ``=``, ``+``,
``-``, ``@``, tab or CR gets one leading ``'``; strip it to recover the
original). ``clean.parquet`` keeps raw values. An output that would replace
the input file is refused before anything is read or written.

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
from creditkit.cleaning.quarantine import CleanResult, duplicate_messages, takes_clean_result
from creditkit.columns import check_column_map
from creditkit.exceptions import ParameterError
from creditkit.export import write_atomic, write_csv

__all__ = ["CLEANERS", "OUTPUTS", "clean_file", "write_result"]

#: table name -> cleaning function.
CLEANERS = {"customers": clean_customers, "bills": clean_bills, "payments": clean_payments}
#: output -> file name inside the output folder.
OUTPUTS = {"clean": "clean.parquet", "quarantine": "quarantine.csv", "quality": "quality.json"}


def _out_folder(out_dir: str | os.PathLike[str], inputs: tuple[Path, ...] = (), *,
                create: bool = True) -> dict[str, Path]:
    """The output paths, once the folder is a folder (created), writable and holds no input."""
    out = Path(out_dir)
    if out.exists() and not out.is_dir():
        raise ParameterError(
            f"out_dir {str(out)!r} is a file, not a folder; pass a folder for the three outputs "
            "(it is created when missing)")
    paths = {k: out / name for k, name in OUTPUTS.items()}
    for source in inputs:
        for path in paths.values():
            if path.exists() and source.exists() and os.path.samefile(path, source):
                raise ParameterError(
                    f"refusing to overwrite the input file {str(source)!r}: it is the {path.name} "
                    f"output of out_dir {str(out)!r}; pass another out_dir, or move the input "
                    "out of that folder first")
    if not create:
        return paths
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ParameterError(
            f"cannot create out_dir {str(out)!r} ({exc.strerror or exc}); pass a folder you "
            "can write to") from None
    if not os.access(out, os.W_OK | os.X_OK):
        raise ParameterError(
            f"out_dir {str(out)!r} is not writable; pass a folder you can write to")
    return paths


@takes_clean_result
def write_result(result: CleanResult, out_dir: str | os.PathLike[str]) -> dict[str, Path]:
    """Write ``clean.parquet``, ``quarantine.csv`` (UTF-8 with BOM) and ``quality.json``.

    Each file is written atomically; ``quarantine.csv`` goes through
    :func:`creditkit.export.write_csv`, so no cell of it runs as a formula.

    Raises
    ------
    ParameterError
        When ``out_dir`` is a file or cannot be created or written.

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
    paths = _out_folder(out_dir)
    write_atomic(paths["clean"], lambda tmp: result.clean.to_parquet(tmp, index=False))
    merged = result.merged.assign(message=duplicate_messages(result.merged), column="*")
    held = pd.concat([result.quarantine, merged[[c for c in result.quarantine.columns
                                                  if c in merged.columns]]],
                     ignore_index=True).sort_values("source_row", kind="stable")
    write_csv(held, paths["quarantine"])
    quality = json.dumps(quality_report(result), ensure_ascii=False, indent=2, default=str)
    write_atomic(paths["quality"], lambda tmp: tmp.write_text(quality, encoding="utf-8"))
    return paths


def clean_file(path: str | os.PathLike[str], table: str, out_dir: str | os.PathLike[str],
               *, encoding: str | None = None, sheet: str | int | None = None,
               column_map: Mapping[str, str] | None = None, format: str | None = None,
               memory_fraction: float | None = 0.8, **options: Any) -> dict[str, Any]:
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
        Checked against the fields of ``table`` before the file is read.
    format : {"csv", "tsv", "xlsx", "parquet", "duckdb"}, optional
        Read the file as this format whatever its name (an ``.xlsx`` saved
        as ``.csv``); default: by its name, checked against its first bytes.
    memory_fraction : float or None, default 0.8
        Refuse, before reading, a file whose estimated size in memory passes
        this share of the memory available (see :func:`creditkit.io.read_table`).
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
        When ``table`` is not customers, bills or payments, an option is
        one the cleaning function rejects (``dayfirst``, ``decimal``, ``as_of``...),
        ``column_map`` names a field ``table`` does not have, ``out_dir`` is
        a file or not writable, or an output would overwrite ``path``.
    DataReadError
        When the file is missing, unreadable, too large for memory, a workbook
        or Parquet file under a text name, or has no recognisable column.

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
    _out_folder(out_dir, (Path(path),), create=False)  # refuse before reading: nothing is half done
    column_map = check_column_map(column_map, table) or None
    df = read_table(path, table=table, column_map=column_map, sheet=sheet, encoding=encoding,
                    format=format, memory_fraction=memory_fraction)
    result = CLEANERS[table](df, **options)
    paths = write_result(result, out_dir)
    summary = result.summary()
    summary.update(source=str(path), encoding=df.attrs.get("encoding"),
                   outputs={k: str(v) for k, v in paths.items()})
    return summary
