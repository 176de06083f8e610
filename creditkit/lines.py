r"""Line numbers people see: where each record of a text file or sheet starts.

One convention everywhere: the line a person sees in an editor, header =
line 1. A blank line counts; LF, CRLF and CR each end a line; a byte-order
mark is not a line; a record whose quoted field holds a line break starts on
its first line, and the next record on the line after its last. In a
workbook the line is the sheet row Excel shows. :func:`creditkit.io.read_table`
records where its rows start (``attrs["first_line"]``, ``attrs["record_lines"]``)
with :func:`record_starts`; cleaning turns a row's record number into its
line with :class:`SourceLines`. Sources without lines (a frame built in
code, Parquet, DuckDB) have none: ``<NA>``, never a made-up number.

Examples
--------
>>> starts = record_starts(b'id,note\n1,"a\nb"\n2,c\n', ",", 3)
>>> SourceLines(2, starts[1:]).lines([1, 2]).tolist()
[2, 4]
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

import numpy as np
import pandas as pd

from creditkit.exceptions import ParameterError

__all__ = ["SourceLines", "record_starts"]


def record_starts(data: bytes, sep: str, records: int) -> np.ndarray | None:
    r"""The line on which each record starts (header included), when some record spans lines.

    ``None`` when the file has exactly one line per record (the usual case:
    then record ``k`` is on line ``k + 1``, found without parsing again).
    Otherwise the line ends outside quoted fields are found with numpy (a
    quote opens a quoted field only at the start of a field, as in Arrow),
    or, when a stray quote sits inside an unquoted field, the file is walked
    with :mod:`csv`, whose quoting rules match Arrow's. Should the count
    still disagree with the reader's, ``None`` (numbering by record).

    Parameters
    ----------
    data : bytes
        The whole file as UTF-8, without a byte-order mark.
    sep : str
        The field separator.
    records : int
        How many records the table reader found (header, malformed and blank
        records included).

    Returns
    -------
    ndarray of int64 or None
        The start line of each record (1 = the file's first line).

    Examples
    --------
    >>> record_starts(b'id,note\r\n1,"two\r\nlines"\r\n\r\n2,x\r\n', ",", 4).tolist()
    [1, 2, 4, 5]
    >>> record_starts(b"id\n1\n2", ",", 3) is None
    True
    """
    if b'"' not in data:  # no quoted field, so no line break inside one
        return None
    lines = data.count(b"\n")
    lone_cr = data.count(b"\r")
    if lone_cr:
        lines += lone_cr - data.count(b"\r\n")
    if data and not data.endswith((b"\n", b"\r")):
        lines += 1  # a last line without its newline
    if lines == records:
        return None
    starts = _starts_by_quote_parity(data, sep)
    if starts is None or len(starts) != records:
        starts = _starts_by_csv(data, sep)
    return starts if starts is not None and len(starts) == records else None


def _starts_by_quote_parity(data: bytes, sep: str) -> np.ndarray | None:
    """Record starts from where line ends fall outside quotes (vectorised).

    Exact when every quote that opens a quoted stretch opens a field (or
    follows a quote: ``""`` inside a field); ``None`` otherwise (a stray
    quote inside an unquoted field, which is text, not quoting).
    """
    buf = np.frombuffer(data, dtype=np.uint8)
    quotes = np.flatnonzero(buf == ord('"'))
    opening = quotes[0::2]
    before = buf[np.maximum(opening - 1, 0)]
    if not ((opening == 0) | np.isin(before, [ord(sep), 10, 13, ord('"')])).all():
        return None
    newline = buf == 10
    if b"\r" in data:  # CR alone ends a line too; CRLF is one end
        newline |= (buf == 13) & np.append(~newline[1:], True)
    ends = np.flatnonzero(newline)
    outside = np.searchsorted(quotes, ends) % 2 == 0  # an even count of quotes before it
    starts = np.concatenate([[1], np.flatnonzero(outside) + 2]).astype(np.int64)
    return starts[:-1] if len(ends) and ends[-1] == len(buf) - 1 and outside[-1] else starts


def _starts_by_csv(data: bytes, sep: str) -> np.ndarray | None:
    """Record starts as Python's csv module splits the file (slower, any quoting)."""
    reader = csv.reader(io.StringIO(data.decode("utf-8", errors="replace"), newline=""),
                        delimiter=sep, strict=False)
    starts, end = [], 0
    try:
        for _ in reader:
            starts.append(end + 1)
            end = reader.line_num
    except csv.Error:  # a field past csv's size limit, a NUL: keep record numbering
        return None
    return np.asarray(starts, dtype=np.int64)


@dataclass(frozen=True)
class SourceLines:
    """Where each record of a source starts, as the line number people see (header = line 1).

    Built from the ``attrs`` of :func:`creditkit.io.read_table`: ``first`` is
    the line of data record 1 (2 below a header, 1 without one, ``None``
    when the source has no lines), ``starts`` the start line of every record
    when some record spans lines (``None`` otherwise). Record numbers are
    1-based (``source_row``).

    Examples
    --------
    >>> import numpy as np
    >>> SourceLines(2).lines(np.array([1, 10])).tolist()
    [2, 11]
    >>> spans = SourceLines(2, np.array([2, 4, 5]))  # record 1 holds a line break
    >>> spans.lines(np.array([2, 3])).tolist(), spans.rows([5]).tolist()
    ([4, 5], [3])
    >>> SourceLines().lines(np.array([1])).tolist()
    [<NA>]
    """

    first: int | None = None
    starts: np.ndarray | None = None

    @classmethod
    def of(cls, df: pd.DataFrame) -> SourceLines:
        """The lines of a frame, from the attrs :func:`creditkit.io.read_table` sets.

        A frame that lists ``bad_lines`` or ``blank_lines`` but no
        ``first_line`` has a header and one line per record; any other frame
        has no lines.

        Raises
        ------
        ParameterError
            When ``attrs["first_line"]`` is not a line number.

        Examples
        --------
        >>> import pandas as pd
        >>> SourceLines.of(pd.DataFrame({"a": [1]}))
        SourceLines(first=None, starts=None)
        """
        attrs = df.attrs
        listed = "bad_lines" in attrs or "blank_lines" in attrs
        first = attrs.get("first_line", 2 if listed else None)
        starts = attrs.get("record_lines")
        if first is not None and (isinstance(first, bool) or not isinstance(first, int | np.integer)
                                  or first < 1):
            raise ParameterError(f"attrs['first_line'] must be a line number >= 1 or None, got "
                                 f"{first!r}; read the file with creditkit.io.read_table")
        return cls(None if first is None else int(first),
                   None if starts is None or first is None
                   else np.asarray(starts, dtype=np.int64))

    def lines(self, rows: np.ndarray | list[int]) -> pd.arrays.IntegerArray:
        """Line number (Int64, ``<NA>`` when unknown) of each 1-based record number."""
        rows = np.asarray(rows, dtype=np.int64)
        if self.first is None:
            return pd.array([pd.NA] * len(rows), dtype="Int64")
        if self.starts is None:
            return pd.array(rows - 1 + self.first, dtype="Int64")
        known = (rows >= 1) & (rows <= len(self.starts))
        vals = np.zeros(len(rows), dtype=np.int64)
        vals[known] = self.starts[rows[known] - 1]
        out = pd.array(vals, dtype="Int64")
        out[~known] = pd.NA  # a record the reader did not count has no line
        return out

    def rows(self, lines: list[int] | np.ndarray) -> np.ndarray:
        """1-based record number of each line on which a record starts."""
        lines = np.asarray(lines, dtype=np.int64)
        if self.starts is None:
            return lines - (2 if self.first is None else self.first) + 1
        return np.searchsorted(self.starts, lines) + 1
