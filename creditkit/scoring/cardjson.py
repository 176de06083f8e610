"""A scorecard as JSON: scaling, bins, coefficients and points.

The document (format ``creditkit.scorecard/1``) holds no binning object: the
frozen bins (:mod:`creditkit.scoring.cardspec`) and the points per bin are
enough to score, so a reloaded card scores bit for bit as the saved one.
"""

from __future__ import annotations

import json
from typing import Any

import numpy as np
import pandas as pd

from creditkit.exceptions import ParameterError
from creditkit.scoring.pairbins import spec_from_dict

__all__ = ["CARD_FORMAT", "card_from_json", "card_to_json"]

CARD_FORMAT = "creditkit.scorecard/1"
#: constructor parameters saved with a card: what scoring needs. The fit's checks
#: (max_pvalue, sign_check, forced) are not saved, so shipped card files stay as they are;
#: a reloaded card has no binning to refit with anyway.
SAVED_PARAMS = ("base_score", "base_odds", "pdo", "rounding", "C")


def card_to_json(card: Any) -> str:
    """The JSON text of a fitted card (see ``Scorecard.to_json``).

    Examples
    --------
    >>> from creditkit.scoring.examples import example_card
    >>> json.loads(card_to_json(example_card()))["format"]
    'creditkit.scorecard/1'
    """
    params = {k: getattr(card, k, None) for k in SAVED_PARAMS}
    doc = {
        "format": CARD_FORMAT,
        "params": params,
        "intercept": card.intercept_,
        "variables": [{"bins": card.bins_[v].to_dict(), "coef": float(b),
                       "points": card.points_[v].tolist()}
                      for v, b in zip(card.variables_, card.coef_, strict=True)],
        "coef_table": json.loads(card.coef_table_.to_json(orient="records")),
    }
    return json.dumps(doc, ensure_ascii=False)


def card_from_json(cls: type, text: str) -> Any:
    """Rebuild a card of class ``cls`` from :func:`card_to_json` text.

    Raises
    ------
    ParameterError
        If the text is not a creditkit scorecard.

    Examples
    --------
    >>> from creditkit.scoring import Scorecard
    >>> from creditkit.scoring.examples import example_card
    >>> card_from_json(Scorecard, card_to_json(example_card())).variables_
    ['age']
    """
    try:
        doc = json.loads(text)
    except (TypeError, json.JSONDecodeError) as exc:
        raise ParameterError(f"not JSON: {str(text)[:40]!r}; pass card.to_json()") from exc
    if not isinstance(doc, dict) or doc.get("format") != CARD_FORMAT:
        fmt = doc.get("format") if isinstance(doc, dict) else None
        raise ParameterError(
            f"not a creditkit scorecard (format {fmt!r},"
            f" expected {CARD_FORMAT!r}); pass the text of card.to_json()"
        )
    bins = {d["bins"]["name"]: spec_from_dict(d["bins"]) for d in doc["variables"]}
    coef = {d["bins"]["name"]: d["coef"] for d in doc["variables"]}
    card = cls.from_parts(bins, coef=coef, intercept=doc["intercept"], **doc["params"])
    # keep the saved points bit for bit rather than recomputing them
    card.points_ = {d["bins"]["name"]: np.asarray(d["points"], dtype="float64")
                    for d in doc["variables"]}
    card.coef_table_ = pd.DataFrame(doc["coef_table"])
    return card
