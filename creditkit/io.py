"""Read the tables analysts are given: CSV/TSV, XLSX, Parquet, DuckDB tables and SQL.

:func:`read_table` reads *raw*: text files and workbooks come back as text
(``str`` columns, blanks as ``""``, ``#N/A`` and ``NULL`` kept as written) so
that :mod:`creditkit.cleaning` can quarantine bad values with their row
numbers. Parquet and DuckDB keep their own column types. Amount columns are
not converted: a header such as ``金额`` maps to ``amount`` (text), and cleaning
turns it into ``amount_minor`` with :func:`creditkit.money.parse_amounts`.

Provenance travels in ``df.attrs``:

- ``attrs["source"]``: the path read, as a string;
- ``attrs["encoding"]``: the text encoding used (``None`` for binary formats);
- ``attrs["bad_lines"]``: ``[(line_number, raw_text), ...]`` for records whose
  field count differs from the header's (ragged rows, a truncated last line).
  They are left out of the frame, never silently merged. ``line_number``
  counts the header as line 1 (it is the editor line unless a quoted field
  spans lines);
- ``attrs["blank_lines"]``: ``[line_number, ...]`` (same numbering) of blank
  records, left out of the frame (see below);
- ``attrs["column_map"]``: ``{source header: creditkit name}`` as applied;
- ``attrs["formula_cells"]`` (XLSX): the formulas (``"=1/0"``) of cells that hold a
  formula but no saved result (a workbook written by a script and never opened in
  Excel); such a cell reads as its formula text, which cleaning quarantines as
  ``excel_error``.

Rows keep the file's order and the index is the data record number (0 = the
first record after the header). A clean file gets ``RangeIndex(n)``; a dropped
bad line leaves a gap, so ``df.index + 2`` is still each row's line number
(its row number in an XLSX sheet).

A *blank record* is one whose fields are all empty text: ``,,,``, a wholly
empty line (``\n\n``), a line of spaces or tabs, an empty sheet row. It is a
record, not layout: in a one-column file an empty line *is* a row with one
empty cell, and a file's line numbers count it, so every width is treated
alike, wherever the line is (trailing blank lines included; the newline that
ends the last line is not a line). Blank records are left out of the frame,
leaving a gap in the index, and listed in ``attrs["blank_lines"]`` so that
cleaning can account for them (``empty_row``). A record with some cell
holding only spaces is kept: it is not empty text, and cleaning decides.
Parquet and DuckDB rows are never dropped (``blank_lines`` is ``[]``); their
frames get ``RangeIndex(n)`` in the stored order.

Examples
--------
>>> import pathlib, tempfile
>>> p = pathlib.Path(tempfile.mkdtemp()) / "pay.csv"
>>> _ = p.write_bytes("回款编号,金额,付款人\\nP1,\\"1,234.50\\",张三\\n".encode("gb18030"))
>>> df = read_table(p, table="payments")
>>> df.columns.tolist(), df["amount"].tolist(), df.attrs["encoding"]
(['payment_id', 'amount', 'payer_name'], ['1,234.50'], 'gb18030')
"""

from __future__ import annotations

import codecs
import csv
import gzip
import io as _io
import os
import zlib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv

from creditkit.columns import map_headers
from creditkit.exceptions import DataReadError, ParameterError

__all__ = ["detect_encoding", "read_table"]

_TEXT = {".csv", ".tsv", ".tab", ".txt"}
_XLSX = {".xlsx", ".xlsm"}
_PARQUET = {".parquet", ".pq"}
_DUCKDB = {".duckdb", ".ddb", ".db"}


def _detect(raw: bytes, where: str) -> str:
    if raw.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    for enc in ("utf-8", "gb18030"):
        try:
            raw.decode(enc)
        except UnicodeDecodeError:
            continue
        return enc
    raise DataReadError(f"{where} is neither UTF-8 nor GB18030 text; "
                        "pass encoding= (e.g. 'big5' or 'latin-1') if you know it")


def detect_encoding(path: str | os.PathLike[str]) -> str:
    """Detect the encoding of a text file from its bytes.

    A byte-order mark wins (``"utf-8-sig"``, ``"utf-16"``); else the file is
    ``"utf-8"`` if it decodes strictly as UTF-8 (pure ASCII included), else
    ``"gb18030"`` (a superset of GBK/GB2312, what Excel in China saves) if it
    decodes as that. Big5 or Latin-1 files cannot be told apart from GB18030
    reliably: pass ``encoding=`` to :func:`read_table` for those.

    Parameters
    ----------
    path : str or path-like
        The file to inspect (it is read whole: a partial read could cut a
        character in two or miss the first non-ASCII byte).

    Returns
    -------
    str
        A Python codec name.

    Raises
    ------
    DataReadError
        If the file is missing or decodes as neither UTF-8 nor GB18030.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "a.csv"
    >>> _ = p.write_bytes("客户编号\\nC1\\n".encode("utf-8-sig"))
    >>> detect_encoding(p)
    'utf-8-sig'
    """
    p = _existing(path)
    return _detect(p.read_bytes(), str(p))


def _existing(path: Any) -> Path:
    if not isinstance(path, str | os.PathLike):
        raise DataReadError(f"source must be a file path (str or Path); got {type(path).__name__}")
    p = Path(path)
    if not p.exists():
        raise DataReadError(f"no such file: {str(p)!r} (working directory {os.getcwd()!r}); "
                            "check the path")
    if p.is_dir():
        raise DataReadError(f"{str(p)!r} is a folder, not a table file; pass a file inside it")
    return p


def _kind(p: Path) -> str:
    suffix = p.suffix.lower()
    for kind, suffixes in (("text", _TEXT), ("xlsx", _XLSX), ("parquet", _PARQUET),
                           ("duckdb", _DUCKDB)):
        if suffix in suffixes:
            return kind
    with p.open("rb") as f:
        head = f.read(16)
    if head.startswith(b"PK\x03\x04"):
        return "xlsx"
    if head.startswith(b"PAR1"):
        return "parquet"
    if head[8:12] == b"DUCK":
        return "duckdb"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise DataReadError(f"{p.name} is an old .xls workbook; open it in Excel or WPS and "
                            "save as .xlsx (or CSV)")
    return "text"


def _sniff(text: str, suffix: str) -> str:
    if suffix in (".tsv", ".tab"):
        return "\t"
    sample = "\n".join(text.splitlines()[:50])
    try:
        return csv.Sniffer().sniff(sample, delimiters=",\t;|").delimiter
    except csv.Error:
        header = sample.split("\n", 1)[0]
        counts = {d: header.count(d) for d in ",\t;|"}
        best = max(counts, key=counts.__getitem__)
        return best if counts[best] else ","


def _header(text: str, sep: str, where: str) -> list[str]:
    try:
        first = next(csv.reader(_io.StringIO(text), delimiter=sep))
    except (StopIteration, csv.Error) as exc:
        raise DataReadError(f"{where} has no header line: {exc}") from None
    return _unique(first)


def _unique(headers: list[str]) -> list[str]:
    """Strip headers, name blank ones ``unnamed_<i>`` and suffix repeats ``.1``, ``.2``."""
    names: list[str] = []
    for i, h in enumerate(headers):
        name = h.strip().lstrip("\ufeff") or f"unnamed_{i}"
        base, k = name, 1
        while name in names:
            name, k = f"{base}.{k}", k + 1
        names.append(name)
    return names


def _read_text(p: Path, encoding: str | None, sep: str | None) -> pd.DataFrame:
    raw = p.read_bytes()
    suffix = p.suffix.lower()
    if raw.startswith(b"\x1f\x8b"):  # a gzipped export (pay.csv.gz)
        try:
            raw = gzip.decompress(raw)
        except (OSError, EOFError, zlib.error) as exc:
            raise DataReadError(f"{p.name} is a damaged gzip file ({exc}); "
                                "download or compress it again") from None
        suffix = Path(p.stem).suffix.lower()
    if not raw.strip():
        raise DataReadError(f"{p.name} is empty; export the table again with a header line")
    enc = encoding or _detect(raw, p.name)
    try:
        if codecs.lookup(enc).name in ("utf-8", "utf-8-sig"):
            if encoding is not None:
                raw.decode(enc)  # validate what the caller asserted
            data = raw[len(codecs.BOM_UTF8):] if raw.startswith(codecs.BOM_UTF8) else raw
        else:  # Arrow parses UTF-8: transcode once
            data = raw.decode(enc).encode("utf-8")
    except (UnicodeDecodeError, LookupError) as exc:
        raise DataReadError(f"{p.name} does not decode as {enc!r} ({exc}); "
                            "leave encoding=None to detect it") from None
    del raw
    head = data[:65536].decode("utf-8", errors="ignore")
    if "\x00" in head:
        raise DataReadError(f"{p.name} holds binary data, not a text table; "
                            "export it as CSV, XLSX or Parquet")
    sep = sep or _sniff(head, suffix)
    names = _header(head, sep, p.name)
    bad: list[tuple[int, str]] = []
    skipped: list[int] = []
    blank_ragged: list[int] = []  # blank lines with the wrong field count ("  ", ",")

    def on_bad(row: Any) -> str:
        skipped.append(row.number if row.number is not None else -1)
        if row.text.strip(sep + " \t\r"):
            bad.append((row.number, row.text))
        elif row.number is not None:
            blank_ragged.append(row.number)
        return "skip"

    try:
        tbl = pacsv.read_csv(
            _io.BytesIO(data),
            read_options=pacsv.ReadOptions(use_threads=False, column_names=names, skip_rows=1),
            parse_options=pacsv.ParseOptions(delimiter=sep, newlines_in_values=True,
                                             ignore_empty_lines=False, invalid_row_handler=on_bad),
            convert_options=pacsv.ConvertOptions(
                column_types=dict.fromkeys(names, pa.string()), strings_can_be_null=False,
                quoted_strings_can_be_null=False, null_values=[]),
        )
    except (pa.ArrowInvalid, pa.ArrowTypeError) as exc:
        raise DataReadError(f"{p.name} could not be parsed as a {sep!r}-separated table: {exc}; "
                            "pass sep= if the separator was guessed wrong") from None
    df = tbl.to_pandas()
    df = df.astype(dict.fromkeys(df.columns, "str")) if len(df.columns) else df
    if -1 in skipped:
        df.index = pd.RangeIndex(len(df))
    elif skipped:
        records = np.arange(len(df) + len(skipped)) + 2
        df.index = pd.Index(np.setdiff1d(records, np.asarray(skipped)) - 2)
    df, blank_lines = _drop_blank(df)
    blank_lines = sorted(blank_lines + blank_ragged)
    if len(bad) > max(1, len(df)):
        raise DataReadError(
            f"{len(bad)} of {len(bad) + len(df)} lines of {p.name} do not have the header's "
            f"{len(names)} fields {names[:6]} (first: line {bad[0][0]}: {bad[0][1][:80]!r}); "
            "pass sep= if the separator was guessed wrong")
    df.attrs.update(encoding=enc, bad_lines=bad, blank_lines=blank_lines)
    return df


def _drop_blank(df: pd.DataFrame) -> tuple[pd.DataFrame, list[int]]:
    """The frame without its all-empty-text records, and their line numbers (index + 2)."""
    if not len(df) or not len(df.columns):
        return df, []
    blank = (df == "").all(axis=1).to_numpy()
    if not blank.any():
        return df, []
    return df[~blank], (df.index[blank].to_numpy(dtype=np.int64) + 2).tolist()


def _cell_text(v: Any) -> str:
    if v is None or (isinstance(v, float) and v != v):
        return ""
    if isinstance(v, pd.Timestamp | np.datetime64) or hasattr(v, "isoformat"):
        ts = pd.Timestamp(v)
        return ts.date().isoformat() if ts == ts.normalize() else ts.isoformat(sep=" ")
    if isinstance(v, float):
        return repr(v)
    return str(v)


def _read_xlsx(p: Path, sheet: str | int | None) -> pd.DataFrame:
    import openpyxl

    try:
        book = openpyxl.load_workbook(p, read_only=True, data_only=True)
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
        rows = [[_cell_text(v) for v in row] for row in ws.iter_rows(values_only=True)]
    finally:
        book.close()
    formulas = _unsaved_formulas(p, ws.title, rows)
    if not rows or not any(rows[0]):
        raise DataReadError(f"sheet {ws.title!r} of {p.name} is empty or its first row has no "
                            "headers; pick another with sheet= or put the headers in row 1")
    width = max(map(len, rows))
    header = (rows[0] + [""] * width)[:width]
    body = [(r + [""] * width)[:width] for r in rows[1:]]
    keep = [i for i, h in enumerate(header) if h.strip() or any(r[i] for r in body)]
    names_out = _unique([header[i] for i in keep])
    df = pd.DataFrame([[r[i] for i in keep] for r in body], columns=names_out, dtype="str")
    df, blank_lines = _drop_blank(df)
    df.attrs.update(encoding=None, bad_lines=[], blank_lines=blank_lines)
    if formulas:
        df.attrs["formula_cells"] = formulas
    return df


def _unsaved_formulas(p: Path, title: str, rows: list[list[str]]) -> list[str]:
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


def _read_duckdb(p: Path, name: str | None, table: str | None, query: str | None) -> pd.DataFrame:
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
    df.attrs.update(encoding=None, bad_lines=[], blank_lines=[])
    return df


def read_table(
    source: str | os.PathLike[str],
    *,
    table: str | None = None,
    column_map: Mapping[str, str] | None = None,
    sheet: str | int | None = None,
    query: str | None = None,
    encoding: str | None = None,
    sep: str | None = None,
) -> pd.DataFrame:
    """Read a CSV/TSV, XLSX, Parquet or DuckDB file as a raw DataFrame.

    Parameters
    ----------
    source : str or path-like
        The file. Its suffix picks the reader (``.csv .tsv .txt``, ``.xlsx``,
        ``.parquet``, ``.duckdb .db``); other suffixes are recognised by content.
        Gzipped text (``.csv.gz``) is decompressed.
    table : str, optional
        The creditkit table the file holds (``"payments"``, ``"bills"``...).
        When given, headers are mapped to creditkit names by the synonym
        table of :mod:`creditkit.columns`, the one cleaning uses too
        (``客户编号``, ``customer id`` -> ``customer_id``, ``金额`` -> ``amount``,
        ``到期日`` -> ``due_date``...). For a DuckDB file
        without ``sheet`` or ``query`` it is also the table name read.
    column_map : mapping, optional
        ``{your header: creditkit name}``; wins over the synonyms.
    sheet : str or int, optional
        The worksheet of an XLSX file (default: the first), or the table of a
        DuckDB file.
    query : str, optional
        SQL run on a DuckDB file (read-only), instead of reading one table.
    encoding : str, optional
        Text encoding; detected by :func:`detect_encoding` when omitted.
    sep : str, optional
        Field separator of a text file; sniffed among ``, TAB ; |`` when omitted
        (TAB for ``.tsv``).

    Returns
    -------
    DataFrame
        Text columns for text files and workbooks, native types for Parquet
        and DuckDB; ``attrs`` ``source``, ``encoding``, ``bad_lines``,
        ``blank_lines``, ``column_map`` as described in the module docstring.
        Blank records (every field empty: ``,,,``, an empty line, an empty
        sheet row) are not rows of the frame; their line numbers (header =
        line 1, as for ``bad_lines``) are in ``attrs["blank_lines"]``.

    Raises
    ------
    DataReadError
        Missing file, empty or binary file, unknown sheet/table, failed query,
        undecodable text, or (with ``table=``) no recognisable column.
    ParameterError
        ``query`` given for a file that is not DuckDB, or an unknown ``table``.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "bills.tsv"
    >>> _ = p.write_text("账单号\\t到期日\\t应收金额\\nB1\\t2025-06-30\\t#N/A\\n", encoding="utf-8")
    >>> read_table(p, table="bills").to_dict("records")
    [{'bill_id': 'B1', 'due_date': '2025-06-30', 'amount': '#N/A'}]
    >>> q = p.with_name("gaps.csv")
    >>> _ = q.write_text("id,amount\\nP1,5\\n,\\n\\nP2,7\\n", encoding="utf-8")
    >>> df = read_table(q)
    >>> df["id"].tolist(), df.index.tolist(), df.attrs["blank_lines"]
    (['P1', 'P2'], [0, 3], [3, 4])
    """
    p = _existing(source)
    kind = _kind(p)
    if query is not None and kind != "duckdb":
        raise ParameterError(f"query= runs SQL on a DuckDB file; {p.name} is {kind}; "
                             "read it without query= (or load it into DuckDB first)")
    if kind == "text":
        df = _read_text(p, encoding, sep)
    elif kind == "xlsx":
        df = _read_xlsx(p, sheet)
    elif kind == "parquet":
        try:
            df = pd.read_parquet(p)
        except (OSError, pa.ArrowException) as exc:
            raise DataReadError(f"{p.name} is not a readable Parquet file: {exc}") from None
        if not isinstance(df.index, pd.RangeIndex):  # a stored pandas index is data too
            df = df.reset_index()
        df.attrs.update(encoding=None, bad_lines=[], blank_lines=[])
    else:
        df = _read_duckdb(p, None if sheet is None else str(sheet), table, query)
    if df.shape[1] == 0:
        raise DataReadError(f"{p.name} has no columns; export it again with a header line")
    df, applied = map_headers(df, table=table, column_map=column_map, where=p.name)
    df.attrs.update(source=str(p), column_map=applied)
    return df
