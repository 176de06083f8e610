"""Behaviour and collection cards: fitted, validated, saved, and "the score today".

A :class:`BehaviourCard` wraps a :class:`creditkit.scoring.Scorecard` (the
existing optimal binning, WoE logistic regression and points scaling: points,
reason codes, SQL) and adds what a card in use must carry: its kind (B or C),
a version, the observation dates it was fitted on, a fingerprint of its
fitting sample, and the sample's settings (windows, horizon, bad dpd, cure
days). It saves to and loads from JSON and scores identically after a reload.

Shipped cards: ``creditkit/behaviour/data/b_card.json`` and ``c_card.json``,
loaded and refitted by :mod:`creditkit.behaviour.shipped` (``shipped_cards``,
``refit_shipped_cards``, ``SHIPPED``: still importable from here); the refit
also runs as ``python -m creditkit.behaviour.cards --refit``.

:func:`current_scores` is "the score today" of every customer: the C card for
customers past due at ``as_of``, the B card for the others.
"""

from __future__ import annotations

import hashlib
import json
import re
import warnings
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from creditkit.behaviour.features import behaviour_features, feature_names
from creditkit.behaviour.sample import (
    check_static,
)
from creditkit.behaviour.target import check_kind
from creditkit.checks import check_as_of
from creditkit.exceptions import NotFittedError, ParameterError
from creditkit.scoring import BinningProcess, Scorecard
from creditkit.scoring.selection import VariableSelector

__all__ = ["BehaviourCard", "card_windows", "check_card", "current_scores", "fit_behaviour_card"]

_FORMAT = "creditkit.behaviour_card/1"


class BehaviourCard:
    """A fitted B or C card: a points scorecard plus what it was fitted on.

    Build one with :func:`fit_behaviour_card` or load one with
    :meth:`from_json` / :meth:`load`.

    Attributes
    ----------
    kind : {"B", "C"}
    version : str
    fit_dates : list of str
        Observation dates of the fitting sample (ISO).
    fingerprint : str
        SHA-256 of the fitting sample's (as_of, customer_id, target).
    features : list of str
        The feature columns the card reads (those it scores are in ``scorecard.variables_``).
    windows : list of int
    horizon_months, bad_dpd, cure_days : int
    scorecard : creditkit.scoring.Scorecard

    Examples
    --------
    >>> from creditkit.behaviour import shipped_cards
    >>> card = shipped_cards()["B"]
    >>> card.kind, card.to_json() == BehaviourCard.from_json(card.to_json()).to_json()
    ('B', True)
    """

    def __init__(self, scorecard: Scorecard, *, kind: str, version: str,
                 fit_dates: Sequence[str], fingerprint: str, features: Sequence[str],
                 windows: Sequence[int], horizon_months: int, bad_dpd: int,
                 cure_days: int) -> None:
        if not hasattr(scorecard, "variables_"):
            raise NotFittedError("the scorecard of a BehaviourCard must be fitted; use "
                                 "fit_behaviour_card(sample) to build one")
        self.scorecard = scorecard
        self.kind = check_kind(kind)
        self.version = str(version)
        self.fit_dates = [str(d) for d in fit_dates]
        self.fingerprint = str(fingerprint)
        self.features = list(features)
        self.windows = [int(w) for w in windows]
        self.horizon_months = int(horizon_months)
        self.bad_dpd = int(bad_dpd)
        self.cure_days = int(cure_days)

    def __repr__(self) -> str:
        return (f"BehaviourCard(kind={self.kind!r}, version={self.version!r}, "
                f"variables={list(self.scorecard.variables_)})")

    def _X(self, X: pd.DataFrame) -> pd.DataFrame:
        if not isinstance(X, pd.DataFrame):
            raise ParameterError(f"X must be a DataFrame of behaviour features, got "
                                 f"{type(X).__name__}; build it with behaviour_features")
        missing = [v for v in self.scorecard.variables_ if v not in X.columns]
        if missing:
            raise ParameterError(
                f"X lacks the card's variable(s) {missing}; compute the features with "
                f"behaviour_features(tables, as_of=..., windows={tuple(self.windows)})")
        return _model_frame(X[list(self.scorecard.variables_)])

    def predict_points(self, X: pd.DataFrame) -> np.ndarray:
        """Points of each row (higher = better: less likely bad, or likelier to cure)."""
        return self.scorecard.predict_points(self._X(X))

    def predict_proba(self, X: pd.DataFrame) -> np.ndarray:
        """(P(good), P(bad)) of each row; for a C card bad = not cured."""
        return self.scorecard.predict_proba(self._X(X))

    def reason_codes(self, X: pd.DataFrame, n: int = 3, *,
                     labels: Mapping[str, str] | None = None) -> pd.DataFrame:
        """The ``n`` variables costing each row most points (``Scorecard.reason_codes``)."""
        return self.scorecard.reason_codes(self._X(X), n, labels=labels)

    def points_table(self, *, decimals: int | None = None) -> pd.DataFrame:
        """Points per variable and bin (``Scorecard.points_table``)."""
        return self.scorecard.points_table(decimals=decimals)

    def to_sql(self, dialect: str = "duckdb", *, table: str = "behaviour_features",
               id_col: str | None = "customer_id") -> str:
        """A SELECT giving each row's points from a table of the features."""
        return self.scorecard.to_sql(dialect, table=table, id_col=id_col)

    @property
    def fit_review(self) -> pd.DataFrame:
        """Variables the fit warned about (variable, issue); empty on a loaded card."""
        review = getattr(self.scorecard, "fit_review_", None)
        return review if review is not None else pd.DataFrame(columns=["variable", "issue"])

    def to_json(self) -> str:
        """The card as JSON (its scorecard as ``Scorecard.to_json``, plus the card's facts)."""
        doc = {"format": _FORMAT, "kind": self.kind, "version": self.version,
               "fit_dates": self.fit_dates, "fingerprint": self.fingerprint,
               "features": self.features, "windows": self.windows,
               "horizon_months": self.horizon_months, "bad_dpd": self.bad_dpd,
               "cure_days": self.cure_days,
               "scorecard": json.loads(self.scorecard.to_json())}
        return json.dumps(doc, ensure_ascii=False, indent=1, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> BehaviourCard:
        """Rebuild a card saved by :meth:`to_json`; it scores identically.

        Raises
        ------
        ParameterError
            The text is not a behaviour card.
        """
        try:
            doc = json.loads(text)
        except (TypeError, json.JSONDecodeError) as exc:
            raise ParameterError(f"not JSON: {str(text)[:40]!r}; pass card.to_json()") from exc
        if not isinstance(doc, dict) or doc.get("format") != _FORMAT:
            raise ParameterError(f"not a creditkit behaviour card (expected format {_FORMAT!r}); "
                                 "pass the text of BehaviourCard.to_json()")
        card = Scorecard.from_json(json.dumps(doc["scorecard"]))
        return cls(card, **{k: doc[k] for k in (
            "kind", "version", "fit_dates", "fingerprint", "features", "windows",
            "horizon_months", "bad_dpd", "cure_days")})

    def save(self, path: str | Path) -> Path:
        """Write :meth:`to_json` to ``path`` (UTF-8) and return the path."""
        path = Path(path)
        path.write_text(self.to_json() + "\n", encoding="utf-8")
        return path

    @classmethod
    def load(cls, path: str | Path) -> BehaviourCard:
        """Read a card written by :meth:`save`."""
        return cls.from_json(Path(path).read_text(encoding="utf-8"))


_NOT_FEATURES = ("as_of", "customer_id", "kind", "perf_dpd", "written_off", "target", "in_sample",
                 "reason")


def _model_frame(X: pd.DataFrame) -> pd.DataFrame:
    """Nullable integers and booleans as float64 (NaN for missing), other columns as they are."""
    out = X.copy()
    for col in out.columns:
        if pd.api.types.is_numeric_dtype(out[col]) or pd.api.types.is_bool_dtype(out[col]):
            out[col] = out[col].astype("float64")
    return out


def check_card(card: object) -> None:
    if not isinstance(card, BehaviourCard):
        raise ParameterError(f"card must be a BehaviourCard (fit_behaviour_card, shipped_cards), "
                             f"got {type(card).__name__}")


def _fingerprint(fit: pd.DataFrame) -> str:
    h = hashlib.sha256()
    cols = fit[["as_of", "customer_id", "target"]].sort_values(["as_of", "customer_id"])
    for col in cols.columns:
        h.update(cols[col].astype(str).str.cat(sep="\x1f").encode("utf-8"))
    return h.hexdigest()


def _windows_of(columns: Sequence[str]) -> list[int]:
    wins = sorted({int(c[len("worst_dpd_"):-1]) for c in columns
                   if c.startswith("worst_dpd_") and c.endswith("m")})
    if not wins:
        raise ParameterError("sample has no worst_dpd_<w>m column; build it with "
                             "creditkit.behaviour.development_sample")
    return wins


def fit_behaviour_card(
    sample: pd.DataFrame,
    *,
    kind: str = "B",
    features: Sequence[str] | None = None,
    version: str | None = None,
    horizon_months: int = 6,
    bad_dpd: int = 30,
    cure_days: int = 30,
    **scorecard_kwargs: Any,
) -> BehaviourCard:
    """Fit a B or C card on the ``in_sample`` rows of a development sample.

    Parameters
    ----------
    sample : DataFrame
        From :func:`creditkit.behaviour.development_sample` (usually its
        development part from :func:`oot_split`); its ``kind`` column must match.
    kind : {"B", "C"}, default "B"
    features : sequence of str, optional
        Candidate variables; default every column of the sample but its keys
        and target columns (the behaviour features and any ``static`` ones).
    version : str, optional
        Default ``"<kind>-<last fit date>-<fingerprint[:8]>"``.
    horizon_months, bad_dpd, cure_days : int
        The settings the sample was built with, recorded on the card.
    **scorecard_kwargs
        Passed to :class:`creditkit.scoring.Scorecard` (binning, scaling,
        ``selector``…). Without ``variables`` or ``selector``, a default
        :class:`creditkit.scoring.selection.VariableSelector` (IV ≥ 0.02,
        correlation ≤ 0.7, VIF ≤ 10) picks the variables.

    Returns
    -------
    BehaviourCard

    Raises
    ------
    ParameterError
        No ``in_sample`` row of that kind, one class only, unknown features.

    Examples
    --------
    >>> from creditkit.behaviour import development_sample
    >>> from creditkit.datasets import make_portfolio
    >>> book = make_portfolio(1500, seed=5, end="2025-12-31")
    >>> s = development_sample(book, dates=["2025-03-31", "2025-04-30"], windows=(3, 6))
    >>> import warnings
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore")
    ...     card = fit_behaviour_card(s, kind="B")
    >>> card.kind, card.fit_dates
    ('B', ['2025-03-31', '2025-04-30'])
    """
    kind = check_kind(kind)
    if not isinstance(sample, pd.DataFrame) or "in_sample" not in sample.columns:
        raise ParameterError("sample must be a DataFrame from development_sample")
    if "kind" in sample.columns and not sample["kind"].eq(kind).all():
        raise ParameterError(f"sample holds kind(s) {sorted(set(sample['kind']))}, not only "
                             f"{kind!r}; build it with development_sample(..., kind={kind!r})")
    wins = _windows_of(list(sample.columns))
    feats = list(features) if features is not None else [
        c for c in sample.columns if c not in _NOT_FEATURES]
    unknown = [f for f in feats if f not in sample.columns]
    if unknown:
        raise ParameterError(f"features {unknown} are not columns of the sample")
    fit = sample.loc[sample["in_sample"].astype(bool)]
    if len(fit) == 0:
        raise ParameterError("the sample has no in_sample row to fit; widen dates or check "
                             "development_summary(sample) for the exclusions")
    kwargs = dict(scorecard_kwargs)
    if "variables" not in kwargs and "selector" not in kwargs:
        kwargs["selector"] = VariableSelector()
    # the fit settings of the shipped cards (before scoring issue 15 changed Scorecard's
    # defaults), so a refit reproduces them; pass these keywords to fit otherwise
    for key, value in (("C", None), ("max_pvalue", None), ("sign_check", False)):
        kwargs.setdefault(key, value)
    if kwargs.get("binning") is None:
        kwargs["binning"] = BinningProcess(monotonic_trend="auto", min_bin_bads=0,
                                           min_bin_goods=0)
    X = _model_frame(fit[feats])
    y = fit["target"].astype("int64").to_numpy()
    # as scoring.fit_scorecard: what the fit finds (single bins, signs against WoE, no
    # convergence) is kept in the card's fit_warnings_ / fit_review_ for the validator's
    # review table, not printed as warnings into a report
    with warnings.catch_warnings(record=True):
        warnings.simplefilter("always")
        card = Scorecard(**kwargs).fit(X.reset_index(drop=True), y)
    dates = sorted({pd.Timestamp(d).date().isoformat() for d in fit["as_of"].unique()})
    fp = _fingerprint(fit)
    return BehaviourCard(card, kind=kind, version=version or f"{kind}-{dates[-1]}-{fp[:8]}",
                         fit_dates=dates, fingerprint=fp, features=feats, windows=wins,
                         horizon_months=horizon_months, bad_dpd=bad_dpd, cure_days=cure_days)


def current_scores(tables: Mapping[str, pd.DataFrame], *, as_of: object,
                   cards: Mapping[str, BehaviourCard] | None = None,
                   static: pd.DataFrame | None = None,
                   features: pd.DataFrame | None = None) -> pd.DataFrame:
    """The score today of every customer known at ``as_of``.

    Customers past due at ``as_of`` (dpd > 0) are scored by the C card (their
    ``pd`` is the probability of *not* curing), the others by the B card.

    Parameters
    ----------
    tables : dict of str to DataFrame
        As :func:`creditkit.behaviour.behaviour_features`.
    as_of : date-like
    cards : dict {"B": BehaviourCard, "C": BehaviourCard}, optional
        Default :func:`shipped_cards`.
    static : DataFrame, optional
        The onboarding characteristics the cards were fitted with (see
        :func:`creditkit.behaviour.development_sample`), by ``customer_id``.
    features : DataFrame, optional
        :func:`creditkit.behaviour.behaviour_features` of ``tables`` at ``as_of``
        over the cards' windows, when the caller has computed them already
        (:func:`creditkit.segmentation.customer_features` does); computed here
        otherwise.

    Returns
    -------
    DataFrame
        ``customer_id``, ``as_of``, ``scorecard`` ("B"/"C"), ``dpd`` (int64),
        ``points``, ``pd`` (float64), ``model_version``, ``reason_1`` …
        ``reason_3`` (string; the variables costing most points).

    Raises
    ------
    ParameterError
        ``cards`` lacks B or C, or a card of the wrong kind; ``features`` of
        another date or other windows than the cards'.

    Examples
    --------
    >>> from creditkit.behaviour import current_scores
    >>> from creditkit.datasets import make_portfolio
    >>> book = make_portfolio(300, seed=4, end="2025-06-30")
    >>> s = current_scores(book, as_of="2025-06-30")
    >>> s.columns[:5].tolist(), bool(s["pd"].between(0, 1).all())
    (['customer_id', 'as_of', 'scorecard', 'dpd', 'points'], True)
    """
    if cards is None:
        from creditkit.behaviour.shipped import shipped_cards

        cards = shipped_cards()
    cards = dict(cards)
    for kind in ("B", "C"):
        if not isinstance(cards.get(kind), BehaviourCard) or cards[kind].kind != kind:
            raise ParameterError(f"cards must map 'B' and 'C' to BehaviourCards of that kind; "
                                 f"got {sorted(map(str, cards))}; default shipped_cards()")
    wins = card_windows(cards)
    if features is None:
        feats = behaviour_features(tables, as_of=as_of, windows=wins)
    else:
        feats = _given_features(features, as_of=as_of, windows=wins)
    extra = check_static(static)
    if extra is not None:
        feats = feats.join(extra.reindex(feats["customer_id"]).reset_index(drop=True))
    use_c = (feats["dpd"] > 0).to_numpy()
    n = len(feats)
    points, prob = np.zeros(n), np.zeros(n)
    version = np.empty(n, dtype=object)
    reasons = pd.DataFrame(index=feats.index, columns=["reason_1", "reason_2", "reason_3"],
                           dtype="string")
    for kind, rows in (("B", ~use_c), ("C", use_c)):
        if not rows.any():
            continue
        X, card = feats.loc[rows], cards[kind]
        points[rows] = card.predict_points(X)
        prob[rows] = card.predict_proba(X)[:, 1]
        version[rows] = card.version
        rc = card.reason_codes(X, 3)
        for col in reasons.columns:
            if col in rc.columns:
                reasons.loc[rows, col] = rc[col]
    out = pd.DataFrame({"customer_id": feats["customer_id"], "as_of": feats["as_of"],
                        "scorecard": np.where(use_c, "C", "B").astype(object),
                        "dpd": feats["dpd"].astype(np.int64), "points": points, "pd": prob,
                        "model_version": version})
    return pd.concat([out, reasons], axis=1)


def card_windows(cards: Mapping[str, BehaviourCard]) -> tuple[int, ...]:
    """The feature windows (months) the B and C cards read, together.

    Examples
    --------
    >>> from creditkit.behaviour import shipped_cards
    >>> card_windows(shipped_cards())
    (3, 6, 12)
    """
    return tuple(sorted({int(w) for card in cards.values() for w in card.windows}))


def _given_features(features: pd.DataFrame, *, as_of: object,
                    windows: tuple[int, ...]) -> pd.DataFrame:
    """``features`` when they are behaviour_features at ``as_of`` over ``windows``."""
    if not isinstance(features, pd.DataFrame):
        raise ParameterError(f"features must be a DataFrame of behaviour_features, got "
                             f"{type(features).__name__}")
    missing = [c for c in ("customer_id", "as_of", *feature_names(windows))
               if c not in features.columns]
    seen = {int(m.group(1)) for c in features.columns
            if (m := re.fullmatch(r"worst_dpd_(\d+)m", str(c)))}
    if missing or seen != set(windows):
        raise ParameterError(f"features must be behaviour_features over the cards' windows "
                             f"{list(windows)} (found windows {sorted(seen)}, missing "
                             f"{missing[:5]}); leave features=None to compute them")
    day = pd.Timestamp(check_as_of(as_of))
    if len(features) and not (pd.to_datetime(features["as_of"]) == day).all():
        raise ParameterError(f"features are not of as_of {day.date()}; leave features=None "
                             "to compute them")
    return features.reset_index(drop=True)


def _main(argv: Sequence[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(prog="python -m creditkit.behaviour.cards",
                                     description="Refit the shipped B and C cards.")
    parser.add_argument("--refit", action="store_true", help="refit and write the cards")
    parser.add_argument("--out", default=None, help="folder (default: the package's data)")
    args = parser.parse_args(argv)
    if not args.refit:
        parser.print_help()
        return 2
    from creditkit.behaviour.shipped import refit_shipped_cards

    for kind, card in refit_shipped_cards(args.out).items():
        print(kind, card.version, list(card.scorecard.variables_))
    return 0


#: Names that moved to :mod:`creditkit.behaviour.shipped`, still importable from here.
_MOVED = ("DATA_DIR", "SHIPPED", "refit_shipped_cards", "shipped_cards")


def __getattr__(name: str) -> Any:
    # PEP 562: loaded on first use, since shipped imports this module
    if name in _MOVED:
        from creditkit.behaviour import shipped

        return getattr(shipped, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


if __name__ == "__main__":
    raise SystemExit(_main())
