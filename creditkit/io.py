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
  They are left out of the frame, never silently merged;
- ``attrs["blank_lines"]``: ``[line_number, ...]`` of blank records, left out
  of the frame (see below);
- ``attrs["first_line"]``: the line number of the first data record (2 below
  a header line, 1 with ``header=False``; ``None`` for Parquet and DuckDB,
  which have no lines);
- ``attrs["record_lines"]``: ``None`` when every record is one line, else an
  int64 array: the line on which each data record starts (record 0 first,
  malformed and blank records included), for files where a quoted field
  holds a line break;
- ``attrs["column_map"]``: ``{source header: creditkit name}`` as applied;
- ``attrs["formula_cells"]`` (XLSX): the formulas (``"=1/0"``) of cells that hold a
  formula but no saved result (a workbook written by a script and never opened in
  Excel); such a cell reads as its formula text, which cleaning quarantines as
  ``excel_error``.

Line numbers are the ones a person sees in an editor, header = line 1, as
:mod:`creditkit.lines` defines them (in an XLSX sheet: the row Excel shows).

Rows keep the file's order and the index is the data record number (0 = the
first record after the header). A clean file gets ``RangeIndex(n)``; a dropped
bad line leaves a gap. Row ``i``'s line number is ``i + first_line``, or
``record_lines[i]`` when that is not ``None``.

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

from creditkit._readers import (
    drop_blank_records,
    read_duckdb,
    read_parquet_file,
    read_xlsx,
    unique_headers,
)
from creditkit._sniff import READ_EXPANSION, big5_hint, check_read_memory, detect_bytes, file_kind
from creditkit.columns import map_headers
from creditkit.exceptions import DataReadError, ParameterError
from creditkit.lines import record_starts

__all__ = ["READ_EXPANSION", "available_memory", "detect_encoding", "read_table"]


def detect_encoding(path: str | os.PathLike[str]) -> str:
    """Detect the encoding of a text file from its bytes.

    A byte-order mark wins (``"utf-8-sig"``, ``"utf-16"``); else the file is
    ``"utf-8"`` if it decodes strictly as UTF-8 (pure ASCII included); else
    ``"gb18030"`` (a superset of GBK/GB2312, what Excel in China saves) or
    ``"big5"`` (``"cp950"`` with Microsoft's extensions: what Excel in Taiwan
    and Hong Kong saves), told apart on the first 64 KB by which reading
    gives known headers and common characters. Latin-1 and other code pages
    cannot be told apart from these reliably: pass ``encoding=`` to
    :func:`read_table` for those.

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
        If the file is missing or decodes as none of UTF-8, GB18030 and Big5.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "a.csv"
    >>> _ = p.write_bytes("客户编号\\nC1\\n".encode("utf-8-sig"))
    >>> detect_encoding(p)
    'utf-8-sig'
    >>> _ = p.write_bytes("客戶編號,授信額度\\nC1,5\\n".encode("big5"))
    >>> detect_encoding(p)
    'big5'
    """
    p = _existing(path)
    return detect_bytes(p.read_bytes(), str(p))


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


def _header(text: str, sep: str, where: str, header: bool = True) -> list[str]:
    """The header line's names; without one (``header=False``), ``column_1`` ... as wide as
    the first record that is not blank. Lines may end in LF, CRLF or CR alone."""
    try:
        records = csv.reader(_io.StringIO(text, newline=""), delimiter=sep)
        first = next(records)
        while not header and not any(f.strip() for f in first):
            first = next(records)
    except (StopIteration, csv.Error) as exc:
        raise DataReadError(f"{where} has no header line: {exc}") from None
    return unique_headers(first) if header else [f"column_{i + 1}" for i in range(len(first))]


def _read_text(p: Path, encoding: str | None, sep: str | None,
               header: bool = True) -> pd.DataFrame:
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
    enc = encoding or detect_bytes(raw, p.name)
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
    if (nul := data.find(b"\x00")) >= 0:  # anywhere: a NUL must not reach clean data
        line = data.count(b"\n", 0, nul) + data.count(b"\r", 0, nul) - data.count(
            b"\r\n", 0, nul) + 1  # an editor's line: LF, CRLF or CR alone ends one
        raise DataReadError(f"{p.name} holds binary data (a NUL byte on line {line}), not a "
                            "text table; export it again as CSV, XLSX or Parquet")
    sep = sep or _sniff(head, suffix)
    names = _header(head, sep, p.name, header)
    first = 2 if header else 1  # the line of data record 0 while every record is one line
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
            read_options=pacsv.ReadOptions(use_threads=False, column_names=names,
                                           skip_rows=int(header)),
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
        records = np.arange(len(df) + len(skipped)) + first
        df.index = pd.Index(np.setdiff1d(records, np.asarray(skipped)) - first)
    n_records = len(df) + len(skipped)
    df, blank_lines = drop_blank_records(df, first)
    blank_lines = sorted(blank_lines + blank_ragged)
    starts = None if -1 in skipped else record_starts(data, sep, n_records + int(header))
    if starts is not None:  # Arrow numbers records; people read lines
        starts = starts[int(header):]
        bad = [(int(starts[n - first]), text) for n, text in bad]
        blank_lines = [int(starts[n - first]) for n in blank_lines]
    if len(bad) > max(1, len(df)):
        raise DataReadError(
            f"{len(bad)} of {len(bad) + len(df)} lines of {p.name} do not have the header's "
            f"{len(names)} fields {names[:6]} (first: line {bad[0][0]}: {bad[0][1][:80]!r}); "
            "pass sep= if the separator was guessed wrong")
    df.attrs.update(encoding=enc, bad_lines=bad, blank_lines=blank_lines, first_line=first,
                    record_lines=starts)
    return df


def available_memory() -> int | None:
    """Memory available to a new allocation, in bytes (``None`` when it cannot be told).

    psutil's figure when psutil is installed, else ``MemAvailable`` of
    ``/proc/meminfo`` (Linux).

    Examples
    --------
    >>> m = available_memory()
    >>> m is None or m > 0
    True
    """
    try:
        import psutil
    except ImportError:
        try:
            with open("/proc/meminfo", encoding="ascii") as f:
                for line in f:
                    if line.startswith("MemAvailable:"):
                        return int(line.split()[1]) * 1024
        except (OSError, ValueError, IndexError):
            return None
        return None
    return int(psutil.virtual_memory().available)


def read_table(
    source: str | os.PathLike[str],
    *,
    table: str | None = None,
    column_map: Mapping[str, str] | None = None,
    sheet: str | int | None = None,
    query: str | None = None,
    encoding: str | None = None,
    sep: str | None = None,
    header: bool | None = True,
    format: str | None = None,
    memory_fraction: float | None = 0.8,
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
    header : bool or None, default True
        Whether line 1 of a text file (row 1 of a sheet) holds the headers.
        ``False`` (or ``None``, as in pandas): every line is data, the columns
        are named ``column_1``, ``column_2``, ... and ``column_map`` names
        them (``{"column_1": "payment_id", ...}``); line numbers then start
        at 1 for the first record.
    format : {"csv", "tsv", "text", "xlsx", "parquet", "duckdb"}, optional
        Read the file as this format whatever its name. By default the
        suffix decides, checked against the first bytes: an ``.xlsx`` or
        Parquet file saved under a ``.csv`` name is refused with what it is.
    memory_fraction : float or None, default 0.8
        Before reading, the memory the read needs is estimated from the file
        size (times :data:`READ_EXPANSION`: 6 for CSV, 26 for Parquet, 55
        for a workbook, 6 more for gzip) and compared with the memory
        available (:func:`available_memory`); past this share of it the file
        is refused at once, instead of swapping. ``None`` skips the check.

    Returns
    -------
    DataFrame
        Text columns for text files and workbooks, native types for Parquet
        and DuckDB; ``attrs`` ``source``, ``encoding``, ``bad_lines``,
        ``blank_lines``, ``column_map`` as described in the module docstring.
        Blank records (every field empty: ``,,,``, an empty line, an empty
        sheet row) are not rows of the frame; their line numbers (header =
        line 1, as for ``bad_lines``) are in ``attrs["blank_lines"]``.
        ``attrs["first_line"]`` and ``attrs["record_lines"]`` give the line
        on which each row starts.

    Raises
    ------
    DataReadError
        Missing file, empty or binary file (a NUL byte anywhere), a workbook or
        Parquet file under a text name, a Parquet bytes column that is not
        UTF-8, a file too large for memory, unknown sheet/table, failed query,
        undecodable text, or (with ``table=``) no recognisable column (naming
        ``encoding='big5'`` when the headers read as GB18030 may be Big5) or
        a header repeated (``amount`` twice: which one is meant?).
    ParameterError
        ``query`` given for a file that is not DuckDB, an unknown ``table`` or
        ``format``, a bad ``memory_fraction``, a ``column_map`` naming a
        field ``table`` does not have, or ``header`` not True, False or None.

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
    >>> r = p.with_name("noheader.csv")
    >>> _ = r.write_text('P1,"two\\nlines"\\nP2,x\\n', encoding="utf-8")
    >>> df = read_table(r, header=False, column_map={"column_1": "payment_id"})
    >>> df["payment_id"].tolist(), df.attrs["first_line"], df.attrs["record_lines"].tolist()
    (['P1', 'P2'], 1, [1, 3])
    """
    if header not in (True, False, None):
        raise ParameterError(f"header must be True (line 1 holds the headers) or False/None "
                             f"(no header line), got {header!r}")
    header = bool(header)
    p = _existing(source)
    kind = file_kind(p, format)
    if query is not None and kind != "duckdb":
        raise ParameterError(f"query= runs SQL on a DuckDB file; {p.name} is {kind}; "
                             "read it without query= (or load it into DuckDB first)")
    check_read_memory(p, kind, memory_fraction, available_memory())
    if kind == "text":
        df = _read_text(p, encoding, sep, header)
    elif kind == "xlsx":
        df = read_xlsx(p, sheet, header)
    elif kind == "parquet":
        df = read_parquet_file(p)
    else:
        df = read_duckdb(p, None if sheet is None else str(sheet), table, query)
    if df.shape[1] == 0:
        raise DataReadError(f"{p.name} has no columns; export it again with a header line")
    try:
        df, applied = map_headers(df, table=table, column_map=column_map, where=p.name)
    except DataReadError as exc:
        if encoding is None and df.attrs.get("encoding") == "gb18030" \
                and "recognisable" in str(exc):
            with p.open("rb") as f:
                hint = big5_hint(f.read(65536))
            if hint:
                raise DataReadError(f"{exc}{hint}") from None
        raise
    df.attrs.update(source=str(p), column_map=applied)
    return df
