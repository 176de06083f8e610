"""Every behaviour column and reason a report shows has a zh and an en label; the refit command."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

import creditkit
from creditkit.behaviour import REASONS, feature_names
from creditkit.labels import label


@pytest.mark.parametrize("key", [*feature_names((3, 6, 12)), *feature_names((1, 24)), *REASONS,
                                 "perf_dpd", "in_sample", "model_version", "latent_risk"])
def test_labelled_in_both_languages(key):
    zh, en = label(key, "zh"), label(key, "en")
    assert zh != key and en != key
    assert zh != en


def test_the_refit_command_explains_itself_without_refit():
    root = str(Path(creditkit.__file__).resolve().parents[1])
    env = {**os.environ, "PYTHONPATH": root}
    run = subprocess.run([sys.executable, "-m", "creditkit.behaviour.cards"], env=env,
                         capture_output=True, text=True, timeout=120, check=False)
    assert run.returncode == 2 and "--refit" in run.stdout
