"""Data intake and cleaning with nothing lost (数据清洗).

Normalise (names, phones, ID numbers, credit codes, dates, amounts,
channels, currencies), validate per table, quarantine instead of deleting,
fold exact duplicates, and measure data quality. Deduplication of customers
(fuzzy matching, merge maps) lives in :mod:`creditkit.cleaning.dedupe`, and
applying a merge map in :mod:`creditkit.cleaning.merge`. Cleaning several
export files together and tabulating the outcome is :mod:`~creditkit.cleaning.intake`;
explanations of quarantined rows for people, :mod:`~creditkit.cleaning.explain`;
its figures are in :mod:`creditkit.cleaning.plots`, its interactive views in
:mod:`creditkit.cleaning.widgets`. Column headers are recognised by the shared
table of :mod:`creditkit.columns`.

Examples
--------
>>> import pandas as pd
>>> from creditkit.cleaning import clean_payments
>>> res = clean_payments(pd.DataFrame({"payment_id": ["P1"], "paid_date": ["2025/3/1"],
...                                    "amount": ["￥88.00"], "channel": ["微信"]}))
>>> res.clean[["channel", "amount_minor"]].values.tolist(), res.ok
([['wechat', 8800]], True)
"""

from __future__ import annotations

from creditkit.cleaning.clean import DATE_WINDOW, clean_bills, clean_customers, clean_payments
from creditkit.cleaning.columns import recognise_columns
from creditkit.cleaning.dates import parse_dates
from creditkit.cleaning.dedupe import DedupeResult, find_duplicates
from creditkit.cleaning.explain import explain_quarantine, value_as_written
from creditkit.cleaning.files import clean_file
from creditkit.cleaning.headline import intake_headline
from creditkit.cleaning.identifiers import (
    parse_credit_codes,
    parse_id_numbers,
    parse_identifiers,
)
from creditkit.cleaning.intake import (
    clean_sources,
    column_quality,
    customer_duplicates,
    intake_summary,
    quarantine_frames,
    quarantine_rows,
    reasons_by_file,
    table_label,
)
from creditkit.cleaning.merge import apply_merge_map, merge_customers
from creditkit.cleaning.normalize import (
    normalize_channels,
    normalize_currencies,
    normalize_kinds,
    normalize_names,
    parse_amounts_text,
    parse_phones,
)
from creditkit.cleaning.quality import quality_report, quality_table, quarantine_counts
from creditkit.cleaning.quarantine import CleaningInvariantError, CleanResult
from creditkit.cleaning.reasons import MERGE_REASONS, REASONS

__all__ = [
    "DATE_WINDOW",
    "MERGE_REASONS",
    "REASONS",
    "CleanResult",
    "CleaningInvariantError",
    "DedupeResult",
    "apply_merge_map",
    "clean_bills",
    "clean_customers",
    "clean_file",
    "clean_payments",
    "clean_sources",
    "column_quality",
    "customer_duplicates",
    "explain_quarantine",
    "find_duplicates",
    "intake_headline",
    "intake_summary",
    "merge_customers",
    "normalize_channels",
    "normalize_currencies",
    "normalize_kinds",
    "normalize_names",
    "parse_amounts_text",
    "parse_credit_codes",
    "parse_dates",
    "parse_id_numbers",
    "parse_identifiers",
    "parse_phones",
    "quality_report",
    "quality_table",
    "quarantine_counts",
    "quarantine_frames",
    "quarantine_rows",
    "reasons_by_file",
    "recognise_columns",
    "table_label",
    "value_as_written",
]
