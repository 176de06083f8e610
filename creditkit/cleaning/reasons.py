"""Reason codes for quarantined and merged rows, in the order they are reported.

A row can fail several checks; its ``reason`` is the first in ``REASONS``
order (file-level problems first, then broken cells -- Excel errors and hidden
characters, which explain the row's other failures --, missing values,
unreadable values, out-of-range values, cross-row problems) and its
``message`` lists the rest.
Chinese labels live in :mod:`creditkit.labels` (section ``_CLEANING``).

Examples
--------
>>> REASONS["invalid_id_number"]
'ID number is not a valid 18-digit resident ID (check digit, birth date or region)'
"""

from __future__ import annotations

__all__ = ["MERGE_REASONS", "REASONS"]

#: Quarantine reason code -> English message.
REASONS: dict[str, str] = {
    "malformed_line": "line could not be split into the file's columns "
                      "(wrong field count or quoting)",
    "empty_row": "row has no values at all",
    "excel_error": "the cell holds an Excel error value or a formula without a saved result, "
                   "not data; fix the formula or paste the sheet as values",
    "invisible_text": "text holds hidden characters (control, zero-width, terminal escape or "
                      "bidi override) that make what is shown differ from what is stored",
    "missing_required": "a required value is blank",
    "unparseable_date": "date is in no format we read (YYYY-MM-DD, YYYY/M/D, YYYY年M月D日, "
                        "YYYYMMDD, DD/MM/YYYY with dayfirst, Excel serial)",
    "impossible_date": "date does not exist in the calendar (e.g. 2024-02-30)",
    "ambiguous_date": "date like 05/01/2024 could be day-first or month-first; pass dayfirst=",
    "date_out_of_window": "date is outside the plausible window (date_min, date_max)",
    "date_after_as_of": "date is after as_of, so the event has not happened yet",
    "invalid_amount": "amount is not a number in the currency's minor units",
    "negative_amount": "amount is negative where only amounts >= 0 make sense",
    "unknown_currency": "currency is not one we recognise",
    "currency_conflict": "the amount's currency sign disagrees with the currency column",
    "invalid_id_number": "ID number is not a valid 18-digit resident ID "
                         "(check digit, birth date or region)",
    "invalid_credit_code": "unified social credit code fails its GB 32100 check character",
    "invalid_phone": "phone is neither an 11-digit mainland mobile nor a landline with area code",
    "unknown_channel": "payment channel is not one we recognise",
    "unknown_kind": "kind is not one we recognise",
    "due_before_issue": "due date is before the issue date",
    "unknown_customer": "customer_id is not in the customers table passed",
    "unknown_bill": "bill_id is not in the bills table passed",
    "unknown_invoice": "invoice_id is not in the bills table passed",
    "duplicate_key_conflict": "the same key appears on rows with different content; "
                              "all of them are held back for a person to decide",
}

#: Merge reason code -> English message.
MERGE_REASONS: dict[str, str] = {
    "exact_duplicate": "same key and same content (after normalisation) as an earlier row",
}
