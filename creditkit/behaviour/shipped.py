"""The B and C cards shipped with creditkit: how they were fitted, loading and refitting them.

:data:`SHIPPED` says how: generator data with its payers reconciled
(:func:`creditkit.behaviour.reconciled_payments`), the observation dates, the
out-of-time dates left out of the fit and the sample's settings.
:func:`shipped_cards` loads ``data/b_card.json`` and ``data/c_card.json``;
:func:`refit_shipped_cards` fits them again (also run as
``python -m creditkit.behaviour.cards --refit``). The same seed gives the same
JSON, byte for byte (a test checks it). The names are also importable from
:mod:`creditkit.behaviour.cards`, where they were before.

Examples
--------
>>> SHIPPED["oot_dates"], sorted(shipped_cards())
(2, ['B', 'C'])
"""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Any

from creditkit.behaviour.cards import BehaviourCard, fit_behaviour_card
from creditkit.behaviour.sample import development_sample, oot_split, reconciled_payments

__all__ = ["DATA_DIR", "SHIPPED", "refit_shipped_cards", "shipped_cards"]

#: The folder of the shipped cards' JSON.
DATA_DIR = Path(__file__).with_name("data")
#: How the shipped cards are fitted: generator portfolio, observation dates, settings.
SHIPPED: dict[str, Any] = {
    "portfolio": {"n_customers": 6000, "seed": 1717, "kind": "mixed", "start": "2024-01-01",
                  "end": "2025-12-31"},
    "dates": ["2024-12-31", "2025-01-31", "2025-02-28", "2025-03-31", "2025-04-30",
              "2025-05-31", "2025-06-30"],
    "oot_dates": 2,
    "windows": [3, 6, 12],
    "horizon_months": 6,
    "bad_dpd": 30,
    "cure_days": 30,
}


def shipped_cards() -> dict[str, BehaviourCard]:
    """The B and C cards shipped with creditkit (see :data:`SHIPPED`).

    Examples
    --------
    >>> sorted(shipped_cards())
    ['B', 'C']
    """
    return {k: BehaviourCard.load(DATA_DIR / f"{k.lower()}_card.json") for k in ("B", "C")}


def refit_shipped_cards(path: str | Path | None = None) -> dict[str, BehaviourCard]:
    """Fit the shipped cards again from :data:`SHIPPED` and write them to ``path``.

    Parameters
    ----------
    path : str or Path, optional
        Folder to write ``b_card.json`` and ``c_card.json`` to; default the
        package's ``creditkit/behaviour/data``.

    Returns
    -------
    dict of str to BehaviourCard
    """
    from creditkit.datasets import make_portfolio

    cfg = SHIPPED
    p = dict(cfg["portfolio"])
    book = reconciled_payments(make_portfolio(p.pop("n_customers"), truth=True, **p))
    out = Path(path) if path is not None else DATA_DIR
    out.mkdir(parents=True, exist_ok=True)
    cards = {}
    for kind in ("B", "C"):
        s = development_sample(book, dates=cfg["dates"], windows=cfg["windows"],
                               horizon_months=cfg["horizon_months"], bad_dpd=cfg["bad_dpd"],
                               cure_days=cfg["cure_days"], kind=kind)
        dev, _ = oot_split(s, oot_dates=cfg["oot_dates"])
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)
            card = fit_behaviour_card(dev, kind=kind, horizon_months=cfg["horizon_months"],
                                      bad_dpd=cfg["bad_dpd"], cure_days=cfg["cure_days"],
                                      version=f"{kind}-shipped-1")
        card.save(out / f"{kind.lower()}_card.json")
        cards[kind] = card
    return cards
