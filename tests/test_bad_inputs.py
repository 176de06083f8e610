"""The standing bad-input corpus: every hostile or careless input gets a clear answer, no fen lost.

Each row of ``tests/data/bad/cases.csv`` is one case: a file of
``tests/data/bad`` (written by ``make_bad.py``) or a frame or call built in
this module, the entry point it goes through, and what a demanding credit
analyst expects back:

- ``error:ClassName:words`` -- a ``CreditkitError`` whose class (or one of its
  bases) is ``ClassName`` and whose message holds every ``|``-separated word
  (case-insensitive; ``!word`` must *not* appear). Through the CLI the class
  is not visible: exit status 2 and the words on stderr are checked.
- ``quarantine:reason`` -- the call returns and ``reason`` is among the
  quarantine reasons.
- ``clean`` -- the call returns and nothing is quarantined (for ``mask_pii``:
  no personal value of the input is left in clear).

Whatever the expectation, any exception that is not a ``CreditkitError`` is a
raw traceback and fails the case. Every ``CleanResult`` returned is checked:
rows in = clean + quarantined + merged; money in = money out per currency in
Python integers (no int64 wrap-around); every amount in ``clean`` and in the
quarantine equals an exact ``Decimal`` reading of its source text; no control,
bidi or zero-width character in a clean text cell; and every CSV written for
Excel has no cell that starts a formula (OWASP CSV injection).

A case whose correct outcome today's code does not give names its defect in
the ``defect`` column and is ``xfail(strict=True)``: when the fix lands the
case XPASSes, fails, and the fixer removes the mark.
"""

from __future__ import annotations

import csv
import decimal
import importlib.util
import json
import re
import shutil
import unicodedata
import warnings
from collections import Counter
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from creditkit.exceptions import CreditkitError

BAD = Path(__file__).resolve().parent / "data" / "bad"
MANIFEST = BAD / "cases.csv"
ENTRIES = ("read_table", "clean", "clean_file", "cli", "frame", "load_policy", "scorecard",
           "apply_policy", "store", "aging", "mask_pii")
#: Currencies whose minor unit is 1/100 (the only ones the exact check reads).
CENTS = {"CNY", "USD", "EUR", "HKD", "GBP"}
#: Characters that must never reach a clean text cell: C0/C1 controls, bidi controls,
#: zero-width characters and the BOM.
INVISIBLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e"
                       "\u2060-\u2064\u2066-\u2069\ufeff]")
#: First characters that make Excel read a cell as a formula (OWASP CSV injection).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
NUMBER = re.compile(r"[-+]?\d+(\.\d+)?")


def _load_cases() -> list[dict[str, str]]:
    with MANIFEST.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


CASES = _load_cases()
#: What the session saw, printed in the terminal summary.
TALLY: Counter[str] = Counter()


# --- frames and calls built here -------------------------------------------------------

def _bills(**cols: Any) -> pd.DataFrame:
    n = len(next(iter(cols.values())))
    base = {"bill_id": [f"B{i}" for i in range(1, n + 1)], "customer_id": ["C1"] * n,
            "issue_date": ["2025-01-05"] * n, "due_date": ["2025-02-05"] * n}
    return pd.DataFrame({**base, **cols})


def _customers(names: list[str]) -> pd.DataFrame:
    n = len(names)
    return pd.DataFrame({"customer_id": [f"C{i}" for i in range(1, n + 1)], "name": names,
                         "kind": ["consumer"] * n})


def _dup_columns() -> pd.DataFrame:
    df = _bills(amount=["1.00", "2.00"], extra=["9.00", "8.00"])
    return df.set_axis([*df.columns[:-1], "amount"], axis=1)


FRAMES: dict[str, Callable[[], Any]] = {
    "dup_columns": _dup_columns,
    "inf_float": lambda: _bills(amount=[float("inf"), float("-inf"), 1.5]),
    "nan_float": lambda: _bills(amount=[float("nan"), 1.25]),
    "int64_na_2p53": lambda: _bills(amount_minor=pd.array([2**53 + 1, None, 2**53 + 1],
                                                          dtype="Int64"), currency=["CNY"] * 3),
    "object_2p53_mixed": lambda: pd.DataFrame({
        "payment_id": ["P1", "P2", "P3"], "paid_date": ["2025-02-01"] * 3,
        "amount": ["90071992547409.93", "abc", "90071992547409.95"]}),
    "int64_minor_2p53": lambda: _bills(amount_minor=np.array([2**53 + 1, 2**53 + 1], np.int64),
                                       currency=["CNY"] * 2),
    # 9e17 is exact in float64 too; eleven of them pass int64 max
    "int64_minor_sum_wraps": lambda: _bills(amount_minor=np.full(11, 9 * 10**17, np.int64),
                                            currency=["CNY"] * 11),
    "decimal_objects": lambda: _bills(amount=[Decimal("12.34"), Decimal("90071992547409.93")]),
    "python_int_too_big": lambda: _bills(amount_minor=pd.Series([2**70, 5], dtype=object),
                                         currency=["CNY"] * 2),
    "minor_fractional": lambda: _bills(amount_minor=[100.5, 200.0], currency=["CNY"] * 2),
    "bool_amounts": lambda: _bills(amount=[True, "3.00"]),
    "list_cells": lambda: _bills(amount=[[1, 2], {"a": 1}, "3.00"]),
    "bytes_cells": lambda: _bills(amount=[b"\xff\xfe1", "3.00"]),
    "datetime_amount": lambda: _bills(amount=pd.to_datetime(["2025-01-01", "2025-01-02"])),
    "categorical_amounts": lambda: _bills(amount=pd.Categorical(["1.00", "2.50"])),
    "nbsp_thousands": lambda: _bills(amount=["1\u00a0000.00", "1 000.00"]),
    "not_a_frame": lambda: [{"bill_id": "B1", "amount": "1.00"}],
    "none": lambda: None,
    "no_columns": lambda: pd.DataFrame(),
    "int_column_names": lambda: pd.DataFrame([[1, 2], [3, 4]]),
    "multiindex_columns": lambda: pd.DataFrame(
        [["B1", "1.00"]], columns=pd.MultiIndex.from_tuples([("x", "bill_id"), ("x", "amount")])),
    "name_zero_width": lambda: _customers(["\u200b\u200d", "李四"]),
    "name_bidi": lambda: _customers(["\u202e三张", "李四"]),
    "name_rli_isolate": lambda: _customers(["\u2067张三\u2069", "李四"]),
    "name_ansi_escape": lambda: _customers(["\x1b]8;;http://evil.example\x07张三", "李四"]),
    "name_blank_spaces": lambda: _customers(["\u3000 \t", "李四"]),
    "payments_unknown_bill": lambda: pd.DataFrame({
        "payment_id": ["P1", "P2"], "paid_date": ["2025-02-01"] * 2, "amount": ["1.00", "2.00"],
        "bill_id": ["B1", "B404"]}),
    "bills_reference": lambda: pd.DataFrame({"bill_id": ["B1"], "invoice_id": ["B1"]}),
    "payments_exact_duplicates": lambda: pd.DataFrame({
        "payment_id": ["P1", "P1"], "paid_date": ["2025-02-01"] * 2, "amount": ["1.00"] * 2}),
    "pii_chinese_headers": lambda: pd.DataFrame({
        "姓名": ["张三"], "身份证号": ["11010519491231002X"], "手机号": ["13800138000"],
        "银行卡号": ["6222021234567890123"], "付款人": ["李四"]}),
    "pii_in_free_text": lambda: pd.DataFrame({
        "payment_id": ["P1"], "reference": ["还款 身份证11010519491231002X 手机13800138000"],
        "note": ["卡号 6222021234567890123"]}),
    "pii_canonical": lambda: pd.DataFrame({
        "customer_id": ["C1"], "name": ["张三"], "id_number": ["11010519491231002X"],
        "phone": ["13800138000"]}),
}
#: Personal values that must not survive ``mask_pii``.
PII_VALUES = ("张三", "李四", "11010519491231002X", "13800138000", "6222021234567890123")


def _xy(n: int = 120) -> tuple[pd.DataFrame, pd.Series]:
    rng = np.random.default_rng(0)
    x = rng.normal(size=n)
    y = pd.Series((x + rng.normal(size=n) > 0.5).astype(int))
    return pd.DataFrame({"age": x * 10 + 40, "income": rng.normal(size=n)}), y


def _card() -> Any:
    from creditkit.scoring import Scorecard
    from creditkit.scoring.cardspec import spec_from_table

    return Scorecard.from_parts(
        {"age": spec_from_table("age", "numeric", edges=[30], woe_regular=[0.5, -0.5])},
        coef={"age": -1.0}, intercept=-2.0)


def _fit(X: Any, y: Any) -> Any:
    from creditkit.scoring import Scorecard

    return Scorecard().fit(X, y)


def _dup_features() -> Any:
    X, y = _xy()
    return _fit(X.set_axis(["age", "age"], axis=1), y)


SCENARIOS: dict[str, Callable[[], Any]] = {
    # scorecard (applications)
    "predict_before_fit": lambda: __import__("creditkit.scoring", fromlist=["Scorecard"])
    .Scorecard().predict_points(_xy()[0]),
    "fit_numpy_X": lambda: _fit(_xy()[0].to_numpy(), _xy()[1]),
    "fit_duplicate_features": _dup_features,
    "fit_y_misaligned_index": lambda: _fit(_xy()[0], _xy()[1].set_axis(range(1000, 1120))),
    "fit_y_three_classes": lambda: _fit(_xy()[0], _xy()[1].replace({0: 2})),
    "fit_y_text": lambda: _fit(_xy()[0], _xy()[1].map({0: "good", 1: "bad"})),
    "fit_y_one_class": lambda: _fit(_xy()[0], _xy()[1] * 0),
    "fit_one_row": lambda: _fit(_xy()[0].head(1), _xy()[1].head(1)),
    "fit_X_inf": lambda: _fit(_xy()[0].assign(age=np.inf), _xy()[1]),
    "predict_missing_column": lambda: _card().predict_points(pd.DataFrame({"agee": [30]})),
    "predict_text_values": lambda: _card().predict_points(pd.DataFrame({"age": ["thirty"]})),
    "from_json_garbage": lambda: __import__("creditkit.scoring", fromlist=["Scorecard"])
    .Scorecard.from_json("{not json"),
    # limit policy on applicants
    "policy_float_income": lambda: _apply(monthly_income_minor=[1_000_000.5]),
    "policy_no_score": lambda: _apply(score=[np.nan]),
    "policy_unknown_kind": lambda: _apply(kind=["retail"]),
    "policy_income_overflow": lambda: _apply(monthly_income_minor=np.array([2**62], np.int64)),
    # aging
    "aging_missing_due_date": lambda: _aging(bills=_canon_bills().drop(columns="due_date")),
    "aging_float_amount": lambda: _aging(bills=_canon_bills().assign(amount_minor=[100.5, 7.0])),
    "aging_text_amount": lambda: _aging(bills=_canon_bills().assign(amount_minor=["100", "7"])),
    "aging_bad_as_of": lambda: _aging(as_of="end of June"),
    "aging_bad_mode": lambda: _aging(mode="lifo"),
    "aging_duplicate_bill_id": lambda: _aging(bills=_canon_bills().assign(bill_id=["B1", "B1"])),
    "aging_duplicate_payment_id": lambda: _aging(payments=pd.concat([_canon_pays()] * 2)),
    "aging_nat_due_date": lambda: _aging(bills=_canon_bills().assign(
        due_date=pd.to_datetime([None, "2025-02-05"]))),
    "aging_sum_wraps": lambda: _aging(bills=_canon_bills().assign(
        amount_minor=np.array([2**62, 2**62 + 1000], np.int64))),
    "aging_not_a_frame": lambda: _aging(bills=[{"bill_id": "B1"}]),
}


def _apply(**cols: Any) -> Any:
    from creditkit.scoring import apply_policy

    base = {"score": [650.0], "kind": ["consumer"],
            "monthly_income_minor": np.array([1_000_000], np.int64)}
    return apply_policy(pd.DataFrame({**base, **cols}))


def _canon_bills() -> pd.DataFrame:
    d = pd.to_datetime
    return pd.DataFrame({"bill_id": ["B1", "B2"], "invoice_id": ["B1", "B2"],
                         "customer_id": ["A", "A"], "issue_date": d(["2025-01-01"] * 2),
                         "due_date": d(["2025-01-31", "2025-02-05"]),
                         "amount_minor": np.array([1000, 700], np.int64),
                         "currency": ["CNY", "CNY"]})


def _canon_pays() -> pd.DataFrame:
    return pd.DataFrame({"payment_id": ["P1"], "customer_id": ["A"],
                         "paid_date": pd.to_datetime(["2025-02-01"]),
                         "amount_minor": np.array([300], np.int64), "currency": ["CNY"]})


def _aging(bills: Any = None, payments: Any = None, as_of: Any = "2025-03-31",
           mode: str = "fifo") -> Any:
    from creditkit.aging import customer_aging

    out = customer_aging(_canon_bills() if bills is None else bills,
                         _canon_pays() if payments is None else payments,
                         as_of=as_of, mode=mode)
    # a returned table must hold exact sums (Python ints): billed = the bills, and
    # outstanding - unapplied = bills - payments
    b = _canon_bills() if bills is None else bills
    p = _canon_pays() if payments is None else payments
    billed = sum(int(v) for v in b["amount_minor"])
    want = billed - sum(int(v) for v in p["amount_minor"])
    got = sum(int(v) for v in out["outstanding_minor"]) - sum(
        int(v) for v in out["unapplied_minor"])
    got_billed = sum(int(v) for v in out["billed_minor"])
    if (got, got_billed) != (want, billed):
        raise FenLost(f"aging: billed {got_billed} for bills of {billed}; net outstanding "
                      f"{got} for bills - payments {want}")
    return out


class FenLost(AssertionError):
    """A returned table whose money does not add up (counted as fen lost, not a traceback)."""


# --- running a case ----------------------------------------------------------------------

READ_OPTIONS = ("encoding", "sheet", "column_map", "sep")


def _split(options: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    read = {k: v for k, v in options.items() if k in READ_OPTIONS}
    return read, {k: v for k, v in options.items() if k not in READ_OPTIONS}


def _cleaner(table: str) -> Callable[..., Any]:
    from creditkit.cleaning import clean_bills, clean_customers, clean_payments

    return {"bills": clean_bills, "payments": clean_payments, "customers": clean_customers}[table]


def _clean_path(path: Path, table: str, options: dict[str, Any]) -> tuple[Any, pd.DataFrame]:
    from creditkit.io import read_table

    read, rest = _split(options)
    raw = read_table(path, table=table, **read)
    return _cleaner(table)(raw, **rest), raw


class _Spy:
    """Keeps the frame ``read_table`` read and the CleanResult ``clean_file`` wrote (no re-run)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        import creditkit.io
        from creditkit.cleaning import files

        self.raw: Any = None
        self.result: Any = None
        read, write = creditkit.io.read_table, files.write_result

        def spy_read(*args: Any, **kwargs: Any) -> Any:
            self.raw = read(*args, **kwargs)
            return self.raw

        def spy_write(result: Any, out_dir: Any) -> Any:
            self.result = result
            return write(result, out_dir)

        monkeypatch.setattr(creditkit.io, "read_table", spy_read)
        monkeypatch.setattr(files, "write_result", spy_write)


#: Outcomes of the clean entry by (input, options): several cases read one file.
_CLEANED: dict[tuple[str, str, str], tuple[Any, Any]] = {}


def run_case(case: dict[str, str], tmp: Path, capsys: Any,
             monkeypatch: pytest.MonkeyPatch) -> tuple[Any, Any, list[Path]]:
    """Run one case: (what it returned, the raw frame it read, the CSV files it wrote)."""
    entry, table, source = case["entry"], case["table"], case["input"]
    options = json.loads(case["options"] or "{}")
    path = BAD / source
    if entry == "read_table":
        from creditkit.io import read_table

        return read_table(path, **{"table": table or None, **options}), None, []
    if entry == "clean":
        key = (table, source, case["options"])
        if key not in _CLEANED:
            try:
                _CLEANED[key] = _clean_path(path, table, options)
            except Exception as exc:  # replayed to each case of this input
                _CLEANED[key] = (exc, None)
        res, raw = _CLEANED[key]
        if isinstance(res, Exception):
            raise res
        return res, raw, []
    if entry == "clean_file":
        from creditkit.cleaning import clean_file

        spy = _Spy(monkeypatch)
        clean_file(path, table, tmp / "out", **options)
        return spy.result, spy.raw, sorted((tmp / "out").glob("*.csv"))
    if entry == "cli":
        from creditkit.cli import main

        out = tmp / "out"
        src = path
        setup = options.get("setup")
        if setup == "out_is_file":
            out.write_text("not a folder\n")
        elif setup == "out_is_input_dir":  # clean out/quarantine.csv --out out
            out.mkdir()
            src = out / "quarantine.csv"
            shutil.copyfile(path, src)
        elif setup == "missing_input":
            src = tmp / "no_such_file.csv"
        args = [a.replace("{bad}", str(BAD)) for a in options.get("args", [])]
        spy = _Spy(monkeypatch)
        rc = main(["clean", str(src), "--table", table, "--out", str(out), *args])
        err = capsys.readouterr().err
        if rc != 0:
            raise _CliError(rc, err)
        return spy.result, spy.raw, sorted(out.glob("*.csv"))
    if entry == "frame":
        raw = FRAMES[source]()
        refs = {k: FRAMES[v.removeprefix("frame:")]() if str(v).startswith("frame:") else v
                for k, v in options.items()}
        return _cleaner(table)(raw, **refs), raw, []
    if entry == "load_policy":
        from creditkit.scoring import load_policy

        return load_policy(path), None, []
    if entry in ("scorecard", "apply_policy", "aging"):
        return SCENARIOS[source](), None, []
    if entry == "store":
        from creditkit import store

        call = options.get("call", "read_table")
        if call == "read_table":
            return store.read_table(path, "bills"), None, []
        return getattr(store, call)(path), None, []
    if entry == "mask_pii":
        from creditkit.privacy import mask_pii

        raw = FRAMES[source]()
        return mask_pii(raw, **options), raw, []
    raise AssertionError(f"unknown entry {entry!r}")


class _CliError(Exception):
    def __init__(self, rc: int, err: str) -> None:
        super().__init__(err)
        self.rc, self.err = rc, err


# --- checks --------------------------------------------------------------------------------

def exact_minor(value: Any, field: str, currency: str) -> int | None:
    """The amount in minor units read exactly from its source value, or None when not read."""
    if value is None or (isinstance(value, float) and not np.isfinite(value)):
        return None
    if isinstance(value, bool | np.bool_):
        return None
    if field.endswith("_minor"):
        if isinstance(value, int | np.integer):
            return int(value)
        text = str(value).strip()
        return int(text) if re.fullmatch(r"-?\d+", text) else None
    if currency not in CENTS:
        return None
    if isinstance(value, Decimal):
        d = value
    elif isinstance(value, float | np.floating):
        d = Decimal(repr(float(value)))
    elif isinstance(value, int | np.integer):
        d = Decimal(int(value))
    else:
        text = unicodedata.normalize("NFKC", str(value)).strip()
        m = re.fullmatch(r"[¥$]?\s*(-?)((?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?)", text)
        if not m:
            return None
        try:
            d = Decimal(m.group(1) + m.group(2).replace(",", ""))
        except decimal.InvalidOperation:
            return None
    minor = d * 100
    return int(minor) if minor == minor.to_integral_value() else None


def _money(frame: pd.DataFrame, col: str) -> dict[str, int]:
    out: dict[str, int] = {}
    for amount, cur in zip(frame[col].tolist(), frame["currency"].tolist(), strict=True):
        if amount is not None and not pd.isna(amount):
            out[str(cur)] = out.get(str(cur), 0) + int(amount)
    return out


def check_result(case_id: str, res: Any, raw: Any) -> None:
    """Rows, money (in Python ints, cell by cell against an exact reading) and clean text."""
    from creditkit.cleaning.columns import recognise_columns

    clean, q, m = res.clean, res.quarantine, res.merged
    assert res.rows_in == len(clean) + len(q) + len(m), (
        f"{case_id}: rows in {res.rows_in} != clean {len(clean)} + quarantined {len(q)} "
        f"+ merged {len(m)}")
    money_in = {str(k): int(v) for k, v in res.money_in.items() if int(v)}
    money_out: dict[str, int] = {}
    for part, col in ((clean, res.money_column), (q, "amount_minor"), (m, "amount_minor")):
        for cur, v in _money(part, col).items():
            money_out[cur] = money_out.get(cur, 0) + v
    money_out = {k: v for k, v in money_out.items() if v}
    if money_in != money_out:
        TALLY["fen lost"] += 1
    assert money_in == money_out, f"{case_id}: money in {dict(money_in)} != out {dict(money_out)}"
    # every amount out equals an exact reading of its own source text
    lost = []
    for _, row in q.iterrows():
        if pd.notna(row["amount_minor"]) and row["amount_text"] not in (None, "None", "nan"):
            want = exact_minor(row["amount_text"], "amount", str(row["currency"]))
            if want is not None and want != int(row["amount_minor"]):
                lost.append((int(row["source_row"]), row["amount_text"], int(row["amount_minor"])))
    if isinstance(raw, pd.DataFrame) and len(clean):
        fields = {f: c for c, f in recognise_columns(raw, res.table).items()}
        money_field = next((f for f in ("amount_minor", "credit_limit_minor", "amount",
                                        "credit_limit") if f in fields
                            and f.startswith(res.money_column.removesuffix("_minor"))), None)
        if money_field is not None:
            col = raw[fields[money_field]]
            col = col.iloc[:, 0] if isinstance(col, pd.DataFrame) else col
            by_row = dict(zip(res.source_rows.tolist(), clean[res.money_column].tolist(),
                              strict=True))
            cur = dict(zip(res.source_rows.tolist(), clean["currency"].tolist(), strict=True))
            labels = (raw.index + 1 if "bad_lines" in raw.attrs else pd.RangeIndex(1, len(raw) + 1))
            for label, value in zip(labels, col.tolist(), strict=True):
                if int(label) in by_row and pd.notna(by_row[int(label)]):
                    want = exact_minor(value, money_field, str(cur[int(label)]))
                    if want is not None and want != int(by_row[int(label)]):
                        lost.append((int(label), value, int(by_row[int(label)])))
    if lost:
        TALLY["fen lost"] += 1
    assert not lost, f"{case_id}: amounts changed silently (source row, text, stored): {lost}"
    for col in clean.columns:
        if clean[col].dtype == object or pd.api.types.is_string_dtype(clean[col]):
            bad = [v for v in clean[col].dropna().tolist()
                   if isinstance(v, str) and INVISIBLE.search(v)]
            assert not bad, f"{case_id}: invisible/control characters reach clean {col}: {bad!r}"


def check_exports(case_id: str, written: list[Path]) -> None:
    """No cell of a CSV creditkit wrote may start a formula when opened in Excel."""
    for path in written:
        with path.open(encoding="utf-8-sig", newline="") as fh:
            cells = [c for row in csv.reader(fh) for c in row]
        live = [c for c in cells if c.startswith(FORMULA_START) and not NUMBER.fullmatch(c)]
        assert not live, f"{case_id}: {path.name} holds cells Excel runs as formulas: {live[:3]!r}"


def check_expected(case: dict[str, str], got: Any) -> None:
    kind, _, what = case["expected"].partition(":")
    cid = case["id"]
    if case["entry"] == "mask_pii":
        text = got.astype(str).to_string()
        left = [v for v in PII_VALUES if v in text]
        assert not left, f"{cid}: personal values left in clear by mask_pii: {left}"
        return
    if kind == "error":
        pytest.fail(f"{cid}: expected {case['expected']}, but the call returned "
                    f"{type(got).__name__}")
    reasons = set(got.quarantine["reason"]) if hasattr(got, "quarantine") else set()
    if kind == "clean":
        assert not reasons, f"{cid}: expected clean, got quarantine reasons {sorted(reasons)}"
    elif kind == "quarantine":
        assert what in reasons, f"{cid}: expected quarantine reason {what!r}, got {sorted(reasons)}"
    else:
        raise AssertionError(f"{cid}: bad expected {case['expected']!r}")


def check_error(case: dict[str, str], exc: BaseException) -> None:
    cid, expected = case["id"], case["expected"]
    if isinstance(exc, _CliError):
        message, classes = exc.err, None
        assert "Traceback" not in message, f"{cid}: the CLI printed a traceback:\n{message}"
        assert exc.rc == 2, f"{cid}: CLI exit status {exc.rc}, stderr {message!r}"
    elif isinstance(exc, CreditkitError):
        message, classes = str(exc), {k.__name__ for k in type(exc).__mro__}
    else:
        TALLY["raw tracebacks"] += 1
        pytest.fail(f"{cid}: raw traceback: {type(exc).__module__}.{type(exc).__name__}: "
                    f"{str(exc)[:300]}")
    kind, _, rest = expected.partition(":")
    assert kind == "error", f"{cid}: expected {expected}, got {type(exc).__name__}: {message}"
    cls, _, words = rest.partition(":")
    if classes is not None:
        assert cls in classes, f"{cid}: expected {cls}, got {type(exc).__name__}: {message}"
    low = message.lower()
    for word in filter(None, words.split("|")):
        if word.startswith("!"):
            assert word[1:].lower() not in low, f"{cid}: message says {word[1:]!r}: {message}"
        else:
            assert word.lower() in low, f"{cid}: message lacks {word!r}: {message}"


# --- the table test -----------------------------------------------------------------------

def _param(case: dict[str, str]) -> Any:
    marks = [pytest.mark.xfail(strict=True, reason=case["defect"])] if case["defect"] else []
    return pytest.param(case, id=case["id"], marks=marks)


@pytest.fixture(scope="module", autouse=True)
def _report_size(request: pytest.FixtureRequest) -> None:
    """Print the corpus size and what it found at the end of the session."""
    pm = request.config.pluginmanager
    if not pm.has_plugin("creditkit-bad-corpus"):
        pm.register(_SizeReport(), "creditkit-bad-corpus")


class _SizeReport:
    def pytest_terminal_summary(self, terminalreporter: Any) -> None:
        tables = Counter(c["table"] or "-" for c in CASES)
        defects = sum(bool(c["defect"]) for c in CASES)
        terminalreporter.write_line(
            f"bad-input corpus: {len(CASES)} cases ("
            + ", ".join(f"{k} {v}" for k, v in sorted(tables.items()))
            + f"); {defects} known defects marked xfail; "
            f"raw tracebacks outside them: {TALLY['raw tracebacks, unmarked']}, "
            f"fen lost outside them: {TALLY['fen lost, unmarked']} "
            f"(inside them: {TALLY['raw tracebacks'] - TALLY['raw tracebacks, unmarked']} "
            f"raw tracebacks, {TALLY['fen lost'] - TALLY['fen lost, unmarked']} fen lost)")


def _tmp(case: dict[str, str], request: pytest.FixtureRequest) -> Path:
    """A fresh folder for the cases that write files (most cases write nothing)."""
    if case["entry"] in ("clean_file", "cli"):
        return Path(request.getfixturevalue("tmp_path"))
    return BAD / "no-such-folder"


@pytest.mark.parametrize("case", [_param(c) for c in CASES])
def test_bad_input(case: dict[str, str], request: pytest.FixtureRequest, capsys: Any,
                   monkeypatch: pytest.MonkeyPatch) -> None:
    before = Counter(TALLY)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                got, raw, written = run_case(case, _tmp(case, request), capsys, monkeypatch)
            except FenLost:
                TALLY["fen lost"] += 1
                raise
            except Exception as exc:  # any non-creditkit error is the finding
                check_error(case, exc)
                return
            if hasattr(got, "quarantine") and hasattr(got, "money_in"):
                check_result(case["id"], got, raw)
            check_exports(case["id"], written)
            check_expected(case, got)
    finally:
        if not case["defect"]:
            for key in ("raw tracebacks", "fen lost"):
                TALLY[f"{key}, unmarked"] += TALLY[key] - before[key]


def test_manifest_is_well_formed() -> None:
    ids = [c["id"] for c in CASES]
    assert len(ids) == len(set(ids)), "case ids repeat"
    assert len(CASES) >= 80
    for c in CASES:
        assert c["entry"] in ENTRIES, c
        assert c["description"].strip(), c
        assert re.fullmatch(r"error:\w+:.*|quarantine:\w+|clean", c["expected"]), c
        if c["entry"] in ("read_table", "clean", "clean_file", "cli", "load_policy", "store"):
            assert (BAD / c["input"]).is_file() or c["options"], c
        if c["entry"] in ("frame", "mask_pii"):
            assert c["input"] in FRAMES, c
        if c["entry"] in ("scorecard", "apply_policy", "aging"):
            assert c["input"] in SCENARIOS, c
    from creditkit.cleaning import REASONS

    unknown = {c["expected"] for c in CASES if c["expected"].startswith("quarantine:")
               and c["expected"].split(":")[1] not in REASONS}
    assert not unknown, f"reason codes not in creditkit.cleaning.REASONS: {unknown}"


def test_make_bad_reproduces_the_committed_files(tmp_path: Path) -> None:
    spec = importlib.util.spec_from_file_location("make_bad", BAD / "make_bad.py")
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    names = mod.build(tmp_path)
    differ = [n for n in names if (tmp_path / n).read_bytes() != (BAD / n).read_bytes()]
    assert not differ, f"make_bad.py no longer writes these committed files: {differ}"
    stray = sorted({p.name for p in BAD.iterdir() if p.is_file()}
                   - set(names) - {"make_bad.py", "cases.csv"})
    assert not stray, f"files in tests/data/bad that make_bad.py does not write: {stray}"
