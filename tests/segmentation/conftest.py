"""Customer features of the small portfolio at two dates, built once per session."""

from __future__ import annotations

import pandas as pd
import pytest

#: The two dates of the migration tests (the small portfolio ends on the second).
FIRST, SECOND = "2025-03-31", "2025-06-30"


@pytest.fixture(scope="session")
def features_two_dates(small_portfolio) -> dict[str, pd.DataFrame]:
    from creditkit.segmentation import customer_features

    return {d: customer_features(small_portfolio, as_of=d) for d in (FIRST, SECOND)}
