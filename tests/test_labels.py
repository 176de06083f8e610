import pandas as pd
import pytest

from creditkit.exceptions import ParameterError
from creditkit.labels import LABELS, label, relabel
from creditkit.schema import CHANNELS, PAYMENT_KINDS, TABLES


def test_every_canonical_column_and_value_has_both_languages():
    keys = {c for t in TABLES.values() for c in t.names} | set(CHANNELS) | set(PAYMENT_KINDS)
    missing = sorted(k for k in keys if k not in LABELS)
    assert not missing, f"no label for {missing}"
    for key, entry in LABELS.items():
        assert entry["zh"] and entry["en"], key


def test_unknown_lang_rejected():
    with pytest.raises(ParameterError, match="lang must be one of"):
        label("dpd", "fr")


def test_relabel_does_not_mutate():
    df = pd.DataFrame({"channel": ["wechat"]})
    out = relabel(df, "zh", values=["channel"])
    assert out.iloc[0, 0] == "微信支付" and list(out.columns) == ["渠道"]
    assert df.iloc[0, 0] == "wechat"


def test_a_key_lives_in_one_section() -> None:
    """Two sections with one key: the later silently relabels the other's reports."""
    from creditkit.labels import SECTIONS

    owner: dict[str, str] = {}
    twice = []
    for name, section in SECTIONS.items():
        for key in section:
            if key in owner and name != "prose":
                twice.append((key, owner[key], name))
            owner.setdefault(key, name)
    assert not twice, f"keys in two sections (rename one): {twice}"
