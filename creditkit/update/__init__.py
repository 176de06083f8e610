"""The periodic update of credit files: the monthly credit-control cycle on the store.

:func:`update` (``creditkit update``) loads new exports through the cleaning
(:mod:`~creditkit.update.inputs`), reconciles, re-scores with the stored
scorecards, tiers, runs dunning and writes the date's snapshot
(:mod:`~creditkit.update.pipeline`); the scorecards, rule files and policies
it uses are stored with a version and fingerprint
(:mod:`~creditkit.update.policies`); :func:`compare_dates` puts two dates side
by side (:mod:`~creditkit.update.compare`); :func:`reviews_due` lists whose
credit file must be re-evaluated (:mod:`~creditkit.update.reviews`).
The snapshot readers (:func:`creditkit.store.credit_file`,
:func:`creditkit.store.portfolio_at`) live in the store.
"""

from __future__ import annotations

from creditkit.update.compare import DateComparison, compare_dates, compare_snapshots
from creditkit.update.inputs import INPUT_PREFIXES, Inputs, find_inputs, merge_inputs
from creditkit.update.pipeline import STAGES, UpdateResult, build_snapshot, update
from creditkit.update.policies import ARTEFACT_FILES, resolve_artefacts
from creditkit.update.reviews import REVIEW_KEYS, load_review_policy, reviews_due

__all__ = [
    "ARTEFACT_FILES",
    "INPUT_PREFIXES",
    "REVIEW_KEYS",
    "STAGES",
    "DateComparison",
    "Inputs",
    "UpdateResult",
    "build_snapshot",
    "compare_dates",
    "compare_snapshots",
    "find_inputs",
    "load_review_policy",
    "merge_inputs",
    "resolve_artefacts",
    "reviews_due",
    "update",
]
