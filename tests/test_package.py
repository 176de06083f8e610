import importlib
import subprocess
import sys

import pytest

import creditkit


@pytest.mark.parametrize("name", creditkit.__all__)
def test_every_public_name_resolves(name):
    assert getattr(creditkit, name) is not None


def test_lazy_names_come_from_their_owning_module():
    for name, module in creditkit._LAZY.items():
        assert getattr(creditkit, name) is getattr(importlib.import_module(module), name)


def test_unknown_attribute_is_an_attribute_error():
    with pytest.raises(AttributeError, match="has no attribute 'nope'"):
        creditkit.nope  # noqa: B018


def test_import_does_not_pull_heavy_dependencies():
    code = ("import sys, creditkit; "
            "print(','.join(m for m in ('sklearn', 'papermill', 'duckdb') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""
