"""Repayment tracking (还款跟踪): allocation, aging, aging over time, collection metrics.

Modules: :mod:`~creditkit.aging.allocation` (核销), :mod:`~creditkit.aging.buckets`,
:mod:`~creditkit.aging.aging` (账龄 at one date), :mod:`~creditkit.aging.bridge` (the
balance bridge from gross outstanding to net balance, which every report showing a
balance uses), :mod:`~creditkit.aging.history`
(aging at many dates, roll and flow rates, vintage, FPD, cure rate, collection
multiplier), :mod:`~creditkit.aging.metrics` (DSO, BPDSO, ADD, CEI), plus figures
(:mod:`~creditkit.aging.plots`) and the drill-down widget (:mod:`~creditkit.aging.widgets`).
The shared allocation rule is documented in :mod:`creditkit.aging.ledger`.
"""

from __future__ import annotations

from creditkit.aging.aging import bill_aging, customer_aging, portfolio_aging, worst_customers
from creditkit.aging.allocation import Allocation, allocate_payments
from creditkit.aging.bridge import BRIDGE_COLUMNS, BRIDGE_LINES, balance_bridge, bridge_lines
from creditkit.aging.buckets import BUCKET_PRESETS, FIVE_CLASS, Buckets, resolve_buckets
from creditkit.aging.headline import DPD_THRESHOLDS, collections_headline, delinquency
from creditkit.aging.history import (
    aging_at_dates,
    cure_rate,
    flow_rates,
    roll_rate_matrix,
    roll_rates,
)
from creditkit.aging.metrics import (
    average_days_delinquent,
    best_possible_dso,
    cei,
    collection_metrics,
    count_back_dso,
    last_month_ends,
    month_ends,
    simple_dso,
)
from creditkit.aging.vintage import collection_multiplier, fpd, vintage

__all__ = [
    "BRIDGE_COLUMNS",
    "BRIDGE_LINES",
    "BUCKET_PRESETS",
    "DPD_THRESHOLDS",
    "FIVE_CLASS",
    "Allocation",
    "Buckets",
    "aging_at_dates",
    "allocate_payments",
    "average_days_delinquent",
    "balance_bridge",
    "best_possible_dso",
    "bill_aging",
    "bridge_lines",
    "cei",
    "collection_metrics",
    "collection_multiplier",
    "collections_headline",
    "count_back_dso",
    "cure_rate",
    "customer_aging",
    "delinquency",
    "flow_rates",
    "fpd",
    "last_month_ends",
    "month_ends",
    "portfolio_aging",
    "resolve_buckets",
    "roll_rate_matrix",
    "roll_rates",
    "simple_dso",
    "vintage",
    "worst_customers",
]
