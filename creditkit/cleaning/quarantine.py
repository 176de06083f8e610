"""The result of a cleaning call and the bookkeeping that proves nothing was lost.

Every source row ends in exactly one of three places: ``clean`` (canonical
table), ``quarantine`` (held back with a reason) or ``merged`` (an exact
duplicate of a row that survives). Malformed lines the reader could not
split are source rows too and are quarantined as ``malformed_line``; blank
records the reader left out of the frame (``attrs["blank_lines"]`` of
:func:`creditkit.io.read_table`: ``,,,``, empty lines, empty sheet rows) are
quarantined as ``empty_row``, like an all-blank row still in the frame.

Money in is the sum, per currency, of every amount that could be read,
taken before any row is routed; money that could not be read is counted
(``unread_amounts``) and kept as text in the quarantine. The invariants:

- rows in = clean + quarantined + merged;
- for each currency, money in = money clean + money quarantined + money merged,
  to the minor unit;
- unread amounts in = quarantined rows whose amount text could not be read.

Two numbers say where a row came from:

- ``source_line`` is the line a person sees in an editor, header = line 1 (a
  blank line counts; a record whose quoted field holds a line break is cited
  by the line it starts on; in a workbook, the sheet row number Excel shows).
  A message that cites a line (``line 11: ...``) cites this number. It is
  ``<NA>`` for rows that did not come from a text file or workbook (a frame
  built in code, Parquet, DuckDB): they have no lines, and their messages
  cite none.
- ``source_row`` is the record's position among the source's data records
  (1 = the first record, malformed and blank ones included; for a frame, its
  row position). It is not a line number: it is the count that proves no
  row was lost (rows in = clean + quarantined + merged).

Examples
--------
>>> import pandas as pd
>>> from creditkit.cleaning import clean_bills
>>> res = clean_bills(pd.DataFrame({
...     "bill_id": ["B1", "B1", "B2"], "customer_id": ["C1", "C1", "C2"],
...     "issue_date": ["2025-01-01"] * 3, "due_date": ["2025-01-31", "2025-01-31", "2024-12-01"],
...     "amount": ["100.00", "100.00", "5"]}))
>>> len(res.clean), len(res.quarantine), len(res.merged), res.ok
(1, 1, 1, True)
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

import numpy as np
import pandas as pd

from creditkit.cleaning.reasons import REASONS
from creditkit.exceptions import CleaningInvariantError, ParameterError
from creditkit.lines import SourceLines

__all__ = [
    "MERGED_COLUMNS",
    "QUARANTINE_COLUMNS",
    "CleanResult",
    "CleaningInvariantError",
    "add_money",
    "exact_sum",
    "money_by_currency",
    "takes_clean_result",
]

#: Columns of ``CleanResult.quarantine``.
QUARANTINE_COLUMNS = ("source_row", "source_line", "reason", "column", "message", "key",
                      "amount_minor", "currency", "amount_text", "raw")
#: Columns of ``CleanResult.merged``.
MERGED_COLUMNS = ("source_row", "source_line", "reason", "key", "surviving_key",
                  "surviving_source_row", "surviving_source_line", "amount_minor", "currency",
                  "raw")


def exact_sum(vals: np.ndarray) -> int:
    """Exact sum of an int64 array as a Python int (never wraps around int64).

    Each value is split into its high and low 32 bits; the two int64 sums
    cannot overflow below 2**31 values, and are joined in Python integers.

    Examples
    --------
    >>> import numpy as np
    >>> exact_sum(np.full(11, 9 * 10**17, dtype=np.int64))
    9900000000000000000
    """
    v = np.asarray(vals, dtype=np.int64)
    if not len(v):
        return 0
    big = max(abs(int(v.max())), abs(int(v.min())))
    if big * len(v) < 2**63:  # the plain int64 sum cannot overflow
        return int(v.sum(dtype=np.int64))
    return (int((v >> 32).sum(dtype=np.int64)) << 32) + int((v & 0xFFFFFFFF).sum(dtype=np.int64))


def money_by_currency(amount: pd.Series, currency: pd.Series) -> pd.Series:
    """Exact sum of integer minor units per currency (NA skipped).

    Sums are Python integers: the Series is int64 when every sum fits, else
    ``object`` holding Python ints (a sum never wraps around int64).

    Examples
    --------
    >>> import pandas as pd
    >>> money_by_currency(pd.Series([1, 2, None], dtype="Int64"),
    ...                   pd.Series(["CNY", "USD", "CNY"])).to_dict()
    {'CNY': 1, 'USD': 2}
    """
    a = pd.Series(amount, copy=False).astype("Int64")
    ok = a.notna().to_numpy()
    if not ok.any():
        return pd.Series(dtype="int64", name="amount_minor")
    cur = pd.Series(currency, copy=False).astype("str").to_numpy(dtype=object)[ok]
    vals = a.to_numpy(dtype=np.int64, na_value=0)[ok]
    codes, names = pd.factorize(cur)
    # integer sums per currency (a handful): never through float, never wrapped
    sums = [exact_sum(vals[codes == i]) for i in range(len(names))]
    fits = all(-(2**63) <= x < 2**63 for x in sums)
    out = pd.Series(sums, index=pd.Index(names, name="currency"),
                    dtype="int64" if fits else object)
    return out.sort_index().rename("amount_minor")


def add_money(*parts: pd.Series) -> dict[str, int]:
    """Per-currency sums of several :func:`money_by_currency` results, in Python ints.

    Examples
    --------
    >>> import pandas as pd
    >>> add_money(pd.Series({"CNY": 2**62}), pd.Series({"CNY": 2**62, "USD": 1}))
    {'CNY': 9223372036854775808, 'USD': 1}
    """
    total: dict[str, int] = {}
    for part in parts:
        for cur, v in part.items():
            total[str(cur)] = total.get(str(cur), 0) + int(v)
    return total


@dataclass
class CleanResult:
    """What ``clean_customers``/``clean_bills``/``clean_payments`` return.

    Attributes
    ----------
    table : str
        ``"customers"``, ``"bills"`` or ``"payments"``.
    clean : DataFrame
        Rows that passed, in the canonical schema (``schema.validate`` passes).
    quarantine : DataFrame
        Rows held back: ``source_row`` (record number), ``source_line``
        (line in the file, header = 1; ``<NA>`` without a file), ``reason`` (code), ``column``,
        ``message`` (for machines: English, internal column names; people read
        :func:`~creditkit.cleaning.explain_quarantine` in zh or en),
        ``key``, ``amount_minor``/``currency`` (when readable), ``amount_text``
        and ``raw`` (the original row as text).
    merged : DataFrame
        Exact duplicates folded into an earlier row: ``source_row``,
        ``source_line``, ``key``, ``surviving_key``, ``surviving_source_row``,
        ``surviving_source_line``, amount and ``raw``.
    log : list of str
        What each step did, in order.
    rows_in : int
        Source rows, malformed and blank lines included.
    money_in : Series
        Readable money in per currency (int64 minor units).
    unread_amounts_in : int
        Rows whose amount text was present but unreadable.
    source_rows : Series
        ``source_row`` of each row of ``clean`` (same index).
    column_stats : DataFrame
        Counts behind :func:`creditkit.cleaning.quality_table`.
    """

    table: str
    clean: pd.DataFrame
    quarantine: pd.DataFrame
    merged: pd.DataFrame
    log: list[str] = field(default_factory=list)
    rows_in: int = 0
    money_in: pd.Series = field(default_factory=lambda: pd.Series(dtype="int64"))
    unread_amounts_in: int = 0
    source_rows: pd.Series = field(default_factory=lambda: pd.Series(dtype="int64"))
    column_stats: pd.DataFrame = field(default_factory=pd.DataFrame)

    @property
    def money_column(self) -> str:
        """The money column of ``clean`` (``amount_minor`` or ``credit_limit_minor``)."""
        return "credit_limit_minor" if self.table == "customers" else "amount_minor"

    def invariants(self) -> pd.DataFrame:
        """One row per invariant: ``check``, ``expected`` (in), ``got`` (out), ``ok``.

        Examples
        --------
        >>> import pandas as pd
        >>> from creditkit.cleaning import clean_payments
        >>> res = clean_payments(pd.DataFrame({"payment_id": ["P1", "P2"],
        ...     "paid_date": ["2025-01-02", "bad"], "amount": ["10", "x"]}))
        >>> res.invariants()[["check", "expected", "got", "ok"]].values.tolist()
        [['rows', 2, 2, True], ['unread_amounts', 1, 1, True], ['money CNY', 1000, 1000, True]]
        """
        q, m = self.quarantine, self.merged
        rows_out = len(self.clean) + len(q) + len(m)
        unread_out = int((q["amount_minor"].isna() & q["amount_text"].notna()).sum())
        # Python ints throughout: a pandas add of unaligned int64 Series goes through float64
        out = add_money(money_by_currency(self.clean[self.money_column], self.clean["currency"]),
                        *(money_by_currency(part["amount_minor"], part["currency"])
                          for part in (q, m)))
        money_in = add_money(self.money_in)
        rows = [("rows", self.rows_in, rows_out), ("unread_amounts", self.unread_amounts_in,
                                                   unread_out)]
        for cur in sorted(set(money_in) | set(out)):
            rows.append((f"money {cur}", money_in.get(cur, 0), out.get(cur, 0)))
        frame = pd.DataFrame(rows, columns=["check", "expected", "got"])
        frame["ok"] = frame["expected"] == frame["got"]
        return frame

    @property
    def ok(self) -> bool:
        """True when every invariant holds."""
        return bool(self.invariants()["ok"].all())

    def check(self) -> CleanResult:
        """Raise :class:`CleaningInvariantError` unless every invariant holds; else ``self``.

        Raises
        ------
        CleaningInvariantError
            Naming the broken invariants with their in and out figures.

        Examples
        --------
        >>> import pandas as pd
        >>> from creditkit.cleaning import clean_customers
        >>> res = clean_customers(pd.DataFrame({"customer_id": ["C1"], "name": ["张三"],
        ...                                     "kind": ["个人"]}))
        >>> res.check() is res
        True
        """
        inv = self.invariants()
        bad = inv[~inv["ok"]]
        if len(bad):
            detail = "; ".join(f"{r.check}: in {r.expected}, out {r.got}"
                               for r in bad.itertuples())
            raise CleaningInvariantError(
                f"cleaning {self.table} lost or invented data: {detail}; "
                "this is a creditkit bug, please report it with the input file")
        return self

    def summary(self) -> dict[str, object]:
        """Counts for people and the CLI: rows in/clean/quarantined/merged, reasons, money.

        Examples
        --------
        >>> import pandas as pd
        >>> from creditkit.cleaning import clean_customers
        >>> clean_customers(pd.DataFrame({"customer_id": ["C1", ""], "name": ["A", "B"],
        ...     "kind": ["个人", "个人"]})).summary()["quarantine_by_reason"]
        {'missing_required': 1}
        """
        return {
            "table": self.table,
            "rows_in": int(self.rows_in),
            "rows_clean": len(self.clean),
            "rows_quarantined": len(self.quarantine),
            "rows_merged": len(self.merged),
            # most frequent first, ties by name (never the input's row order)
            "quarantine_by_reason": dict(sorted(
                ((str(k), int(v)) for k, v in self.quarantine["reason"].value_counts().items()),
                key=lambda kv: (-kv[1], kv[0]))),
            "money_in": {str(k): int(v) for k, v in self.money_in.items()},
            "unread_amounts_in": int(self.unread_amounts_in),
            "invariants_ok": self.ok,
        }


_T = TypeVar("_T")
_RAISES = """    Raises
    ------
    ParameterError
        When ``result`` is not a CleanResult.

"""


def takes_clean_result(func: Callable[..., _T]) -> Callable[..., _T]:
    """Check that the first argument is a :class:`CleanResult` before ``func`` runs.

    For the functions that report on a cleaning call (quality tables, files);
    adds the Raises section they share to the docstring.

    Examples
    --------
    >>> @takes_clean_result
    ... def rows(result):
    ...     return len(result.clean)
    >>> rows("clean.parquet")
    Traceback (most recent call last):
    ...
    creditkit.exceptions.ParameterError: rows expects a CleanResult from clean_*, got str
    """

    @functools.wraps(func)
    def checked(result: Any, *args: Any, **kwargs: Any) -> _T:
        if not isinstance(result, CleanResult):
            raise ParameterError(
                f"{func.__name__} expects a CleanResult from clean_*, got "
                f"{type(result).__name__}")
        return func(result, *args, **kwargs)

    checked.__doc__ = (func.__doc__ or "").replace("    Examples\n", _RAISES + "    Examples\n", 1)
    return checked


def source_rows(df: pd.DataFrame, gap_lines: list[int]) -> np.ndarray:
    """1-based data-row numbers of the frame's rows, counting malformed and blank lines as rows.

    A frame from ``creditkit.io.read_table`` is indexed by data record number
    (0 = first record after the header, gaps where bad or blank lines were left
    out), so its rows are ``index + 1``. Any other frame numbers its rows 1..n,
    skipping the records that start on the lines ``gap_lines`` its attrs name.

    Examples
    --------
    >>> import pandas as pd
    >>> source_rows(pd.DataFrame({"a": ["x", "y"]}), [3]).tolist()  # line 3 was malformed
    [1, 3]
    """
    n = len(df)
    if ("bad_lines" in df.attrs and pd.api.types.is_integer_dtype(df.index.dtype)
            and df.index.is_unique):
        return df.index.to_numpy(dtype=np.int64) + 1
    if not gap_lines:
        return np.arange(1, n + 1)
    bad = np.array(sorted(set(SourceLines.of(df).rows(gap_lines).tolist())))
    total = n + len(bad)
    good = np.setdiff1d(np.arange(1, total + 1), bad)
    if len(good) < n:  # line numbers beyond the data: keep order, number past the end
        good = np.concatenate([good, np.arange(total + 1, total + 1 + n - len(good))])
    return good[:n]


def unsplit_rows(bad_lines: list[tuple[int, str]], blank_lines: list[int],
                 lines: SourceLines | None = None) -> pd.DataFrame:
    """Quarantine rows for the records the reader left out: malformed and blank lines.

    ``lines`` turns their line numbers into record numbers (default: a
    header, then one line per record).

    Examples
    --------
    >>> unsplit_rows([(4, "a,b,c")], [6])[["source_row", "source_line", "reason", "raw"]
    ...                                   ].values.tolist()
    [[3, 4, 'malformed_line', 'a,b,c'], [5, 6, 'empty_row', '']]
    """
    found = [(int(line), "malformed_line", str(txt)) for line, txt in bad_lines]
    found += [(int(line), "empty_row", "") for line in blank_lines]
    numbers = [line for line, _, _ in found]
    return pd.DataFrame({
        "source_row": (lines or SourceLines(2)).rows(numbers) if found else np.zeros(0, int),
        "source_line": pd.array(numbers, dtype="Int64"),
        "reason": [reason for _, reason, _ in found], "column": "*",
        "message": [f"line {line}: {REASONS[reason]}" for line, reason, _ in found],
        "key": None, "amount_minor": pd.array([pd.NA] * len(found), dtype="Int64"),
        "currency": None, "amount_text": None, "raw": [txt for _, _, txt in found],
    })


def cite_lines(message: pd.Series, lines: pd.api.extensions.ExtensionArray) -> pd.Series:
    """``line N: `` before each message whose row has a line (messages citing one are kept).

    Examples
    --------
    >>> import pandas as pd
    >>> cite_lines(pd.Series(["amount: bad", "line 4: empty", "x: bad"]),
    ...            pd.array([9, 4, None], dtype="Int64")).tolist()
    ['line 9: amount: bad', 'line 4: empty', 'x: bad']
    """
    msg = pd.Series(message, copy=True).astype("str")
    known = pd.Series(lines, index=msg.index).notna().to_numpy()
    todo = known & ~msg.str.match(r"line \d+: ").to_numpy(dtype=bool)
    if todo.any():
        cited = pd.Series(lines, index=msg.index)[todo].astype("int64").astype("str")
        msg[todo] = "line " + cited + ": " + msg[todo]
    return msg


def duplicate_messages(merged: pd.DataFrame) -> pd.Series:
    """What people read for each merged row: the line (or, without a file, the row) it repeats.

    Examples
    --------
    >>> import pandas as pd
    >>> duplicate_messages(pd.DataFrame({"surviving_source_row": [1, 3],
    ...     "surviving_source_line": pd.array([2, None], dtype="Int64")})).tolist()
    ['exact duplicate of line 2', 'exact duplicate of source row 3']
    """
    row = merged["surviving_source_row"].astype("str")
    if "surviving_source_line" not in merged.columns:
        return "exact duplicate of source row " + row
    line = merged["surviving_source_line"]
    out = "exact duplicate of source row " + row
    has = line.notna()
    if has.any():
        out = out.where(~has, "exact duplicate of line " + line[has].astype("int64").astype("str"))
    return out.astype("str")


def row_text(frame: pd.DataFrame) -> pd.Series:
    """The original cells of each row as ``header=value | ...`` text.

    Examples
    --------
    >>> import pandas as pd
    >>> row_text(pd.DataFrame({"id": ["B1"], "金额": ["5"]})).tolist()
    ['id=B1 | 金额=5']
    """
    out = pd.Series("", index=frame.index, dtype="str")
    for i, col in enumerate(frame.columns):
        txt = frame[col].astype("str").fillna("")
        out = out + ("" if i == 0 else " | ") + str(col) + "=" + txt
    return out
