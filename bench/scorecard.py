"""Benchmark of the scorecard against optbinning and a Polars scoring reference.

Data: a synthetic application sample with known structure — 30 features
(24 numeric with linear, step, U-shaped and threshold effects, some with 5%
missing values and a -999 special code; 6 categorical with per-level effects),
an outcome drawn from the resulting logit with the intercept set for about 5%
bads. Same data, same stratified 70/30 split (seed 42) for both libraries.

1. **Fit**: binning plus logistic regression plus points scaling,
   ``creditkit.scoring.Scorecard(BinningProcess())`` against optbinning's
   ``Scorecard(BinningProcess(...), LogisticRegression())`` (its default
   solver settings), both timed end to end in this run. Test AUC from points.
   Target (issue #4): creditkit ≤ 1/10 of optbinning's time, test AUC within 0.005.
2. **Scoring**: the fitted creditkit card scores ``--sizes``' second number of
   rows with ``predict_points`` against a Polars reference that applies the
   same points table with ``pl.when/then`` (same bins, same left-to-right
   sum: results must be identical). Target: no slower than Polars.

Peak RSS of the process is printed after each step.

    .venv/bin/python bench/scorecard.py --sizes 50000 200000          # small
    .venv/bin/python bench/scorecard.py --sizes 1000000 10000000       # issue size
    .venv/bin/python bench/scorecard.py --sizes 1000000 10000000 --skip-optbinning
"""

from __future__ import annotations

import argparse
import functools
import gc
import operator
import os
import resource
import time
import warnings

import numpy as np
import pandas as pd
import polars as pl

from creditkit.scoring import BinningProcess, Scorecard, auc, ks, split_sample
from creditkit.scoring.cardspec import NUMERIC

N_NUMERIC = 24
N_CATEGORICAL = 6
SPECIAL = -999.0


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def make_data(n: int, seed: int = 0, *, with_target: bool = True):
    """Features (and outcome, 1 = bad) with known structure; about 5% bads."""
    rng = np.random.default_rng(seed)
    cols: dict[str, np.ndarray | pd.Categorical] = {}
    logit = np.zeros(n)
    for j in range(N_NUMERIC):
        x = rng.normal(size=n) if j % 2 else rng.lognormal(0.0, 0.6, size=n)
        z = (x - x.mean()) / x.std()
        shape = j % 4
        effect = (z if shape == 0 else (z > 0.5).astype(float) if shape == 1
                  else z**2 - 1 if shape == 2 else np.minimum(z, 1.0))
        logit += (0.45 / (1 + j // 6)) * effect * (1 if j % 3 else -1)
        if j % 3 == 0:  # 5% missing values, a little riskier
            miss = rng.random(n) < 0.05
            logit += 0.3 * miss
            x = np.where(miss, np.nan, x)
        if j % 5 == 0:  # 1% special code
            x = np.where(rng.random(n) < 0.01, SPECIAL, x)
        cols[f"num_{j:02d}"] = np.round(x, 3)
    for j in range(N_CATEGORICAL):
        levels = np.array([f"L{k}" for k in range(4 + j)])
        codes = rng.integers(0, len(levels), size=n)
        effects = np.linspace(-0.5, 0.5, len(levels)) * (1 if j % 2 else -1)
        logit += effects[codes]
        cols[f"cat_{j}"] = pd.Categorical.from_codes(codes, categories=levels)
    X = pd.DataFrame(cols)
    if not with_target:
        return X
    lo, hi = -10.0, 0.0  # intercept for a 5% bad rate, by bisection
    for _ in range(40):
        mid = (lo + hi) / 2
        rate = (1 / (1 + np.exp(-(logit + mid)))).mean()
        lo, hi = (mid, hi) if rate < 0.05 else (lo, mid)
    y = (rng.random(n) < 1 / (1 + np.exp(-(logit + lo)))).astype(np.int64)
    return X, pd.Series(y, name="target")


def fit_creditkit(X_train, y_train):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        return Scorecard(BinningProcess(special_values=(SPECIAL,))).fit(X_train, y_train)


def fit_optbinning(X_train, y_train):
    from optbinning import BinningProcess as OBProcess
    from optbinning import Scorecard as OBScorecard
    from sklearn.linear_model import LogisticRegression

    names = list(X_train.columns)
    cats = [c for c in names if c.startswith("cat_")]
    bp = OBProcess(names, categorical_variables=cats, special_codes=[SPECIAL])
    sc = OBScorecard(binning_process=bp, estimator=LogisticRegression(),
                     scaling_method="pdo_odds",
                     scaling_method_params={"pdo": 20, "odds": 50, "scorecard_points": 600})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        sc.fit(X_train.astype({c: "str" for c in cats}), y_train)
    return sc


def polars_expression(card) -> pl.Expr:
    """The card's points table as pl.when/then chains, summed left to right."""
    terms = []
    for v in card.variables_:
        spec, pts = card.bins_[v], card.points_[v]
        col = pl.col(v)
        expr = pl.when(col.is_null()).then(pl.lit(pts[spec.missing_index]))
        for k, group in enumerate(spec.specials):
            values = [float(g) for g in group] if spec.kind == NUMERIC else [str(g) for g in group]
            expr = expr.when(col.is_in(values)).then(pl.lit(pts[spec.n_regular + k]))
        if spec.kind == NUMERIC:
            for i, edge in enumerate(spec.edges):
                expr = expr.when(col < edge).then(pl.lit(pts[i]))
            expr = expr.otherwise(pl.lit(pts[spec.n_regular - 1]))
        else:
            for i, group in enumerate(spec.groups):
                expr = expr.when(col.cast(pl.String).is_in(list(group))).then(pl.lit(pts[i]))
            expr = expr.otherwise(pl.lit(pts[spec.other_index]))
        terms.append(expr)
    return functools.reduce(operator.add, terms).alias("points")


CPU: dict[str, float] = {}  # CPU seconds of the last timed call, by function name


def timed(fn, *args, repeat: int = 1):
    best, out = np.inf, None
    for _ in range(repeat):
        gc.collect()
        t0, c0 = time.perf_counter(), time.process_time()
        out = fn(*args)
        best = min(best, time.perf_counter() - t0)
        CPU[getattr(fn, "__name__", "fn")] = time.process_time() - c0
    return best, out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[1_000_000, 10_000_000],
                    help="rows to fit on, then rows to score (default 1e6 1e7)")
    ap.add_argument("--skip-optbinning", action="store_true")
    ap.add_argument("--repeat", type=int, default=3, help="scoring repetitions (best kept)")
    args = ap.parse_args()
    n_fit = args.sizes[0]
    n_score = args.sizes[1] if len(args.sizes) > 1 else 10 * n_fit

    X, y = make_data(n_fit, seed=0)
    X_train, X_test, y_train, y_test = split_sample(X, y, test_size=0.3, seed=42)
    print(f"fit sample: {n_fit:,} rows x {X.shape[1]} features, bad rate {y.mean():.3%}, "
          f"missing cells {X.isna().to_numpy().mean():.2%}")

    t_ck, card = timed(fit_creditkit, X_train, y_train)
    pts = card.predict_points(X_test)
    auc_ck, ks_ck = auc(y_test, pts), ks(y_test, pts)
    print(f"load average {os.getloadavg()[0]:.1f} after the creditkit fit")
    print(f"creditkit  fit {t_ck:8.2f} s (CPU {CPU['fit_creditkit']:.2f} s)   "
          f"test AUC {auc_ck:.4f}  KS {ks_ck:.4f}   "
          f"variables {len(card.variables_)}   peak RSS {peak_mb():,.0f} MB")
    if not args.skip_optbinning:
        t_ob, sc = timed(fit_optbinning, X_train, y_train)
        cats = [c for c in X_test.columns if c.startswith("cat_")]
        ob_points = sc.score(X_test.astype({c: "str" for c in cats}))
        auc_ob = auc(y_test, ob_points)
        ks_ob = ks(y_test, ob_points)
        print(f"optbinning fit {t_ob:8.2f} s (CPU {CPU['fit_optbinning']:.2f} s)   "
              f"test AUC {auc_ob:.4f}  KS {ks_ob:.4f}"
              f"   peak RSS {peak_mb():,.0f} MB")
        print(f"fit time ratio creditkit/optbinning = {t_ck / t_ob:.4f} wall, "
              f"{CPU['fit_creditkit'] / CPU['fit_optbinning']:.4f} CPU (target <= 0.1); "
              f"load average {os.getloadavg()[0]:.1f} after; "
              f"AUC difference = {auc_ck - auc_ob:+.4f} (target |diff| <= 0.005)")
    del X, X_train, X_test
    gc.collect()

    big = make_data(n_score, seed=1, with_target=False)[card.variables_]
    frame = pl.from_pandas(big, nan_to_null=True)
    expr = polars_expression(card)
    print(f"scoring sample: {n_score:,} rows x {big.shape[1]} variables; peak RSS "
          f"{peak_mb():,.0f} MB")
    t_pl, ref = timed(lambda: frame.select(expr).to_series().to_numpy(), repeat=args.repeat)
    t_sc, mine = timed(card.predict_points, big, repeat=args.repeat)
    same = np.array_equal(mine, ref)
    print(f"creditkit predict_points {t_sc:6.2f} s   polars when/then {t_pl:6.2f} s   "
          f"ratio {t_sc / t_pl:.2f} (target <= 1)   identical points: {same}")
    print(f"peak RSS {peak_mb():,.0f} MB")


if __name__ == "__main__":
    main()
