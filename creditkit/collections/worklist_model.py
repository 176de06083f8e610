"""The probability that a past-due customer pays soon: the C card, calibrated.

The collection card (C卡, :mod:`creditkit.behaviour`) ranks past-due customers
well by their chance of curing (nothing past due ``cure_days`` later), but its
``pd`` is a scorecard's logistic output fitted on a development sample, and a
worklist multiplies it by money: expected recovery = past due × P(cure). On
the generator's history the raw card is too pessimistic in its low and middle
deciles (predicted cure rate 0.40 where 0.62 is observed), so the worklist
uses a :class:`RecoveryModel`: the card's points mapped to an observed cure
rate by isotonic regression (monotone: more points never means a lower
chance), fitted on a C development sample
(:func:`creditkit.behaviour.development_sample` with ``kind="C"``).

The shipped model (``collections/data/worklist_calibration.csv``) is fitted
by :func:`refit_recovery_model` on a generator portfolio other than the one
the shipped cards were fitted on (:data:`CALIBRATION`); the tests validate it
(AUC, calibration by decile) on a third. The file is a table of knots the
analyst may read: ``points`` (strictly increasing) and ``p_cure`` (in [0, 1],
never decreasing), notes starting with ``#`` (``# card_version: …``, ``# base_rate: …``),
read by :func:`creditkit.policy_files.read_policy_csv` like every policy table; a bad line
raises a :class:`~creditkit.exceptions.ParameterError` naming it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from creditkit.behaviour import (
    BehaviourCard,
    development_sample,
    reconciled_payments,
    shipped_cards,
)
from creditkit.exceptions import ParameterError, SchemaError
from creditkit.policy_files import policy_share, read_policy_csv
from creditkit.scoring.metrics import auc

__all__ = ["CALIBRATION", "RecoveryModel", "fit_recovery_model", "load_recovery_model",
           "recovery_calibration", "refit_recovery_model"]

DATA_DIR = Path(__file__).with_name("data")
CALIBRATION_FILE = DATA_DIR / "worklist_calibration.csv"
_KIND = "recovery calibration"
#: How the shipped calibration is fitted: a generator portfolio (not the cards' own seed) and dates.
CALIBRATION: dict[str, Any] = {
    "portfolio": {"n_customers": 12000, "seed": 2718, "kind": "mixed", "start": "2024-01-01",
                  "end": "2025-12-31"},
    "dates": ["2025-01-31", "2025-02-28", "2025-03-31", "2025-04-30", "2025-05-31",
              "2025-06-30", "2025-07-31", "2025-08-31", "2025-09-30", "2025-10-31"],
}


@dataclass(frozen=True, eq=False)
class RecoveryModel:
    """P(cure within ``card.cure_days``) of a past-due customer: C-card points → observed cure rate.

    Attributes
    ----------
    card : BehaviourCard
        The C card whose points are calibrated.
    points, p_cure : ndarray
        The knots: cure probability at those points, linear in between,
        flat beyond the ends.
    base_rate : float
        The cure rate of the fitting sample (used for a customer the card
        cannot score, e.g. one missing from ``customers``).
    source : str
        Where the knots come from (a file, or ``fit`` and the sample size).
    """

    card: BehaviourCard
    points: np.ndarray
    p_cure: np.ndarray
    base_rate: float
    source: str

    @property
    def version(self) -> str:
        """The card's version and the calibration, as shown in the worklist."""
        return f"{self.card.version}+isotonic"

    def predict_cure(self, features: pd.DataFrame) -> np.ndarray:
        """P(cure) per row of behaviour features (the card's feature columns).

        Examples
        --------
        >>> from creditkit.datasets import make_portfolio
        >>> from creditkit.behaviour import behaviour_features
        >>> m = load_recovery_model()
        >>> book = make_portfolio(200, seed=3, end="2025-06-30")
        >>> f = behaviour_features(book, as_of="2025-06-30")
        >>> p = m.predict_cure(f[f["dpd"] > 0])
        >>> bool(((p >= 0) & (p <= 1)).all())
        True
        """
        pts = np.asarray(self.card.predict_points(features), dtype="float64")
        return np.interp(pts, self.points, self.p_cure)


def _check_sample(sample: object) -> pd.DataFrame:
    if not isinstance(sample, pd.DataFrame):
        raise ParameterError(f"sample must be a DataFrame from development_sample(..., kind='C'); "
                             f"got {type(sample).__name__}")
    need = {"kind", "target", "in_sample"}
    missing = sorted(need - set(sample.columns))
    if missing:
        raise SchemaError(f"sample lacks {missing}; build it with "
                          "creditkit.behaviour.development_sample(tables, dates=..., kind='C')")
    if not (sample["kind"] == "C").all():
        raise ParameterError("sample must be a C (collection) sample: every kind must be 'C'; "
                             "build it with development_sample(..., kind='C')")
    fit = sample[sample["in_sample"].astype(bool)]
    y = fit["target"].astype("int64")
    if len(fit) < 50 or y.nunique() < 2:
        raise ParameterError(f"sample has {len(fit)} rows in sample ({int(y.sum())} not cured); "
                             "a recovery model needs at least 50 with both outcomes: add dates or "
                             "customers")
    return fit


def fit_recovery_model(sample: pd.DataFrame, *, card: BehaviourCard | None = None,
                       source: str = "fit") -> RecoveryModel:
    """Calibrate a C card's points to the observed cure rate of a C development sample.

    Parameters
    ----------
    sample : DataFrame
        :func:`creditkit.behaviour.development_sample` with ``kind="C"``;
        rows with ``in_sample`` are used (target 0 = cured).
    card : BehaviourCard, optional
        A C card; default the shipped one.
    source : str
        Kept in the model (:attr:`RecoveryModel.source`).

    Returns
    -------
    RecoveryModel

    Raises
    ------
    ParameterError, SchemaError
        Not a C sample, too few rows, or ``card`` not a C card.

    Examples
    --------
    >>> from creditkit.datasets import make_portfolio
    >>> from creditkit.behaviour import development_sample
    >>> book = make_portfolio(1500, seed=5, kind="mixed", end="2025-09-30")
    >>> s = development_sample(book, dates=["2025-05-31", "2025-06-30", "2025-07-31"], kind="C")
    >>> m = fit_recovery_model(s)
    >>> bool(np.all(np.diff(m.p_cure) >= 0)), 0 < m.base_rate < 1
    (True, True)
    """
    from sklearn.isotonic import IsotonicRegression

    card = shipped_cards()["C"] if card is None else card
    if not isinstance(card, BehaviourCard) or card.kind != "C":
        raise ParameterError("card must be a C BehaviourCard (kind 'C'); default the shipped one")
    fit = _check_sample(sample)
    pts = np.asarray(card.predict_points(fit), dtype="float64")
    cured = 1 - fit["target"].astype("int64").to_numpy()
    iso = IsotonicRegression(increasing=True, y_min=0.0, y_max=1.0, out_of_bounds="clip")
    iso.fit(pts, cured)
    return RecoveryModel(card=card, points=np.asarray(iso.X_thresholds_, dtype="float64"),
                         p_cure=np.asarray(iso.y_thresholds_, dtype="float64"),
                         base_rate=float(cured.mean()), source=f"{source} (n={len(fit)})")


def recovery_calibration(model: RecoveryModel, sample: pd.DataFrame, *,
                         bands: int = 10) -> tuple[float, pd.DataFrame]:
    """Validation of a recovery model on a C sample: AUC and the calibration table by band.

    Parameters
    ----------
    model : RecoveryModel
    sample : DataFrame
        A C development sample (other customers or dates than the fit's).
    bands : int
        Equal-count bands of the predicted cure probability (deciles by default).

    Returns
    -------
    auc : float
        Of P(cure) against the cure outcome (0.5 = no better than chance).
    table : DataFrame
        ``band`` (1 = lowest predicted), ``count``, ``predicted`` (mean
        P(cure)), ``observed`` (cure rate) and ``difference`` (observed − predicted).

    Examples
    --------
    >>> from creditkit.datasets import make_portfolio
    >>> from creditkit.behaviour import development_sample
    >>> book = make_portfolio(1500, seed=6, kind="mixed", end="2025-09-30")
    >>> s = development_sample(book, dates=["2025-05-31", "2025-06-30", "2025-07-31"], kind="C")
    >>> a, t = recovery_calibration(load_recovery_model(), s, bands=5)
    >>> a > 0.6, t.columns.tolist()
    (True, ['band', 'count', 'predicted', 'observed', 'difference'])
    """
    if not isinstance(model, RecoveryModel):
        raise ParameterError("model must be a RecoveryModel (load_recovery_model() or "
                             "fit_recovery_model(sample))")
    if not isinstance(bands, int) or isinstance(bands, bool) or bands < 2:
        raise ParameterError(f"bands must be an integer >= 2; got {bands!r}")
    fit = _check_sample(sample)
    p = model.predict_cure(fit)
    cured = 1 - fit["target"].astype("int64").to_numpy()
    score = auc(cured, p, higher_is_bad=True)
    rank = pd.Series(p).rank(method="first").to_numpy()
    band = np.minimum((rank - 1) * bands // len(p), bands - 1).astype(int) + 1
    t = pd.DataFrame({"band": band, "p": p, "y": cured}).groupby("band").agg(
        count=("y", "size"), predicted=("p", "mean"), observed=("y", "mean")).reset_index()
    t["difference"] = t["observed"] - t["predicted"]
    return score, t


def _read_knots(path: Path) -> tuple[dict[str, str], pd.DataFrame]:
    """The ``# key: value`` notes and the knots of a calibration file, a bad line named."""
    table = read_policy_csv(path, kind=_KIND, columns=("points", "p_cure"))
    meta = {}
    for note in table.attrs["notes"]:
        key, sep, value = note.partition(":")
        if sep:
            meta[key.strip()] = value.strip()
    where = f"{_KIND} {table.attrs['source']}"
    ps = policy_share(table, "p_cure", kind=where).astype("float64").to_numpy()
    pts = []
    for raw, no in zip(table["points"], table["line"], strict=True):
        try:
            x = float(raw)
        except ValueError:
            x = float("nan")
        if not np.isfinite(x):
            raise ParameterError(f"{where} line {no}: points must be a finite number, got "
                                 f"{raw!r}; fix that line")
        if pts and (x <= pts[-1] or ps[len(pts)] < ps[len(pts) - 1]):
            raise ParameterError(f"{where} line {no}: points must increase and p_cure never "
                                 f"decrease from line {table['line'].iloc[len(pts) - 1]}; "
                                 f"got {raw},{table['p_cure'].iloc[len(pts)]}; fix the order")
        pts.append(x)
    if len(pts) < 2:
        raise ParameterError(f"{where}: at least two knots are needed; got {len(pts)}; refit "
                             "with refit_recovery_model(path)")
    return meta, pd.DataFrame({"points": pts, "p_cure": ps})


def load_recovery_model(path: str | Path | None = None, *,
                        card: BehaviourCard | None = None) -> RecoveryModel:
    """The recovery model from a knots file (default the shipped one).

    Parameters
    ----------
    path : str or Path, optional
        Default ``creditkit/collections/data/worklist_calibration.csv``.
    card : BehaviourCard, optional
        The C card the knots belong to; default the shipped C card. Its
        version must be the file's ``card_version`` note.

    Raises
    ------
    ParameterError
        A bad line (named), or knots fitted for another card.

    Examples
    --------
    >>> m = load_recovery_model()
    >>> m.version, bool(m.p_cure[0] <= m.p_cure[-1])
    ('C-shipped-1+isotonic', True)
    """
    p = CALIBRATION_FILE if path is None else Path(path)
    meta, knots = _read_knots(p)
    card = shipped_cards()["C"] if card is None else card
    if not isinstance(card, BehaviourCard) or card.kind != "C":
        raise ParameterError("card must be a C BehaviourCard (kind 'C'); default the shipped one")
    if meta.get("card_version", card.version) != card.version:
        raise ParameterError(f"{p} was fitted for card {meta['card_version']!r}, not "
                             f"{card.version!r}; refit it with "
                             "refit_recovery_model(path, card=card)")
    try:
        base = float(meta.get("base_rate", "nan"))
    except ValueError:
        base = float("nan")
    if not 0 <= base <= 1:
        raise ParameterError(f"{p}: the note '# base_rate: <number in [0, 1]>' is missing or "
                             "bad; add it (the cure rate of the fitting sample)")
    return RecoveryModel(card=card, points=knots["points"].to_numpy(),
                         p_cure=knots["p_cure"].to_numpy(), base_rate=base, source=str(p))


def refit_recovery_model(path: str | Path | None = None, *, card: BehaviourCard | None = None,
                         n_customers: int | None = None) -> RecoveryModel:
    """Fit the shipped calibration again from :data:`CALIBRATION` and write it to ``path``.

    Parameters
    ----------
    path : str or Path, optional
        Default the package's ``worklist_calibration.csv``.
    card : BehaviourCard, optional
        Default the shipped C card.
    n_customers : int, optional
        Override the portfolio size (for a quick check).

    Returns
    -------
    RecoveryModel

    Examples
    --------
    >>> import tempfile, pathlib
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     m = refit_recovery_model(pathlib.Path(tmp) / "knots.csv", n_customers=1200)
    >>> m.version, bool(0 < m.base_rate < 1)
    ('C-shipped-1+isotonic', True)
    """
    from creditkit.datasets import make_portfolio

    cfg = dict(CALIBRATION["portfolio"])
    if n_customers is not None:
        cfg["n_customers"] = n_customers
    book = reconciled_payments(make_portfolio(cfg.pop("n_customers"), truth=True, **cfg))
    card = shipped_cards()["C"] if card is None else card
    sample = development_sample(book, dates=CALIBRATION["dates"], windows=card.windows,
                                cure_days=card.cure_days, kind="C")
    model = fit_recovery_model(sample, card=card, source="refit")
    out = CALIBRATION_FILE if path is None else Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    head = ["# creditkit recovery calibration: C-card points -> P(cure within the card's "
            "cure_days). Refit with creditkit.collections.refit_recovery_model().",
            "# points strictly increasing; p_cure in [0, 1], never decreasing; linear in between.",
            f"# card_version: {card.version}",
            f"# card_fingerprint: {card.fingerprint}",
            f"# base_rate: {model.base_rate:.6f}",
            f"# fitted_on: make_portfolio({cfg | {'n_customers': len(book['customers'])}}), "
            f"payers reconciled, dates {CALIBRATION['dates'][0]}..{CALIBRATION['dates'][-1]}, "
            f"{model.source}",
            "points,p_cure"]
    body = [f"{x:.6f},{y:.6f}" for x, y in zip(model.points, model.p_cure, strict=True)]
    out.write_text("\n".join(head + body) + "\n", encoding="utf-8")
    return load_recovery_model(out, card=card)
