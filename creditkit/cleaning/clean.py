"""``clean_customers``, ``clean_bills``, ``clean_payments``: raw export in, nothing lost out.

Each call recognises the headers, normalises every field, applies the rule
table of :mod:`creditkit.cleaning.validate`, routes each source row to
``clean``, ``quarantine`` or ``merged``, and records the money in and out
(:class:`~creditkit.cleaning.quarantine.CleanResult`). Input frames are
never modified.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from creditkit.cleaning.columns import FIELDS, recognise_columns
from creditkit.cleaning.fields import normalize_ids, read_fields
from creditkit.cleaning.quality import column_stats
from creditkit.cleaning.quarantine import (
    MERGED_COLUMNS,
    QUARANTINE_COLUMNS,
    CleanResult,
    money_by_currency,
)
from creditkit.cleaning.reasons import REASONS
from creditkit.cleaning.text import as_text
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
    if dayfirst not in (True, False, None):
        raise ParameterError(f"dayfirst must be True, False or None, got {dayfirst!r}")
    if not (isinstance(default_currency, str) and len(default_currency) == 3
            and default_currency.isupper()):
        raise ParameterError(
            f"default_currency must be an ISO 4217 code like 'CNY', got {default_currency!r}")
    try:
        lo, hi = (pd.Timestamp(d) for d in date_window)
    except (TypeError, ValueError):
        raise ParameterError(
            f"date_window must be two dates (start, end), got {date_window!r}") from None
    if lo > hi:
        raise ParameterError(f"date_window start {lo.date()} is after its end {hi.date()}")
    try:
        when = None if as_of is None else pd.Timestamp(as_of).normalize()
    except (TypeError, ValueError):
        raise ParameterError(f"as_of must be a date like '2025-06-30', got {as_of!r}") from None
    return (lo, hi), when


def _source_rows(df: pd.DataFrame, gap_lines: list[int]) -> np.ndarray:
    """1-based data-row numbers of the frame's rows, counting malformed and blank lines as rows.

    A frame from ``creditkit.io.read_table`` is indexed by data record number
    (0 = first record after the header, gaps where bad or blank lines were left
    out), so its rows are ``index + 1``. Any other frame numbers its rows 1..n,
    skipping the line numbers ``gap_lines`` (header = line 1) its attrs name.
    """
    n = len(df)
    if ("bad_lines" in df.attrs and pd.api.types.is_integer_dtype(df.index.dtype)
            and df.index.is_unique):
        return df.index.to_numpy(dtype=np.int64) + 1
    if not gap_lines:
        return np.arange(1, n + 1)
    bad = np.array(sorted({int(line) - 1 for line in gap_lines}))
    total = n + len(bad)
    good = np.setdiff1d(np.arange(1, total + 1), bad)
    if len(good) < n:  # line numbers beyond the data: keep order, number past the end
        good = np.concatenate([good, np.arange(total + 1, total + 1 + n - len(good))])
    return good[:n]


def _unsplit_rows(bad_lines: list[tuple[int, str]], blank_lines: list[int]) -> pd.DataFrame:
    """Quarantine rows for the records the reader left out: malformed and blank lines."""
    lines = [(int(line), "malformed_line", str(txt)) for line, txt in bad_lines]
    lines += [(int(line), "empty_row", "") for line in blank_lines]
    return pd.DataFrame({
        "source_row": [line - 1 for line, _, _ in lines],
        "reason": [reason for _, reason, _ in lines], "column": "*",
        "message": [f"line {line}: {REASONS[reason]}" for line, reason, _ in lines],
        "key": None, "amount_minor": pd.array([pd.NA] * len(lines), dtype="Int64"),
        "currency": None, "amount_text": None, "raw": [txt for _, _, txt in lines],
    })


def _row_text(frame: pd.DataFrame) -> pd.Series:
    """The original cells of each row as ``header=value | ...`` text."""
    out = pd.Series("", index=frame.index, dtype="str")
    for i, col in enumerate(frame.columns):
        txt = frame[col].astype("str").fillna("")
        out = out + ("" if i == 0 else " | ") + str(col) + "=" + txt
    return out


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


def _clean(df: pd.DataFrame, table: str, *, customers: Any = None, bills: Any = None,
           column_map: Mapping[str, str] | None, dayfirst: bool | None,
           default_currency: str, decimal: str, date_window: tuple[str, str],
           as_of: Any) -> CleanResult:
    window, when = _check_params(df, dayfirst, default_currency, date_window, as_of)
    t = TABLES[table]
    mapping = recognise_columns(df, table, column_map=column_map)
    if not mapping:
        raise SchemaError(
            f"no recognisable {table} columns; got {list(map(str, df.columns))[:20]}; "
            f"expected headers such as {list(FIELDS[table])[:6]} (or 中文 like 客户编号, 金额); "
            "pass column_map={'your header': 'field'} to map yours")
    bad_lines = list(df.attrs.get("bad_lines", []) or [])
    blank_lines = [int(line) for line in df.attrs.get("blank_lines", []) or []]
    frame = df.reset_index(drop=True)
    n = len(frame)
    index = pd.RangeIndex(n)
    src_rows = _source_rows(df, [int(line) for line, _ in bad_lines] + blank_lines)
    raw = {field: frame[col] if pd.api.types.is_datetime64_any_dtype(frame[col])
           else as_text(frame[col]) for col, field in mapping.items()}
    log = [f"read {n} row(s), {len(bad_lines)} malformed and {len(blank_lines)} blank "
           "line(s) from "
           f"{df.attrs.get('source', 'a DataFrame')}",
           "columns: " + ", ".join(f"{c} -> {f}" for c, f in mapping.items())]
    unknown_cols = [str(c) for c in frame.columns if c not in mapping]
    if unknown_cols:
        log.append(f"columns not recognised (kept only in quarantine raw text): {unknown_cols}")
    missing = [c for c in t.required if c not in mapping.values() and c not in (
        "currency", "invoice_id", "amount_minor", "credit_limit_minor")]
    if "amount_minor" in t.required and not {"amount", "amount_minor"} & set(mapping.values()):
        missing.append("amount")
    if missing:
        log.append(f"required column(s) {missing} not found: their rows are quarantined as "
                   "missing_required; pass column_map= to map yours")

    f = read_fields(raw, table, index, dayfirst=dayfirst, default_currency=default_currency,
                    decimal=decimal, date_window=window, as_of=when)
    log += f.notes
    values = f.values
    rules = f.rules + _reference_rules(values, table, customers, bills)
    empty = pd.Series(True, index=index)
    for col in frame.columns:
        empty &= (raw[mapping[col]] if col in mapping else as_text(frame[col])).isna()
    rules = [Rule(r.reason, r.column, r.mask.fillna(False).astype(bool) & ~empty) for r in rules]
    rules.append(Rule("empty_row", "*", empty))
    raw_text = {name: s if s.dtype == "str" else as_text(s) for name, s in raw.items()}
    if "amount" in raw_text:
        raw_text.setdefault("amount_minor", raw_text["amount"])
    if "credit_limit" in raw_text:
        raw_text.setdefault("credit_limit_minor", raw_text["credit_limit"])
    first = first_reasons(rules, index, raw_text)
    failed = first["reason"].notna()

    key = values[t.key[0]]
    # content hashes only where a key repeats: elsewhere there is nothing to compare
    rep = (key.duplicated(keep=False) & key.notna()).to_numpy()
    content = pd.Series(np.arange(n, dtype=np.uint64), index=index)
    if rep.any():
        sub = index[rep]
        ok_hash = pd.util.hash_pandas_object(values.loc[sub], index=False)
        raw_hash = pd.util.hash_pandas_object(
            pd.DataFrame({k: v[sub] for k, v in raw_text.items()}), index=False)
        content[sub] = ok_hash.where(~failed[sub], raw_hash ^ np.uint64(0x9E3779B97F4A7C15))
    conflict, survivor = route_duplicates(key, content, failed)
    conflict_only = conflict & ~failed
    if conflict_only.any():
        msg = f"{t.key[0]}: " + REASONS["duplicate_key_conflict"]
        first.loc[conflict_only, ["reason", "column", "message"]] = [
            "duplicate_key_conflict", t.key[0], msg]
    quarantined = first["reason"].notna()
    merged = survivor.notna()
    keep = ~quarantined & ~merged

    money_col = "credit_limit_minor" if table == "customers" else "amount_minor"
    amount = values[money_col]
    unread = f.amount_text.notna() & amount.isna()

    q_idx = index[quarantined.to_numpy()]
    quarantine = pd.DataFrame({
        "source_row": src_rows[q_idx],
        "reason": first.loc[q_idx, "reason"],
        "column": first.loc[q_idx, "column"],
        "message": first.loc[q_idx, "message"],
        "key": key[q_idx].fillna(raw_text.get(t.key[0], key)[q_idx]),
        "amount_minor": amount[q_idx],
        "currency": values.loc[q_idx, "currency"],
        "amount_text": f.amount_text[q_idx],
        "raw": _row_text(frame.loc[q_idx]),
    })
    if bad_lines or blank_lines:
        quarantine = pd.concat([quarantine, _unsplit_rows(bad_lines, blank_lines)],
                               ignore_index=True)
    quarantine = (quarantine.astype({"source_row": "int64", "amount_minor": "Int64"})
                  .sort_values("source_row", kind="stable").reset_index(drop=True))
    for col in QUARANTINE_COLUMNS:
        if col not in ("source_row", "amount_minor"):
            quarantine[col] = quarantine[col].astype("str")

    m_idx = index[merged.to_numpy()]
    surv = survivor[m_idx].to_numpy(dtype=np.int64)
    merged_frame = pd.DataFrame({
        "source_row": src_rows[m_idx].astype(np.int64),
        "reason": pd.Series("exact_duplicate", index=m_idx, dtype="str"),
        "key": key[m_idx], "surviving_key": key.to_numpy()[surv],
        "surviving_source_row": src_rows[surv].astype(np.int64),
        "amount_minor": amount[m_idx], "currency": values.loc[m_idx, "currency"],
        "raw": _row_text(frame.loc[m_idx]),
    }, columns=list(MERGED_COLUMNS)).reset_index(drop=True)

    k_idx = index[keep.to_numpy()]
    clean = values.loc[k_idx].reset_index(drop=True)
    clean[money_col] = clean[money_col].astype(
        "int64" if clean[money_col].notna().all() else "Int64")
    for c in t.columns:
        if c.dtype == "string":
            clean[c.name] = clean[c.name].astype("str")
    clean = validate(clean[t.names], table)

    present = {c: s.notna() for c, s in raw_text.items() if c in values.columns}
    invalid: dict[str, pd.Series] = {}
    for r in rules:
        if r.reason not in ("missing_required", "empty_row") and r.column in values.columns:
            invalid[r.column] = invalid.get(r.column, False) | r.mask
    stats = column_stats(values, present, invalid, ~empty)
    money_in = money_by_currency(amount, values["currency"])
    result = CleanResult(
        table=table, clean=clean, quarantine=quarantine, merged=merged_frame, log=log,
        rows_in=n + len(bad_lines) + len(blank_lines), money_in=money_in,
        unread_amounts_in=int(unread.sum()),
        source_rows=pd.Series(src_rows[k_idx].astype(np.int64), name="source_row"),
        column_stats=stats)
    counts = quarantine["reason"].value_counts()
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
