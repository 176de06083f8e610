"""The shared checks of a table a function reads and of a result passed on to a view."""

from __future__ import annotations

import pandas as pd
import pytest

from creditkit.checks import check_instance, check_table
from creditkit.exceptions import ParameterError, SchemaError


def test_check_table_returns_the_frame_itself_and_allows_other_columns() -> None:
    df = pd.DataFrame({"a": [1], "b": [2], "extra": [3]})
    assert check_table(df, ("a", "b"), name="demo", fix="add them") is df


@pytest.mark.parametrize(("value", "error", "match"), [
    ([1, 2], ParameterError, r"demo must be a DataFrame with columns \['a', 'b'\]; got list; "
                             r"pass the export"),
    (pd.DataFrame({"a": [1], 3: [0]}), SchemaError,
     r"missing column\(s\) \['b'\] in demo; got \['a', '3'\]; pass the export"),
])
def test_check_table_names_what_is_wrong_and_the_fix(value, error, match) -> None:
    with pytest.raises(error, match=match):
        check_table(value, ["a", "b"], name="demo", fix="pass the export")


def test_check_instance_names_the_call_that_makes_one() -> None:
    assert check_instance(3, (int, float), "f", "a number") == 3
    with pytest.raises(ParameterError, match=r"^f needs a number \(n\(\.\.\.\)\); got str$"):
        check_instance("3", (int, float), "f", "a number (n(...))")
