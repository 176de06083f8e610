"""The readers of creditkit.io for files that are not text: Excel workbooks, Parquet, DuckDB.

Each returns a frame of the file's cells with the ``attrs`` that :func:`creditkit.io.read_table`
documents (``encoding``, ``bad_lines``, ``blank_lines``, ``first_line``, ``record_lines``), so
cleaning treats every source alike. ``unique_headers`` and ``drop_blank_records`` serve the
text reader in ``io`` as well. Private to ``creditkit``: ``read_table`` is the one entry point.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa

from creditkit.exceptions import DataReadError


def unique_headers(headers: list[str]) -> list[str]:
    """Strip headers, name blank ones ``unnamed_<i>`` and suffix repeats ``.1``, ``.2``."""
    names: list[str] = []
    for i, h in enumerate(headers):
        name = h.strip().lstrip("\ufeff") or f"unnamed_{i}"
        base, k = name, 1
        while name in names:
            name, k = f"{base}.{k}", k + 1
        names.append(name)
    return names


def drop_blank_records(df: pd.DataFrame, first: int) -> tuple[pd.DataFrame, list[int]]:
    """The frame without its all-empty-text records, and their record lines (index + first)."""
    if not len(df) or not len(df.columns):
        return df, []
    blank = (df == "").all(axis=1).to_numpy()
    if not blank.any():
        return df, []
    return df[~blank], (df.index[blank].to_numpy(dtype=np.int64) + first).tolist()


def cell_text(v: Any) -> str:
    if v is None or (isinstance(v, float) and v != v):
        return ""
    if isinstance(v, pd.Timestamp | np.datetime64) or hasattr(v, "isoformat"):
        ts = pd.Timestamp(v)
        return ts.date().isoformat() if ts == ts.normalize() else ts.isoformat(sep=" ")
    if isinstance(v, float):
        return repr(v)
    return str(v)


def read_xlsx(p: Path, sheet: str | int | None, header: bool = True) -> pd.DataFrame:
    import openpyxl

    try:
        # openpyxl goes by the name: a workbook named .csv (format='xlsx') is passed as bytes
        src = p if p.suffix.lower() in (".xlsx", ".xlsm") else io.BytesIO(p.read_bytes())
        book = openpyxl.load_workbook(src, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a damaged file
        raise DataReadError(f"{p.name} is not a readable .xlsx workbook ({exc}); "
                            "re-save it from Excel/WPS") from None
    try:
        names = book.sheetnames
        if isinstance(sheet, int) and not isinstance(sheet, bool):
            if not 0 <= sheet < len(names):
                raise DataReadError(f"{p.name} has {len(names)} sheet(s) {names}; "
                                    f"sheet={sheet} is out of range")
            ws = book.worksheets[sheet]
        elif sheet is None:
            ws = book.worksheets[0]
        elif sheet in names:
            ws = book[sheet]
        else:
            raise DataReadError(f"no sheet {sheet!r} in {p.name}; sheets are {names}")
        # values_only keeps error cells as their text ("#N/A"), which cleaning must see
        rows = [[cell_text(v) for v in row] for row in ws.iter_rows(values_only=True)]
    finally:
        book.close()
    formulas = unsaved_formulas(p, ws.title, rows)
    if not rows or not any(rows[0]):
        raise DataReadError(f"sheet {ws.title!r} of {p.name} is empty or its first row has no "
                            "headers; pick another with sheet= or put the headers in row 1")
    width = max(map(len, rows))
    # row 1 is the header (or, with header=False, the first record): sheet row = index + first
    first = 2 if header else 1
    titles = ((rows[0] + [""] * width)[:width] if header
              else [f"column_{i + 1}" for i in range(width)])
    body = [(r + [""] * width)[:width] for r in rows[first - 1:]]
    keep = [i for i, h in enumerate(titles) if h.strip() or any(r[i] for r in body)]
    names_out = unique_headers([titles[i] for i in keep])
    df = pd.DataFrame([[r[i] for i in keep] for r in body], columns=names_out, dtype="str")
    df, blank_lines = drop_blank_records(df, first)
    df.attrs.update(encoding=None, bad_lines=[], blank_lines=blank_lines, first_line=first,
                    record_lines=None)
    if formulas:
        df.attrs["formula_cells"] = formulas
    return df


def unsaved_formulas(p: Path, title: str, rows: list[list[str]]) -> list[str]:
    """Put the formula into each empty cell of ``rows`` whose formula has no saved result.

    ``data_only`` reading gives such a cell as empty, which would pass for a blank;
    its formula is read in a second pass, made only when the sheet holds formulas at
    all. Returns the formulas found (sorted, distinct).
    """
    import zipfile

    import openpyxl

    try:
        with zipfile.ZipFile(p) as z:
            sheets = (z.read(n) for n in z.namelist()
                      if n.startswith("xl/worksheets/") and n.endswith(".xml"))
            if not any(b"<f>" in x or b"<f " in x for x in sheets):
                return []
        book = openpyxl.load_workbook(p, read_only=True, data_only=False)
    except Exception:  # the first pass read this file: keep its reading
        return []
    found: set[str] = set()
    try:
        for r, row in enumerate(book[title].iter_rows(values_only=True)):
            for c, v in enumerate(row):
                text = v if isinstance(v, str) else getattr(v, "text", None)
                if (isinstance(text, str) and text.startswith("=") and r < len(rows)
                        and c < len(rows[r]) and rows[r][c] == ""):
                    rows[r][c] = text
                    found.add(text)
    finally:
        book.close()
    return sorted(found)


def read_duckdb(p: Path, name: str | None, table: str | None, query: str | None) -> pd.DataFrame:
    import duckdb

    try:
        con = duckdb.connect(str(p), read_only=True)
    except duckdb.Error as exc:
        from creditkit.store import open_error

        raise open_error(p, exc) from None
    try:
        tables = [r[0] for r in con.execute(
            "select table_name from information_schema.tables order by table_name").fetchall()]
        if query is None:
            if name is None and table in tables:
                name = table
            elif name is None:
                if len(tables) != 1:
                    raise DataReadError(f"{p.name} holds tables {tables}; pass sheet='name' "
                                        "(or table=) to pick one, or query='select ...'")
                name = tables[0]
            if name not in tables:
                raise DataReadError(f"no table {name!r} in {p.name}; tables are {tables}")
            query = 'select * from "' + name.replace('"', '""') + '"'
        df = con.execute(query).df()
    except duckdb.Error as exc:
        raise DataReadError(f"query on {p.name} failed: {exc}; tables are {tables}") from None
    finally:
        con.close()
    df.attrs.update(encoding=None, bad_lines=[], blank_lines=[], first_line=None,
                    record_lines=None)
    return df


def read_parquet_file(p: Path) -> pd.DataFrame:
    import pyarrow.parquet as pq

    try:
        df = pd.read_parquet(p)
        binary = [f.name for f in pq.read_schema(p)
                  if pa.types.is_binary(f.type) or pa.types.is_large_binary(f.type)
                  or pa.types.is_fixed_size_binary(f.type)]
    except (OSError, pa.ArrowException) as exc:
        raise DataReadError(f"{p.name} is not a readable Parquet file: {exc}") from None
    if not isinstance(df.index, pd.RangeIndex):  # a stored pandas index is data too
        df = df.reset_index()
    for name in binary:  # bytes columns hold text or they are not a table's columns
        values = df[name].tolist()
        for i, v in enumerate(values):
            if isinstance(v, bytes | bytearray):
                try:
                    values[i] = bytes(v).decode("utf-8")
                except UnicodeDecodeError:
                    raise DataReadError(
                        f"column {name!r} of {p.name} is a binary (bytes) column and row {i + 1} "
                        f"({bytes(v)[:24]!r}) is not UTF-8 text; write {name!r} as a string "
                        "column in the tool that made the file (or decode it yourself and "
                        "clean the frame)") from None
        df[name] = pd.Series(values, index=df.index, dtype="str")
    df.attrs.update(encoding=None, bad_lines=[], blank_lines=[], first_line=None,
                    record_lines=None)
    return df
