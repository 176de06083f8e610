"""creditkit: a credit-control toolkit for analysts in Jupyter.

All the logic (cleaning, scoring, aging, reporting) lives in this package;
notebooks call it and export review reports as HTML. ``docs/architecture.md``
in the repository maps the package, the data model and the rules every
concept follows.

The most used names are available at the top level; they are imported on
first use (PEP 562), so ``import creditkit`` stays fast and does not pull in
scikit-learn, papermill or DuckDB until they are needed.

Examples
--------
>>> import creditkit as ck
>>> ck.to_minor_units("￥1,234.56")
123456
>>> ck.label("dpd", "zh")
'逾期天数'
"""

from __future__ import annotations

import importlib
from importlib.metadata import PackageNotFoundError, version
from typing import Any

from creditkit.exceptions import (
    CleaningInvariantError,
    CreditkitError,
    DataReadError,
    FXRateError,
    MoneyParseError,
    ParameterError,
    ReportError,
    SchemaError,
    StoreLockedError,
)
from creditkit.labels import label, relabel
from creditkit.schema import TABLES, validate

try:
    __version__ = version("creditkit")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.0.0+unknown"

# public name -> the module that owns it (one owner per concept)
_LAZY: dict[str, str] = {
    # money and intake
    "to_minor_units": "creditkit.money",
    "parse_amounts": "creditkit.money",
    "format_minor": "creditkit.money",
    "FXTable": "creditkit.money",
    "read_table": "creditkit.io",
    "detect_encoding": "creditkit.io",
    "check_id_number": "creditkit.ids",
    "check_credit_code": "creditkit.ids",
    # cleaning and privacy
    "clean_customers": "creditkit.cleaning",
    "clean_bills": "creditkit.cleaning",
    "clean_payments": "creditkit.cleaning",
    "clean_file": "creditkit.cleaning",
    "CleanResult": "creditkit.cleaning",
    "quality_table": "creditkit.cleaning",
    "quality_report": "creditkit.cleaning",
    "find_duplicates": "creditkit.cleaning",
    "apply_merge_map": "creditkit.cleaning",
    "mask_pii": "creditkit.privacy",
    # data and store
    "make_portfolio": "creditkit.datasets",
    "load_or_make": "creditkit.datasets",
    "load_german_credit": "creditkit.datasets",
    "load_portfolio": "creditkit.store",
    "write_tables": "creditkit.store",
    "credit_file": "creditkit.store",
    "credit_file_view": "creditkit.creditfile",
    "credit_file_report": "creditkit.creditfile",
    "portfolio_at": "creditkit.store",
    "compare_dates": "creditkit.update",
    # scoring
    "BinningProcess": "creditkit.scoring",
    "OptimalBinning": "creditkit.scoring",
    "Scorecard": "creditkit.scoring",
    "PSIMonitor": "creditkit.scoring",
    "apply_policy": "creditkit.scoring",
    "load_policy": "creditkit.scoring",
    "score_bands": "creditkit.scoring",
    "cutoff_table": "creditkit.scoring",
    "auc": "creditkit.scoring",
    "ks": "creditkit.scoring",
    "psi": "creditkit.scoring",
    # repayment tracking
    "allocate_payments": "creditkit.aging",
    "bill_aging": "creditkit.aging",
    "customer_aging": "creditkit.aging",
    "portfolio_aging": "creditkit.aging",
    "balance_bridge": "creditkit.aging",
    "aging_at_dates": "creditkit.aging",
    "roll_rates": "creditkit.aging",
    "flow_rates": "creditkit.aging",
    "vintage": "creditkit.aging",
    # reports
    "run_notebook": "creditkit.reporting",
    "run_all": "creditkit.reporting",
    "show_table": "creditkit.display",
    "model_probabilities": "creditkit.scoring",
    "setup_notebook": "creditkit.display",
    # behaviour and collection scores (B卡 / C卡)
    "behaviour_features": "creditkit.behaviour",
    "behaviour_target": "creditkit.behaviour",
    "development_sample": "creditkit.behaviour",
    "fit_behaviour_card": "creditkit.behaviour",
    "current_scores": "creditkit.behaviour",
    "BehaviourCard": "creditkit.behaviour",
    # customer qualification: tiers, tags, migration; the one rule engine
    "customer_features": "creditkit.segmentation",
    "assign_tiers": "creditkit.segmentation",
    "assign_tags": "creditkit.segmentation",
    "tier_migration": "creditkit.segmentation",
    "load_rules": "creditkit.rules",
    # early warning: alert rules, today's alerts, their backtest
    "evaluate_alerts": "creditkit.alerts",
    "backtest_alerts": "creditkit.alerts",
    "load_alert_rules": "creditkit.alerts",
    # collections: reconciliation, dunning, the worklist, channel performance
    "reconcile": "creditkit.collections",
    "apply_reconciliation": "creditkit.collections",
    "dunning_run": "creditkit.collections",
    "collection_worklist": "creditkit.collections",
    "channel_performance": "creditkit.collections",
    "promise_outcomes": "creditkit.collections",
    # restricted customers: levels, policy, order checks, reviews, legal escalation
    "restricted_customers": "creditkit.restricted",
    "apply_restrictions": "creditkit.restricted",
    "check_order": "creditkit.restricted",
    "restricted_book": "creditkit.restricted",
}

__all__ = [
    "TABLES",
    "CleaningInvariantError",
    "CreditkitError",
    "DataReadError",
    "FXRateError",
    "MoneyParseError",
    "ParameterError",
    "ReportError",
    "SchemaError",
    "StoreLockedError",
    "__version__",
    "label",
    "relabel",
    "validate",
    *sorted(_LAZY),
]


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'creditkit' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value  # later look-ups skip this hook
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))
