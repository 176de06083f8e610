"""New exports for the periodic update: found in a folder, cleaned (#3), merged into the book.

Files are recognised by their name: a stem starting ``customers`` / ``客户``,
``bills`` / ``账单`` or ``payments`` / ``回款`` / ``收款`` (``.csv``, ``.tsv``,
``.txt``, ``.xlsx``, ``.parquet``), read in name order. Customers are
cleaned first; bills are checked against every customer known (the store's
and the new ones), payments against every bill. A clean row replaces the
stored row with the same key (a re-sent export corrects it) or is added;
quarantined rows are kept in the store's ``quarantine`` table with their
reason, so nothing is lost: rows in = clean + quarantined + merged, per file.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from creditkit.exceptions import DataReadError
from creditkit.schema import TABLES, coerce

__all__ = ["INPUT_PREFIXES", "Inputs", "find_inputs", "merge_inputs"]

#: File-name prefixes of each table the update reads.
INPUT_PREFIXES = {"customers": ("customers", "客户"), "bills": ("bills", "账单"),
                  "payments": ("payments", "回款", "收款")}
_SUFFIXES = {".csv", ".tsv", ".txt", ".xlsx", ".parquet"}
QUARANTINE_COLUMNS = ["source_file", "source_table", "source_row", "source_line", "reason",
                      "column_name", "message", "key", "raw"]


@dataclass
class Inputs:
    """The tables after merging new exports, and what happened to each file.

    Attributes
    ----------
    tables : dict of str to DataFrame
        The portfolio tables with the new rows merged in.
    changed : list of str
        The tables that received rows (to be written back).
    files : list of dict
        Per file: ``file``, ``table``, ``sha256`` (first 16), ``rows_in``,
        ``clean``, ``quarantined``, ``merged``, ``new``, ``replaced``.
    quarantine : DataFrame
        Rows held back, columns of the store's ``quarantine`` table (no ``as_of``).
    """

    tables: dict[str, pd.DataFrame]
    changed: list[str]
    files: list[dict]
    quarantine: pd.DataFrame


def find_inputs(folder: str | Path) -> dict[str, list[Path]]:
    """The export files of a folder by table, in name order.

    Raises
    ------
    DataReadError
        The folder does not exist or holds no file the update reads.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (d / "bills_2025-07.csv").write_text("bill_id\\n")
    >>> _ = (d / "notes.txt").write_text("x")
    >>> {k: [p.name for p in v] for k, v in find_inputs(d).items()}
    {'customers': [], 'bills': ['bills_2025-07.csv'], 'payments': []}
    """
    d = Path(folder)
    if not d.is_dir():
        raise DataReadError(f"--input {str(d)!r} is not a folder; pass the folder holding the "
                            "new exports (customers*.csv, bills*.csv, payments*.csv)")
    found: dict[str, list[Path]] = {t: [] for t in INPUT_PREFIXES}
    for p in sorted(d.iterdir()):
        if not p.is_file() or p.suffix.lower() not in _SUFFIXES:
            continue
        for table, prefixes in INPUT_PREFIXES.items():
            if p.stem.lower().startswith(prefixes):
                found[table].append(p)
                break
    if not any(found.values()):
        raise DataReadError(
            f"no export in {str(d)!r}: name files customers*.csv, bills*.csv or payments*.csv "
            "(or 客户*, 账单*, 回款*; .csv, .tsv, .xlsx, .parquet)")
    return found


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:16]


def _quarantine(result: object, path: Path, table: str) -> pd.DataFrame:
    q = result.quarantine
    out = pd.DataFrame({
        "source_file": path.name, "source_table": table,
        "source_row": pd.array(q["source_row"], dtype="Int64"),
        "source_line": pd.array(q["source_line"], dtype="Int64"),
        "reason": q["reason"].astype(str), "column_name": q.get("column"),
        "message": q.get("message"), "key": q.get("key"),
        "raw": q["raw"].astype(str) if "raw" in q.columns else None}, index=q.index)
    return out[QUARANTINE_COLUMNS].reset_index(drop=True)


def _upsert(old: pd.DataFrame, new: pd.DataFrame, table: str) -> tuple[pd.DataFrame, int, int]:
    key = TABLES[table].key[0]
    new = coerce(new, table)
    cols = list(dict.fromkeys([*old.columns, *new.columns]))
    replaced = int(old[key].isin(new[key]).sum())
    kept = old.loc[~old[key].isin(new[key])]
    both = pd.concat([kept.reindex(columns=cols), new.reindex(columns=cols)], ignore_index=True)
    both = coerce(both, table)[cols].sort_values(key, kind="stable").reset_index(drop=True)
    return both, len(new) - replaced, replaced


def merge_inputs(tables: Mapping[str, pd.DataFrame], folder: str | Path, *,
                 as_of: object) -> Inputs:
    """Clean the exports of ``folder`` and merge their clean rows into ``tables``.

    Parameters
    ----------
    tables : mapping
        The stored portfolio tables (``customers``, ``bills``, ``payments``…).
    folder : str or Path
        See :func:`find_inputs`.
    as_of : date-like
        Passed to the cleaners (dates after it are quarantined as in the future).

    Returns
    -------
    Inputs

    Raises
    ------
    DataReadError
        No folder, no export in it, or a file that cannot be read.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from creditkit.datasets import example_portfolio
    >>> t = example_portfolio()
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (d / "payments.csv").write_text(
    ...     "payment_id,customer_id,paid_date,amount,currency,kind,channel\\n"
    ...     "PNEW,C1,2025-06-30,10.00,CNY,payment,bank\\nPBAD,C1,,1.00,CNY,payment,bank\\n")
    >>> got = merge_inputs(t, d, as_of="2025-06-30")
    >>> got.files[0]["clean"], got.files[0]["quarantined"], got.quarantine["reason"].tolist()
    (1, 1, ['missing_required'])
    """
    from creditkit.checks import check_as_of
    from creditkit.cleaning import clean_bills, clean_customers, clean_payments
    from creditkit.io import read_table

    day = check_as_of(as_of)
    found = find_inputs(folder)
    out = dict(tables)
    files: list[dict] = []
    quarantined: list[pd.DataFrame] = []
    changed: list[str] = []
    for table, paths in found.items():
        for path in paths:
            raw = read_table(path, table=table)
            if table == "customers":
                res = clean_customers(raw, as_of=day)
            elif table == "bills":
                res = clean_bills(raw, customers=out["customers"], as_of=day)
            else:
                res = clean_payments(raw, bills=out["bills"], customers=out["customers"],
                                     as_of=day)
            merged, new, replaced = _upsert(out[table], res.clean, table)
            out[table] = merged
            if table not in changed:
                changed.append(table)
            q = _quarantine(res, path, table)
            quarantined.append(q)
            files.append({"file": path.name, "table": table, "sha256": _sha(path),
                          "rows_in": int(res.rows_in), "clean": len(res.clean),
                          "quarantined": len(q), "merged": len(res.merged), "new": new,
                          "replaced": replaced})
    q = (pd.concat(quarantined, ignore_index=True) if quarantined
         else pd.DataFrame(columns=QUARANTINE_COLUMNS))
    return Inputs(out, changed, files, q)
