"""The way back (额度恢复): after instalments paid on time, the level steps down and the limit up.

A restoration policy is a small table the credit manager edits
(``creditkit/restricted/data/restoration_policy.csv`` is the shipped
example): step ``k`` is reached after ``on_time_instalments`` instalments of a
recovery plan paid on time **in a row**, and sets the customer's restriction
``level`` and the ``limit_share`` of their limit before restriction given back.
Steps only ever loosen: more instalments, a level no more severe, a share no
lower than the step before (the loader names the line that breaks this).

:func:`restoration_path` reads a :class:`~creditkit.restricted.PlanTracking`:

- the step reached follows the plan's ``on_time_streak``, so a late or missed
  instalment takes the customer back to the start of the path (连续按期);
- a ``broken`` plan stops the path (step 0, ``restoration_stopped``);
- a ``completed`` plan with nothing overdue reaches the last step: the debt
  is repaid in full;
- the next step says how many more on-time instalments it needs and the due
  date of the instalment that would reach it.

Examples
--------
>>> p = load_restoration_policy()
>>> p[["step", "on_time_instalments", "level"]].values.tolist()
[[1, 3, 'restricted'], [2, 6, 'watch'], [3, 12, 'none']]
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import numpy as np
import pandas as pd

from creditkit.exceptions import ParameterError
from creditkit.policy_files import policy_choice, policy_int, policy_share, read_policy_csv
from creditkit.restricted.plan_tracking import PlanTracking

__all__ = ["RESTORATION_COLUMNS", "RESTORATION_LEVELS", "load_restoration_policy",
           "restoration_path"]

#: Restriction levels, least severe first (the levels of the restricted concept).
RESTORATION_LEVELS = ("none", "watch", "restricted", "stop")
#: The columns of a restoration policy.
RESTORATION_COLUMNS = ("step", "on_time_instalments", "level", "limit_share")
_KIND = "restoration policy"


def load_restoration_policy(source: Any = None) -> pd.DataFrame:
    """Read and check a restoration policy (default: the shipped one).

    Parameters
    ----------
    source : str, path-like, DataFrame or None
        A CSV laid out like the shipped file, a DataFrame, or ``None``.

    Returns
    -------
    DataFrame
        ``step``, ``on_time_instalments`` (int), ``level``, ``limit_share``
        (exact ``Decimal``), ``line``; sorted by step.

    Raises
    ------
    ParameterError
        A bad cell or a step that does not loosen; the message names the line.

    Examples
    --------
    >>> import pandas as pd
    >>> bad = pd.DataFrame({"step": [1, 2], "on_time_instalments": [3, 6],
    ...                     "level": ["watch", "restricted"], "limit_share": [0.5, 0.8]})
    >>> load_restoration_policy(bad)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    creditkit.exceptions.ParameterError: restoration policy line 3: level 'restricted' is more ...
    """
    t = read_policy_csv(source, kind=_KIND, columns=RESTORATION_COLUMNS,
                        shipped=("creditkit.restricted", "data/restoration_policy.csv"))
    out = pd.DataFrame({
        "step": policy_int(t, "step", kind=_KIND, minimum=1),
        "on_time_instalments": policy_int(t, "on_time_instalments", kind=_KIND, minimum=1),
        "level": policy_choice(t, "level", RESTORATION_LEVELS, kind=_KIND),
        "limit_share": policy_share(t, "limit_share", kind=_KIND),
        "line": t["line"].astype("int64"),
    })
    expected = list(range(1, len(out) + 1))
    if out["step"].tolist() != expected:
        raise ParameterError(f"{_KIND} line {int(out['line'].iloc[0])}: steps must be numbered "
                             f"{expected} in order, got {out['step'].tolist()}; renumber them")
    rank = out["level"].map(RESTORATION_LEVELS.index)
    for i in range(1, len(out)):
        at = f"{_KIND} line {int(out['line'].iloc[i])}"
        if out["on_time_instalments"].iloc[i] <= out["on_time_instalments"].iloc[i - 1]:
            raise ParameterError(f"{at}: on_time_instalments must grow from step to step, got "
                                 f"{out['on_time_instalments'].iloc[i]} after "
                                 f"{out['on_time_instalments'].iloc[i - 1]}")
        if rank.iloc[i] > rank.iloc[i - 1]:
            raise ParameterError(f"{at}: level {out['level'].iloc[i]!r} is more severe than "
                                 f"{out['level'].iloc[i - 1]!r} at the step before; a step may "
                                 "only loosen the restriction")
        if out["limit_share"].iloc[i] < out["limit_share"].iloc[i - 1]:
            raise ParameterError(f"{at}: limit_share {out['limit_share'].iloc[i]} is lower than "
                                 f"{out['limit_share'].iloc[i - 1]} at the step before; a step "
                                 "may only give limit back")
    return out


def restoration_path(tracking: PlanTracking, policy: Any = None) -> pd.DataFrame:
    """Per plan: the restoration step reached, its level and limit share, and the next step.

    Parameters
    ----------
    tracking : PlanTracking
        From :func:`~creditkit.restricted.track_plans`.
    policy : DataFrame, str, path-like or None
        A restoration policy (checked by :func:`load_restoration_policy`);
        ``None`` for the shipped one.

    Returns
    -------
    DataFrame
        ``plan_id``, ``customer_id``, ``status``, ``on_time_streak``, ``step``
        (0: none reached), ``level`` and ``limit_share`` of that step (missing
        at step 0: the restriction stays as it is), ``next_step``,
        ``instalments_to_next`` and ``next_step_due`` (the due date of the
        instalment that would reach it), ``restoration`` (``stepping``,
        ``restored``, ``restoration_stopped``).

    Examples
    --------
    >>> import pandas as pd
    >>> from creditkit.restricted import recovery_plans, track_plans
    >>> plans = recovery_plans(pd.DataFrame({"customer_id": ["C1"], "balance_minor": [120000],
    ...                                      "currency": "CNY"}), start="2025-01-05", n=12)
    >>> pay = pd.DataFrame({"customer_id": "C1", "amount_minor": 10000, "currency": "CNY",
    ...                     "paid_date": pd.date_range("2025-02-01", periods=4, freq="MS")})
    >>> r = restoration_path(track_plans(plans, pay, as_of="2025-05-31"))
    >>> r[["on_time_streak", "step", "level", "next_step", "instalments_to_next"]].values.tolist()
    [[4, 1, 'restricted', 2, 2]]
    >>> str(r["next_step_due"].item().date())
    '2025-07-05'
    """
    if not isinstance(tracking, PlanTracking):
        raise ParameterError(f"tracking must be a PlanTracking (from track_plans), got "
                             f"{type(tracking).__name__}")
    pol = policy if _checked(policy) else load_restoration_policy(policy)
    plans = tracking.plans
    need = pol["on_time_instalments"].to_numpy()
    streak = plans["on_time_streak"].to_numpy()
    step = np.searchsorted(need, streak, side="right")
    done = (plans["status"] == "completed").to_numpy() & (plans["overdue_minor"] == 0).to_numpy()
    step = np.where(done, len(pol), step)
    stopped = (plans["status"] == "broken").to_numpy()
    step = np.where(stopped, 0, step)
    out = plans[["plan_id", "customer_id", "status", "on_time_streak"]].copy()
    out["step"] = step.astype("int64")
    at = np.clip(step - 1, 0, None)
    out["level"] = pd.Series(np.where(step > 0, pol["level"].to_numpy()[at], None),
                             dtype=object)
    out["limit_share"] = pd.Series(np.where(step > 0, pol["limit_share"].to_numpy()[at], None),
                                   dtype=object)
    has_next = (step < len(pol)) & ~stopped
    nxt = np.clip(step, 0, len(pol) - 1)
    out["next_step"] = pd.array(np.where(has_next, step + 1, 0), dtype="Int64")
    out.loc[~has_next, "next_step"] = pd.NA
    to_next = need[nxt] - streak
    out["instalments_to_next"] = pd.array(np.where(has_next, to_next, 0), dtype="Int64")
    out.loc[~has_next, "instalments_to_next"] = pd.NA
    out["next_step_due"] = _reaching_due(tracking, out, has_next)
    out["restoration"] = np.select([stopped, ~has_next], ["restoration_stopped", "restored"],
                                   "stepping")
    return out


def _checked(policy: Any) -> bool:
    return isinstance(policy, pd.DataFrame) and set(RESTORATION_COLUMNS) <= set(policy.columns) \
        and "line" in policy.columns and policy["limit_share"].map(
            lambda v: isinstance(v, Decimal)).all()


def _reaching_due(tracking: PlanTracking, out: pd.DataFrame, has_next: np.ndarray) -> pd.Series:
    """The due date of the instalment whose on-time payment would reach the next step."""
    pending = tracking.instalments[tracking.instalments["status"] == "pending"]
    pending = pending.sort_values(["plan_id", "instalment"], kind="stable")
    pending = pending.assign(k=pending.groupby("plan_id").cumcount() + 1)
    want = out.loc[has_next, ["plan_id", "instalments_to_next"]].astype({"instalments_to_next":
                                                                         "int64"})
    hit = want.merge(pending[["plan_id", "k", "due_date"]], left_on=["plan_id",
                     "instalments_to_next"], right_on=["plan_id", "k"], how="left")
    dates = pd.Series(pd.NaT, index=out.index, dtype="datetime64[ns]")
    dates.loc[has_next] = hit["due_date"].to_numpy()
    return dates
