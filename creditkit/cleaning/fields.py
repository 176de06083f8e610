"""Per-table reading of raw fields into canonical values plus rule masks.

``read_fields(raw, table, ...)`` turns the recognised raw columns of one
table into canonical values (NA where blank or unreadable) and a list of
:class:`~creditkit.cleaning.validate.Rule` for everything that failed:
missing required values, unreadable values, out-of-window dates, negative
amounts, due before issue. Cross-row rules (keys, references) are added by
:mod:`creditkit.cleaning.clean`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from creditkit.cleaning.dates import parse_dates
from creditkit.cleaning.identifiers import parse_identifiers
from creditkit.cleaning.normalize import (
    normalize_channels,
    normalize_kinds,
    normalize_names,
    parse_amounts_text,
    parse_phones,
)
from creditkit.cleaning.text import (
    as_text,
    excel_errors,
    has_invisible,
    nfkc,
    show_invisible,
    strip_invisible,
)
from creditkit.cleaning.validate import REQUIRED, Rule
from creditkit.schema import TABLES

__all__ = ["Fields", "cell_errors", "normalize_ids", "read_fields"]

_DATES = {"customers": ("open_date",), "bills": ("issue_date", "due_date"),
          "payments": ("paid_date",)}
# dates of events that must have happened by as_of (due dates may lie ahead)
_PAST_DATES = ("open_date", "issue_date", "paid_date")
_MONEY = {"customers": ("credit_limit_minor", "credit_limit"),
          "bills": ("amount_minor", "amount"), "payments": ("amount_minor", "amount")}
_TEXT = {"customers": ("region", "industry", "external_rating"), "bills": (),
         "payments": ("reference",)}
# every cell a table's reading looks at (absent columns read as all blank)
_READ = {table: (*TABLES[table].names, *_MONEY[table][1:]) for table in _DATES}
# free text: hidden formatting is removed (and logged); every other field is a key or a code
# (ids, amounts, dates, currencies, phones), where a hidden character is held back
_FREE_TEXT = ("name", "payer_name", "reference", "region", "industry", "external_rating")


@dataclass
class Fields:
    """Canonical values of one table's rows, the failed rules, and notes for the log."""

    values: pd.DataFrame
    rules: list[Rule]
    amount_text: pd.Series
    notes: list[str] = field(default_factory=list)


def normalize_ids(s: pd.Series) -> pd.Series:
    """Keys as text: stripped, full-width to half-width, blanks and ``#N/A`` as ``<NA>``.

    Examples
    --------
    >>> import pandas as pd
    >>> normalize_ids(pd.Series([" Ｃ001 ", "#N/A", ""])).tolist()
    ['C001', nan, nan]
    >>> normalize_ids(pd.Series([1002.0, None])).tolist()  # Excel turned ids into numbers
    ['1002', nan]
    """
    return nfkc(as_text(s)).str.strip()


def cell_errors(frame: pd.DataFrame, mapping: dict[str, str],
                formulas: list[str] | None = None) -> dict[str, pd.Series]:
    """Field -> the Excel error value or unsaved formula of each cell (``<NA>`` elsewhere).

    Only fields with at least one such cell are returned.

    Parameters
    ----------
    frame : DataFrame
        Raw rows.
    mapping : dict
        Header -> field, as recognised.
    formulas : list of str, optional
        Formulas of cells that hold a formula with no saved result
        (``attrs["formula_cells"]`` of :func:`creditkit.io.read_table` for a
        workbook never calculated, e.g. written by a script).

    Examples
    --------
    >>> import pandas as pd
    >>> f = pd.DataFrame({"amt": ["#DIV/0!", "5", "=A1/0"], "id": ["B1", "B2", "B3"]})
    >>> cell_errors(f, {"amt": "amount", "id": "bill_id"}, ["=A1/0"])["amount"].tolist()
    ['#DIV/0!', nan, '=A1/0']
    """
    out: dict[str, pd.Series] = {}
    for col, name in mapping.items():
        err = excel_errors(frame[col])
        if formulas and (pd.api.types.is_string_dtype(frame[col])
                         or pd.api.types.is_object_dtype(frame[col])):
            txt = frame[col].astype("str").str.strip()
            err = err.where(~txt.isin(list(formulas)).to_numpy(dtype=bool, na_value=False), txt)
        if err.notna().any():
            out[name] = err
    return out


def read_fields(
    raw: dict[str, pd.Series],
    table: str,
    index: pd.Index,
    *,
    dayfirst: bool | None,
    default_currency: str,
    decimal: str,
    date_window: tuple[pd.Timestamp, pd.Timestamp],
    as_of: pd.Timestamp | None,
    errors: dict[str, pd.Series] | None = None,
) -> Fields:
    """Read the cells of ``table`` (field -> Series) into canonical values and rules.

    ``raw`` holds text already passed through :func:`~creditkit.cleaning.text.as_text`
    (blanks as ``<NA>``), or datetime64 columns of typed frames; ``errors`` what
    :func:`cell_errors` found. An Excel error or unsaved formula is
    ``excel_error`` in a required field, the amount or the currency, and read as
    blank (and logged) elsewhere. A hidden character (control, zero-width,
    bidi, terminal escape) in a key or code is ``invisible_text``; free text
    (names, references) loses its hidden formatting (logged), unless it holds
    a bidi override, which is ``invisible_text``.

    Examples
    --------
    >>> import pandas as pd
    >>> raw = {"bill_id": pd.Series(["B1"]), "customer_id": pd.Series(["C1"]),
    ...        "issue_date": pd.Series(["2025-01-31"]), "due_date": pd.Series(["2025-01-01"]),
    ...        "amount": pd.Series(["-5"])}
    >>> f = read_fields(raw, "bills", pd.RangeIndex(1), dayfirst=None, default_currency="CNY",
    ...                 decimal=".", date_window=(pd.Timestamp("1990"), pd.Timestamp("2100")),
    ...                 as_of=None)
    >>> sorted(r.reason for r in f.rules if r.mask.any())
    ['due_before_issue', 'negative_amount']
    """
    t = TABLES[table]
    absent = pd.Series(None, index=index, dtype="str")
    cells = {name: raw.get(name, absent) for name in _READ[table]}
    out = Fields(values=pd.DataFrame(index=index), rules=[], amount_text=absent)
    broken = _excel_errors(out, cells, errors or {}, table)
    shown = _hidden_characters(out, cells)
    _read_keys(out, cells, table)
    _read_parties(out, cells, table)
    for name in _TEXT[table]:
        out.values[name] = cells[name]
    _read_dates(out, cells, table, dayfirst=dayfirst, date_window=date_window, as_of=as_of)
    is_minor = _read_money(out, cells, raw, table, default_currency=default_currency,
                           decimal=decimal)
    amount_err = broken.get(_MONEY[table][0] if is_minor else _MONEY[table][1])
    if amount_err is not None:  # the unreadable amount is kept as written
        out.amount_text = out.amount_text.fillna(amount_err)
    _require(out, cells, broken, shown, table, is_minor=is_minor)
    out.values = out.values[[c for c in t.names if c in out.values]]
    return out


def _excel_errors(out: Fields, cells: dict[str, pd.Series], errors: dict[str, pd.Series],
                  table: str) -> dict[str, pd.Series]:
    """Rules and notes for Excel errors; the broken cells read as blank. Returns them."""
    held = {*REQUIRED[table], *_MONEY[table], "currency"}
    for name, err in errors.items():
        if name not in cells:
            continue
        mask = err.notna()
        cells[name] = cells[name].where(~mask)  # an unsaved formula is no value either
        if name in held:
            # the amount's rules all speak of the canonical money column
            column = _MONEY[table][0] if name == _MONEY[table][1] else name
            out.rules.append(Rule("excel_error", column, mask, got=err))
        else:
            counts = err.value_counts()
            out.notes.append(f"{name}: {int(mask.sum())} Excel error value(s) or unsaved "
                             "formula(s) read as blank (" + ", ".join(
                                 f"{k} {v}" for k, v in sorted(counts.items())[:5]) + ")")
    return {name: err for name, err in errors.items() if name in held}


def _hidden_characters(out: Fields, cells: dict[str, pd.Series]) -> dict[str, pd.Series]:
    """``invisible_text`` in keys and codes; free text stripped of hidden formatting.

    Returns the stripped free-text fields as they were written, hidden characters shown.
    """
    shown: dict[str, pd.Series] = {}
    for name, s in cells.items():
        if not (pd.api.types.is_string_dtype(s) or pd.api.types.is_object_dtype(s)):
            continue  # typed dates of a frame
        if name in _FREE_TEXT:
            res = strip_invisible(s)
            if not res["stripped"].any():
                continue
            cells[name] = res["text"]
            shown[name] = show_invisible(s)
            n = int(res["stripped"].sum())
            out.notes.append(f"{name}: hidden characters (control, zero-width, bidi, terminal "
                             f"escape) removed from {n} value(s)")
            spoof = res["override"]
            if spoof.any():
                out.rules.append(Rule("invisible_text", name, spoof, got=show_invisible(s)))
            continue
        hidden = has_invisible(s)
        if hidden.any():
            out.rules.append(Rule("invisible_text", name, hidden, got=show_invisible(s)))
    return shown


def _add_reasons(out: Fields, reason_col: pd.Series, column: str) -> None:
    """One rule per reason code found in ``reason_col`` (NA = the value passed)."""
    for code in pd.unique(reason_col.dropna()):
        out.rules.append(Rule(str(code), column, reason_col == code))


def _read_keys(out: Fields, cells: dict[str, pd.Series], table: str) -> None:
    """Keys as stripped half-width text; a bill without invoice is its own invoice."""
    values = out.values
    for name in ("customer_id", "bill_id", "payment_id", "invoice_id"):
        if name in TABLES[table].names:
            values[name] = nfkc(cells[name]).str.strip()
    if table == "bills":
        blank_inv = values["invoice_id"].isna() & values["bill_id"].notna()
        if blank_inv.any():
            out.notes.append(f"invoice_id blank on {int(blank_inv.sum())} bill(s): set to the "
                             "bill_id (a bill that is its own invoice)")
        values["invoice_id"] = values["invoice_id"].fillna(values["bill_id"])


def _read_parties(out: Fields, cells: dict[str, pd.Series], table: str) -> None:
    """Names, kinds, ID numbers, phones, channels: the fields normalised from a vocabulary."""
    values = out.values
    kinds = normalize_kinds(cells["kind"], table)
    if table == "customers":
        values["name"] = normalize_names(cells["name"])
        ident = parse_identifiers(cells["id_number"], kinds["kind"])
        guessed = kinds["kind"].isna() & kinds["reason"].isna() & ident["id_type"].notna()
        values["kind"] = kinds["kind"].where(~guessed, ident["id_type"].map(
            {"credit_code": "business", "resident_id": "consumer"}))
        if guessed.any():
            out.notes.append(f"kind blank on {int(guessed.sum())} customer(s): taken from the "
                             "ID type (credit code = business, resident ID = consumer)")
        _add_reasons(out, kinds["reason"], "kind")
        values["id_number"] = ident["id_number"]
        _add_reasons(out, ident["reason"], "id_number")
        phones = parse_phones(cells["phone"])
        values["phone"] = phones["phone"]
        _add_reasons(out, phones["reason"], "phone")
        return
    values["kind"] = kinds["kind"]
    _add_reasons(out, kinds["reason"], "kind")
    if table == "payments":
        ch = normalize_channels(cells["channel"])
        values["channel"] = ch["channel"]
        _add_reasons(out, ch["reason"], "channel")
        values["payer_name"] = normalize_names(cells["payer_name"])


def _read_dates(out: Fields, cells: dict[str, pd.Series], table: str, *,
                dayfirst: bool | None, date_window: tuple[pd.Timestamp, pd.Timestamp],
                as_of: pd.Timestamp | None) -> None:
    """Dates parsed, inside the window, past events not after as_of, due not before issue."""
    lo, hi = date_window
    for name in _DATES[table]:
        d = parse_dates(cells[name], dayfirst=dayfirst)
        out.values[name] = d["date"]
        _add_reasons(out, d["reason"], name)
        out.rules.append(Rule("date_out_of_window", name, (d["date"] < lo) | (d["date"] > hi)))
        if as_of is not None and name in _PAST_DATES:
            out.rules.append(Rule("date_after_as_of", name, d["date"] > as_of))
    if table == "bills":
        out.rules.append(Rule("due_before_issue", "due_date",
                              out.values["due_date"] < out.values["issue_date"]))


def _read_money(out: Fields, cells: dict[str, pd.Series], raw: dict[str, pd.Series],
                table: str, *, default_currency: str, decimal: str) -> bool:
    """The amount and its currency; return whether the amount column holds minor units."""
    minor_name, major_name = _MONEY[table]
    is_minor = minor_name in raw or major_name not in raw
    amount_raw = cells[minor_name if is_minor else major_name]
    money = parse_amounts_text(amount_raw, currency=raw.get("currency"),
                               default_currency=default_currency, decimal=decimal,
                               minor=is_minor)
    # an amount in an unknown currency is unread: it cannot be added to any currency's total
    unread = money["reason"] == "unknown_currency"
    out.values[minor_name] = money["amount_minor"].where(~unread.fillna(False))
    out.values["currency"] = money["currency"]
    out.amount_text = amount_raw
    code_col = money["reason"].map({"unknown_currency": "currency",
                                    "currency_conflict": "currency"}).fillna(minor_name)
    for code in pd.unique(money["reason"].dropna()):
        out.rules.append(Rule(str(code), str(code_col[money["reason"] == code].iloc[0]),
                              money["reason"] == code))
    # refunds and reversals must arrive as credit notes, not as negative payments
    out.rules.append(Rule("negative_amount", minor_name, out.values[minor_name] < 0))
    cur_blank = cells["currency"].isna() & money["amount_minor"].notna()
    if cur_blank.any() and "currency" in raw:
        out.notes.append(f"currency blank on {int(cur_blank.sum())} row(s): read from the "
                         f"amount's sign or set to {default_currency}")
    elif "currency" not in raw:
        out.notes.append(f"no currency column: amounts read as their sign says, else "
                         f"{default_currency}")
    return is_minor


def _require(out: Fields, cells: dict[str, pd.Series], broken: dict[str, pd.Series],
             shown: dict[str, pd.Series], table: str, *,
             is_minor: bool) -> None:
    """``missing_required`` where a required value is blank and no default filled it.

    A value left empty once its hidden characters are gone is blank; a cell
    holding an Excel error is ``excel_error``, not blank.
    """
    minor_name, major_name = _MONEY[table]
    for name in REQUIRED[table]:
        field = name if name != minor_name else (minor_name if is_minor else major_name)
        blank = cells[field].isna()
        if field in broken:
            blank &= broken[field].isna()
        # a value filled in by a documented default (kind from the ID type) is not missing
        out.rules.append(Rule("missing_required", name, blank & out.values[name].isna(),
                              got=shown.get(field)))
