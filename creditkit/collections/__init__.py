"""Collections (回款与催收): reconciliation of payments to bills, dunning.

Reconciliation: :func:`reconcile` (orchestration, :mod:`~creditkit.collections.reconcile`),
payer identification (:mod:`~creditkit.collections.payers`), bill numbers in free text
(:mod:`~creditkit.collections.references`), amount rules
(:mod:`~creditkit.collections.amounts`), the rules file (:mod:`~creditkit.collections.rules`),
analysts' decisions (:mod:`~creditkit.collections.manual`), and
:func:`apply_reconciliation`, which hands the result to the aging functions.
"""

from __future__ import annotations

from creditkit.collections.manual import DECISIONS, check_decisions
from creditkit.collections.payers import identify_payers, normalise_name
from creditkit.collections.posting import apply_reconciliation
from creditkit.collections.reconcile import REASONS, Reconciliation, reconcile
from creditkit.collections.references import match_references, reference_tokens
from creditkit.collections.rules import ReconcileRules, load_rules

__all__ = [
    "DECISIONS",
    "REASONS",
    "ReconcileRules",
    "Reconciliation",
    "apply_reconciliation",
    "check_decisions",
    "identify_payers",
    "load_rules",
    "match_references",
    "normalise_name",
    "reconcile",
    "reference_tokens",
]

# dunning (helper dunning)
