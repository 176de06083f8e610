"""Behaviour and collection scores (B卡 / C卡): the score of an existing customer today.

Modules: :mod:`~creditkit.behaviour.features` (behaviour features at a date,
known at ``as_of`` only), :mod:`~creditkit.behaviour.history` (the same at
many dates from one pass), :mod:`~creditkit.behaviour.target` (B-card and
C-card targets, with a reason for every customer left out of a sample),
:mod:`~creditkit.behaviour.sample` (stacked monthly development samples and
the out-of-time split), :mod:`~creditkit.behaviour.cards` (fitting and
``current_scores``, "the score today"), :mod:`~creditkit.behaviour.shipped` (the
shipped cards) and
:mod:`~creditkit.behaviour.validation` (out-of-time AUC/KS, PSI of the points). Figures and widgets
are in :mod:`creditkit.behaviour.plots` and :mod:`creditkit.behaviour.widgets`
(import them directly: they pull in plotly and ipywidgets).
"""

from __future__ import annotations

from creditkit.behaviour.cards import (
    BehaviourCard,
    card_windows,
    current_scores,
    fit_behaviour_card,
)
from creditkit.behaviour.features import (
    FEATURES,
    behaviour_features,
    feature_names,
    feature_table,
)
from creditkit.behaviour.history import behaviour_features_at_dates
from creditkit.behaviour.sample import (
    development_sample,
    development_summary,
    oot_split,
    reconciled_payments,
)
from creditkit.behaviour.shipped import SHIPPED, refit_shipped_cards, shipped_cards
from creditkit.behaviour.target import (
    KINDS,
    REASONS,
    behaviour_target,
    behaviour_target_at_dates,
)
from creditkit.behaviour.validation import card_performance, score_psi

__all__ = [
    "FEATURES",
    "KINDS",
    "REASONS",
    "SHIPPED",
    "BehaviourCard",
    "behaviour_features",
    "behaviour_features_at_dates",
    "behaviour_target",
    "behaviour_target_at_dates",
    "card_performance",
    "card_windows",
    "current_scores",
    "development_sample",
    "development_summary",
    "feature_names",
    "feature_table",
    "fit_behaviour_card",
    "oot_split",
    "reconciled_payments",
    "refit_shipped_cards",
    "score_psi",
    "shipped_cards",
]
