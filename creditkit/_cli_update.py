"""``creditkit update``: the subcommand's arguments (``add_update``); the work is :func:`creditkit.update.update`.

Registered by :mod:`creditkit.cli` like every subcommand. The command only
parses: the pipeline (cleaning, reconciliation, scoring, tiers, dunning, the
snapshot) lives in :mod:`creditkit.update`.
"""  # noqa: E501

from __future__ import annotations

import argparse
from typing import Any

_UPDATE_EPILOG = """\
examples:
  creditkit update --store datasets/creditkit.duckdb --as-of 2025-06-30
  creditkit update --store book.duckdb --as-of 2025-07-31 --input exports/2025-07
  creditkit update --store book.duckdb --as-of 2025-05-31 --rebuild
  creditkit update --store book.duckdb --as-of 2025-12-31 --reconcile full
  creditkit update --store book.duckdb --as-of 2025-07-31 --tier-rules my_tiers.csv

--input DIR reads customers*, bills*, payments* (or 客户*, 账单*, 回款*) exports
(.csv/.tsv/.xlsx/.parquet); bad rows are quarantined into the store, never dropped.
Re-running a date replaces that date only; the same inputs give the same rows.
A month reconciles only the payments received since the previous update and the
unapplied rests still open, against the bills still open: what earlier dates
decided stays decided (the store's ledger). --reconcile full re-matches every
payment against every bill, a new basis for the months after.
"""

#: option -> artefact kind (creditkit.update.ARTEFACT_FILES)
_ARTEFACT_OPTIONS = {"b_card": "card_B", "c_card": "card_C", "tier_rules": "tier_rules",
                     "tag_rules": "tag_rules", "value_rules": "value_rules",
                     "reconcile_rules": "reconcile_rules", "dunning_policy": "dunning_policy",
                     "review_policy": "review_policy", "restriction_rules": "restriction_rules",
                     "alert_rules": "alert_rules"}


def add_update(sub: Any) -> None:
    """Register ``creditkit update`` on the subparsers ``sub``."""
    p = sub.add_parser(
        "update", help="the periodic update: clean new exports, re-score, tier, dun, snapshot",
        description="Run one date of the credit-control cycle on the store: clean and merge "
                    "new exports, reconcile payments, re-score with the stored scorecards, "
                    "assign tiers, tags and value segments, run dunning, write the date's "
                    "snapshot in one transaction, then print what changed since the previous "
                    "snapshot and whose re-evaluation is due.",
        epilog=_UPDATE_EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--store", required=True, metavar="PATH", help="the DuckDB store")
    p.add_argument("--as-of", required=True, metavar="DATE", help="the snapshot date")
    p.add_argument("--input", default=None, metavar="DIR",
                   help="folder of new exports to clean and merge first")
    p.add_argument("--rebuild", action="store_true",
                   help="allow an --as-of earlier than the latest snapshot (rewrites that date)")
    p.add_argument("--reconcile", choices=["month", "full"], default=None,
                   help="month (default once the store has a ledger): only what is new; "
                        "full: every payment against every bill")
    p.add_argument("--no-progress", action="store_true", help="no progress bars")
    files = p.add_argument_group("scorecards, rules and policies (default: the stored ones, "
                                 "else the shipped ones; a file given is stored)")
    for opt in _ARTEFACT_OPTIONS:
        files.add_argument("--" + opt.replace("_", "-"), default=None, metavar="FILE")
    p.set_defaults(func=cmd_update)


def cmd_update(args: argparse.Namespace) -> int:
    """Run :func:`creditkit.update.update` with the parsed options and print its report."""
    from creditkit.update import update

    given = {kind: getattr(args, opt) for opt, kind in _ARTEFACT_OPTIONS.items()
             if getattr(args, opt) is not None}
    result = update(args.store, as_of=args.as_of, input_dir=args.input, rebuild=args.rebuild,
                    artefacts=given, progress=not args.no_progress,
                    reconcile_mode=args.reconcile)
    print(result.report())
    return 0
