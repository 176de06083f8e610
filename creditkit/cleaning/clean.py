"""``clean_customers``, ``clean_bills``, ``clean_payments``: raw export in, nothing lost out.

Each call recognises the headers, normalises every field, applies the rule
table of :mod:`creditkit.cleaning.validate`, routes each source row to
``clean``, ``quarantine`` or ``merged``, and records the money in and out
(:class:`~creditkit.cleaning.quarantine.CleanResult`). Input frames are
never modified.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from creditkit.checks import check_as_of, check_date
from creditkit.cleaning.columns import FIELDS, recognise_columns
from creditkit.cleaning.fields import Fields, cell_errors, normalize_ids, read_fields
from creditkit.cleaning.quality import column_stats
from creditkit.cleaning.quarantine import (
    MERGED_COLUMNS,
    QUARANTINE_COLUMNS,
    CleanResult,
    SourceLines,
    cite_lines,
    money_by_currency,
    row_text,
    source_rows,
    unsplit_rows,
)
from creditkit.cleaning.reasons import REASONS
from creditkit.cleaning.text import as_text, decode_bytes
from creditkit.cleaning.validate import Rule, first_reasons, route_duplicates
from creditkit.exceptions import ParameterError, SchemaError
from creditkit.schema import TABLES, validate

__all__ = ["DATE_WINDOW", "clean_bills", "clean_customers", "clean_payments"]

#: Default plausible window for every date: earlier or later is ``date_out_of_window``.
DATE_WINDOW = ("1980-01-01", "2099-12-31")


def _check_params(df: Any, dayfirst: Any, default_currency: Any, date_window: Any,
                  as_of: Any) -> tuple[tuple[pd.Timestamp, pd.Timestamp], pd.Timestamp | None]:
    if not isinstance(df, pd.DataFrame):
        raise ParameterError(
            f"expected a pandas DataFrame of raw rows, got {type(df).__name__}; "
            "read files with creditkit.io.read_table")
    dup = df.columns[df.columns.duplicated()]
    if len(dup):
        names = sorted({str(c) for c in dup})
        raise SchemaError(
            f"column(s) {names} appear twice in the frame, so creditkit cannot tell which "
            "one holds the data; rename one (df.columns = [...]) or drop the extra one "
            "(df.loc[:, ~df.columns.duplicated()] keeps the first)")
    if dayfirst not in (True, False, None):
        raise ParameterError(f"dayfirst must be True, False or None, got {dayfirst!r}")
    if not (isinstance(default_currency, str) and len(default_currency) == 3
            and default_currency.isupper()):
        raise ParameterError(
            f"default_currency must be an ISO 4217 code like 'CNY', got {default_currency!r}")
    try:
        lo, hi = (check_date(d, "date_window") for d in date_window)
    except (TypeError, ValueError, ParameterError):
        raise ParameterError(
            f"date_window must be two dates (start, end), got {date_window!r}") from None
    if lo > hi:
        raise ParameterError(f"date_window start {lo.date()} is after its end {hi.date()}")
    return (lo, hi), None if as_of is None else check_as_of(as_of)


def _reference_keys(other: Any, table: str, field: str) -> pd.Series | None:
    """Keys ``field`` of another table (a CleanResult's clean rows, or a frame)."""
    if other is None:
        return None
    if isinstance(other, CleanResult):
        frame = other.clean
        return frame[field] if field in frame.columns else None
    if not isinstance(other, pd.DataFrame):
        raise ParameterError(
            f"{table} must be a DataFrame or a CleanResult, got {type(other).__name__}")
    mapping = recognise_columns(other, table)
    cols = [c for c, f in mapping.items() if f == field]
    if not cols:
        raise SchemaError(
            f"the {table} passed for reference checks has no {field} column; got "
            f"{list(map(str, other.columns))}; pass a cleaned {table} frame or CleanResult")
    return normalize_ids(other[cols[0]])


def _reference_rules(values: pd.DataFrame, table: str, customers: Any,
                     bills: Any) -> list[Rule]:
    rules: list[Rule] = []
    checks = [("customer_id", customers, "customers", "customer_id", "unknown_customer")]
    if table == "payments":
        checks += [("bill_id", bills, "bills", "bill_id", "unknown_bill"),
                   ("invoice_id", bills, "bills", "invoice_id", "unknown_invoice")]
    for col, other, other_table, other_field, reason in checks:
        keys = _reference_keys(other, other_table, other_field)
        if keys is None or col not in values:
            continue
        mine = values[col]
        known = pd.Index(keys.dropna().unique())
        rules.append(Rule(reason, col, mine.notna() & ~mine.isin(known)))
    return rules


# A quarantined row's content hash is taken over its raw text, a passing row's over its
# canonical values: hashes of two different things. XOR-ing the raw-text hashes with this
# constant puts them in another region of the 64-bit space, so a quarantined row is never
# judged an exact duplicate of a passing row because the two hashes coincide (they do
# whenever every column is text that cleaning left unchanged, e.g. a bare "B1"). The value is
# 2**64 divided by the golden ratio, the usual Fibonacci-hashing constant: odd, with bits that
# look random, so the XOR maps distinct hashes to distinct hashes.
_RAW_HASH_SALT = np.uint64(0x9E3779B97F4A7C15)


@dataclass
class _Source:
    """The raw frame as cleaning reads it: rows, their source numbers, recognised cells."""

    frame: pd.DataFrame  # the input, reset to 0..n-1
    mapping: dict[str, str]  # header -> field
    raw: dict[str, pd.Series]  # field -> text (<NA> when blank) or datetime64 cells
    raw_text: dict[str, pd.Series]  # field -> text, with the money column under both names
    src_rows: np.ndarray  # 1-based source row of each frame row
    bad_lines: list[tuple[int, str]]
    blank_lines: list[int]
    lines: SourceLines  # the line (header = 1) on which each source row starts
    errors: dict[str, pd.Series]  # field -> Excel error or unsaved formula per cell

    @property
    def index(self) -> pd.RangeIndex:
        return pd.RangeIndex(len(self.frame))


def _recognised(df: pd.DataFrame, table: str,
                column_map: Mapping[str, str] | None) -> dict[str, str]:
    mapping = recognise_columns(df, table, column_map=column_map)
    if not mapping:
        raise SchemaError(
            f"no recognisable {table} columns; got {list(map(str, df.columns))[:20]}; "
            f"expected headers such as {list(FIELDS[table])[:6]} (or 中文 like 客户编号, 金额); "
            "pass column_map={'your header': 'field'} to map yours")
    return mapping


def _read_source(df: pd.DataFrame, mapping: dict[str, str]) -> _Source:
    bad_lines = list(df.attrs.get("bad_lines", []) or [])
    blank_lines = [int(line) for line in df.attrs.get("blank_lines", []) or []]
    frame = df.reset_index(drop=True)
    for col in frame.columns:
        if pd.api.types.is_object_dtype(frame[col]):
            frame[col] = decode_bytes(frame[col])  # bytes cells (frames, Parquet) as text
    src_rows = source_rows(df, [int(line) for line, _ in bad_lines] + blank_lines)
    raw = {field: frame[col] if pd.api.types.is_datetime64_any_dtype(frame[col])
           else as_text(frame[col]) for col, field in mapping.items()}
    raw_text = {name: s if s.dtype == "str" else as_text(s) for name, s in raw.items()}
    if "amount" in raw_text:
        raw_text.setdefault("amount_minor", raw_text["amount"])
    if "credit_limit" in raw_text:
        raw_text.setdefault("credit_limit_minor", raw_text["credit_limit"])
    errors = cell_errors(frame, mapping, df.attrs.get("formula_cells"))
    return _Source(frame, mapping, raw, raw_text, src_rows, bad_lines, blank_lines,
                   SourceLines.of(df), errors)


def _intake_log(df: pd.DataFrame, src: _Source, table: str) -> list[str]:
    """The first log lines: what was read, which headers mapped, what is missing."""
    mapping = src.mapping
    log = [f"read {len(src.frame)} row(s), {len(src.bad_lines)} malformed and "
           f"{len(src.blank_lines)} blank line(s) from {df.attrs.get('source', 'a DataFrame')}",
           "columns: " + ", ".join(f"{c} -> {f}" for c, f in mapping.items())]
    unknown_cols = [str(c) for c in src.frame.columns if c not in mapping]
    if unknown_cols:
        log.append(f"columns not recognised (kept only in quarantine raw text): {unknown_cols}")
    t = TABLES[table]
    missing = [c for c in t.required if c not in mapping.values() and c not in (
        "currency", "invoice_id", "amount_minor", "credit_limit_minor", "kind")]
    if "amount_minor" in t.required and not {"amount", "amount_minor"} & set(mapping.values()):
        missing.append("amount")
    if missing:
        # a whole column absent is a file problem, not a row problem: quarantining every row
        # as 'a required value is blank' would hide it
        raise SchemaError(
            f"required {table} column(s) {missing} not found among the headers "
            f"{[str(c) for c in src.frame.columns][:20]}; pass column_map={{'your header': "
            f"'{missing[0]}'}} to map yours, or add the column")
    return log


def _empty_rows(src: _Source) -> pd.Series:
    """Rows whose every cell is blank."""
    empty = pd.Series(True, index=src.index)
    for col in src.frame.columns:
        mapped = src.mapping.get(col)
        empty &= (src.raw[mapped] if mapped is not None else as_text(src.frame[col])).isna()
        if mapped in src.errors:  # a cell holding #N/A is broken, not empty
            empty &= src.errors[mapped].isna()
    return empty


def _row_rules(f: Fields, src: _Source, table: str, customers: Any, bills: Any,
               empty: pd.Series) -> list[Rule]:
    """Every per-row rule; a wholly blank row fails only as ``empty_row``."""
    rules = f.rules + _reference_rules(f.values, table, customers, bills)
    rules = [Rule(r.reason, r.column, r.mask.fillna(False).astype(bool) & ~empty, r.got)
             for r in rules]
    rules.append(Rule("empty_row", "*", empty))
    return rules


def _content_hashes(key: pd.Series, values: pd.DataFrame, raw_text: dict[str, pd.Series],
                    failed: pd.Series) -> pd.Series:
    """A hash of each row's content where its key repeats (elsewhere: the row number)."""
    index = key.index
    content = pd.Series(np.arange(len(index), dtype=np.uint64), index=index)
    rep = (key.duplicated(keep=False) & key.notna()).to_numpy()
    if rep.any():
        sub = index[rep]
        ok_hash = pd.util.hash_pandas_object(values.loc[sub], index=False)
        raw_hash = pd.util.hash_pandas_object(
            pd.DataFrame({k: v[sub] for k, v in raw_text.items()}), index=False)
        content[sub] = ok_hash.where(~failed[sub], raw_hash ^ _RAW_HASH_SALT)
    return content


def _route(first: pd.DataFrame, key: pd.Series, content: pd.Series,
           key_name: str) -> tuple[pd.Series, pd.Series]:
    """Mark key conflicts in ``first`` (in place); return (quarantined, survivor) per row."""
    failed = first["reason"].notna()
    conflict, survivor = route_duplicates(key, content, failed)
    conflict_only = conflict & ~failed
    if conflict_only.any():
        msg = f"{key_name}: " + REASONS["duplicate_key_conflict"]
        first.loc[conflict_only, ["reason", "column", "message"]] = [
            "duplicate_key_conflict", key_name, msg]
    return first["reason"].notna(), survivor


def _quarantine_frame(src: _Source, rows: pd.Index, first: pd.DataFrame, key: pd.Series,
                      key_name: str, amount: pd.Series, f: Fields) -> pd.DataFrame:
    lines = src.lines.lines(src.src_rows[rows])
    quarantine = pd.DataFrame({
        "source_row": src.src_rows[rows],
        "source_line": pd.Series(lines, index=rows),
        "reason": first.loc[rows, "reason"],
        "column": first.loc[rows, "column"],
        "message": cite_lines(first.loc[rows, "message"], lines),
        "key": key[rows].fillna(src.raw_text.get(key_name, key)[rows]),
        "amount_minor": amount[rows],
        "currency": f.values.loc[rows, "currency"],
        "amount_text": f.amount_text[rows],
        "raw": row_text(src.frame.loc[rows]),
    })
    if src.bad_lines or src.blank_lines:
        quarantine = pd.concat([quarantine, unsplit_rows(src.bad_lines, src.blank_lines,
                                                         src.lines)], ignore_index=True)
    quarantine = (quarantine.astype({"source_row": "int64", "source_line": "Int64",
                                     "amount_minor": "Int64"})
                  .sort_values("source_row", kind="stable").reset_index(drop=True))
    for col in QUARANTINE_COLUMNS:
        if col not in ("source_row", "source_line", "amount_minor"):
            quarantine[col] = quarantine[col].astype("str")
    return quarantine


def _merged_frame(src: _Source, rows: pd.Index, survivor: pd.Series, key: pd.Series,
                  amount: pd.Series, values: pd.DataFrame) -> pd.DataFrame:
    surv = survivor[rows].to_numpy(dtype=np.int64)
    return pd.DataFrame({
        "source_row": src.src_rows[rows].astype(np.int64),
        "source_line": pd.Series(src.lines.lines(src.src_rows[rows]), index=rows),
        "reason": pd.Series("exact_duplicate", index=rows, dtype="str"),
        "key": key[rows], "surviving_key": key.to_numpy()[surv],
        "surviving_source_row": src.src_rows[surv].astype(np.int64),
        "surviving_source_line": pd.Series(src.lines.lines(src.src_rows[surv]), index=rows),
        "amount_minor": amount[rows], "currency": values.loc[rows, "currency"],
        "raw": row_text(src.frame.loc[rows]),
    }, columns=list(MERGED_COLUMNS)).reset_index(drop=True)


def _clean_frame(values: pd.DataFrame, rows: pd.Index, table: str,
                 money_col: str) -> pd.DataFrame:
    """The kept rows in the canonical schema (money int64 when none is missing)."""
    t = TABLES[table]
    clean = values.loc[rows].reset_index(drop=True)
    clean[money_col] = clean[money_col].astype(
        "int64" if clean[money_col].notna().all() else "Int64")
    for c in t.columns:
        if c.dtype == "string":
            clean[c.name] = clean[c.name].astype("str")
    return validate(clean[t.names], table)


def _stats(values: pd.DataFrame, raw_text: dict[str, pd.Series], rules: list[Rule],
           empty: pd.Series) -> pd.DataFrame:
    present = {c: s.notna() for c, s in raw_text.items() if c in values.columns}
    invalid: dict[str, pd.Series] = {}
    for r in rules:
        if r.reason not in ("missing_required", "empty_row") and r.column in values.columns:
            invalid[r.column] = invalid.get(r.column, False) | r.mask
    return column_stats(values, present, invalid, ~empty)


def _clean(df: pd.DataFrame, table: str, *, customers: Any = None, bills: Any = None,
           column_map: Mapping[str, str] | None, dayfirst: bool | None,
           default_currency: str, decimal: str, date_window: tuple[str, str],
           as_of: Any) -> CleanResult:
    window, when = _check_params(df, dayfirst, default_currency, date_window, as_of)
    key_name = TABLES[table].key[0]
    money_col = "credit_limit_minor" if table == "customers" else "amount_minor"
    src = _read_source(df, _recognised(df, table, column_map))
    log = _intake_log(df, src, table)
    index = src.index

    f = read_fields(src.raw, table, index, dayfirst=dayfirst, default_currency=default_currency,
                    decimal=decimal, date_window=window, as_of=when, errors=src.errors)
    log += f.notes
    values = f.values
    empty = _empty_rows(src)
    rules = _row_rules(f, src, table, customers, bills, empty)
    first = first_reasons(rules, index, src.raw_text)

    key = values[key_name]
    content = _content_hashes(key, values, src.raw_text, first["reason"].notna())
    quarantined, survivor = _route(first, key, content, key_name)
    merged = survivor.notna()
    keep = ~quarantined & ~merged

    amount = values[money_col]
    unread = f.amount_text.notna() & amount.isna()
    quarantine = _quarantine_frame(src, index[quarantined.to_numpy()], first, key, key_name,
                                   amount, f)
    merged_frame = _merged_frame(src, index[merged.to_numpy()], survivor, key, amount, values)
    k_idx = index[keep.to_numpy()]
    clean = _clean_frame(values, k_idx, table, money_col)

    result = CleanResult(
        table=table, clean=clean, quarantine=quarantine, merged=merged_frame, log=log,
        rows_in=len(index) + len(src.bad_lines) + len(src.blank_lines),
        money_in=money_by_currency(amount, values["currency"]),
        unread_amounts_in=int(unread.sum()),
        source_rows=pd.Series(src.src_rows[k_idx].astype(np.int64), name="source_row"),
        column_stats=_stats(values, src.raw_text, rules, empty))
    # most frequent first, ties by name: the log does not follow the input's row order
    counts = quarantine["reason"].value_counts()
    counts = counts.iloc[np.lexsort((counts.index.to_numpy(dtype=str), -counts.to_numpy()))]
    result.log.append(
        f"{len(clean)} clean, {len(quarantine)} quarantined "
        f"({', '.join(f'{k} {v}' for k, v in counts.items()) or 'none'}), "
        f"{len(merged_frame)} merged as exact duplicates")
    return result.check()


_DOC_PARAMS = """
    column_map : mapping, optional
        Your headers to fields (``{"单据号": "bill_id"}``); others are recognised
        from common zh/en export headers.
    dayfirst : bool or None, default None
        How to read ``NN/NN/YYYY`` dates; ``None`` quarantines ambiguous ones.
    default_currency : str, default "CNY"
        Currency of rows whose currency column and amount name none.
    decimal : {".", ","}, default "."
        Decimal mark of amounts.
    date_window : (str, str), default DATE_WINDOW
        Plausible dates; outside is ``date_out_of_window``.
    as_of : date-like, optional
        Issue, paid and open dates after it are ``date_after_as_of``.

    Returns
    -------
    CleanResult
        ``clean`` (the canonical table), ``quarantine``, ``merged``, ``log``; the
        row and money invariants are checked before it is returned.

"""


def clean_customers(df: pd.DataFrame, *, column_map: Mapping[str, str] | None = None,
                    dayfirst: bool | None = None, default_currency: str = "CNY",
                    decimal: str = ".", date_window: tuple[str, str] = DATE_WINDOW,
                    as_of: Any = None) -> CleanResult:
    """Clean a raw customer master: names, kinds, ID numbers/credit codes, phones, limits.

    Parameters
    ----------
    df : DataFrame
        Raw rows (e.g. from ``creditkit.io.read_table``); not modified.
    {params}
    Raises
    ------
    SchemaError
        When no column of ``df`` is recognisable as a customers column.
    ParameterError
        For a bad ``dayfirst``, ``default_currency``, ``date_window`` or ``as_of``.

    Examples
    --------
    >>> import pandas as pd
    >>> res = clean_customers(pd.DataFrame({"客户编号": ["C1", "C2"], "姓名": ["张 三", "李四"],
    ...     "身份证号": ["11010519491231002x", "110105194912310021"],
    ...     "手机": ["+86 138 0013 8000", "13800138000"]}))
    >>> res.clean[["customer_id", "name", "kind", "id_number", "phone"]].values.tolist()
    [['C1', '张三', 'consumer', '11010519491231002X', '13800138000']]
    >>> res.quarantine[["source_row", "reason"]].values.tolist()
    [[2, 'invalid_id_number']]
    """
    return _clean(df, "customers", column_map=column_map, dayfirst=dayfirst,
                  default_currency=default_currency, decimal=decimal,
                  date_window=date_window, as_of=as_of)


def clean_bills(df: pd.DataFrame, *, customers: pd.DataFrame | CleanResult | None = None,
                column_map: Mapping[str, str] | None = None, dayfirst: bool | None = None,
                default_currency: str = "CNY", decimal: str = ".",
                date_window: tuple[str, str] = DATE_WINDOW, as_of: Any = None) -> CleanResult:
    """Clean raw bills: dates, amounts, currencies; no negative amounts, due not before issue.

    Parameters
    ----------
    df : DataFrame
        Raw rows; not modified.
    customers : DataFrame or CleanResult, optional
        When given, a bill whose customer is not among its (clean) customers is
        quarantined as ``unknown_customer``.
    {params}
    Raises
    ------
    SchemaError
        When no column is recognisable, or ``customers`` has no customer_id.
    ParameterError
        For a bad parameter value or a ``customers`` of the wrong type.

    Examples
    --------
    >>> import pandas as pd
    >>> res = clean_bills(pd.DataFrame({"账单号": ["B1", "B2"], "客户编号": ["C1", "C9"],
    ...     "出账日期": ["2025/1/5", "2025-01-05"], "到期日": ["2025年2月5日", "20250205"],
    ...     "金额": ["¥1,200.00", "300"]}), customers=pd.DataFrame({"customer_id": ["C1"]}))
    >>> res.clean[["bill_id", "invoice_id", "amount_minor", "currency"]].values.tolist()
    [['B1', 'B1', 120000, 'CNY']]
    >>> res.quarantine["reason"].tolist()
    ['unknown_customer']
    """
    return _clean(df, "bills", customers=customers, column_map=column_map, dayfirst=dayfirst,
                  default_currency=default_currency, decimal=decimal,
                  date_window=date_window, as_of=as_of)


def clean_payments(df: pd.DataFrame, *, bills: pd.DataFrame | CleanResult | None = None,
                   customers: pd.DataFrame | CleanResult | None = None,
                   column_map: Mapping[str, str] | None = None, dayfirst: bool | None = None,
                   default_currency: str = "CNY", decimal: str = ".",
                   date_window: tuple[str, str] = DATE_WINDOW,
                   as_of: Any = None) -> CleanResult:
    """Clean raw payments: channels, kinds, amounts; named bills and invoices must exist.

    Parameters
    ----------
    df : DataFrame
        Raw rows; not modified.
    bills : DataFrame or CleanResult, optional
        When given, a payment naming a bill_id (invoice_id) not in it is
        quarantined as ``unknown_bill`` (``unknown_invoice``).
    customers : DataFrame or CleanResult, optional
        When given, a payment naming an unknown customer is ``unknown_customer``
        (a blank customer_id is fine: reconciliation finds it later).
    {params}
    Raises
    ------
    SchemaError
        When no column is recognisable, or ``bills``/``customers`` lack their key.
    ParameterError
        For a bad parameter value.

    Examples
    --------
    >>> import pandas as pd
    >>> res = clean_payments(pd.DataFrame({"流水号": ["P1", "P2"], "回款日期": ["2025-02-01"] * 2,
    ...     "回款金额": ["100", "50"], "支付方式": ["支付宝", "比特币"]}))
    >>> res.clean[["payment_id", "channel", "amount_minor"]].values.tolist()
    [['P1', 'alipay', 10000]]
    >>> res.quarantine["reason"].tolist()
    ['unknown_channel']
    """
    return _clean(df, "payments", bills=bills, customers=customers, column_map=column_map,
                  dayfirst=dayfirst, default_currency=default_currency, decimal=decimal,
                  date_window=date_window, as_of=as_of)


for _fn in (clean_customers, clean_bills, clean_payments):
    _fn.__doc__ = (_fn.__doc__ or "").replace("    {params}\n", _DOC_PARAMS.lstrip("\n"))
