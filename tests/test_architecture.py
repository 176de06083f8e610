"""The package keeps its own rules: private means private, shared checks live once.

- A name with a leading underscore (``_risk``, ``_PROSE``) is used only in its
  own module: no other module imports it.
- A module with a leading underscore (``creditkit/scoring/_logit.py``) is used
  only inside its package (``creditkit.scoring`` and below); tests and
  benchmarks use public modules only.
- The checks of shared inputs (``as_of`` and other dates, ``lang``, the 0/1
  target, the feature matrix) are written once, in :mod:`creditkit.checks`.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "creditkit"


def _module_name(path: Path) -> str:
    rel = path.relative_to(ROOT).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def _package_of(module: str, is_package: bool) -> str:
    return module if is_package else module.rpartition(".")[0]


def _is_module(dotted: str) -> bool:
    base = ROOT.joinpath(*dotted.split("."))
    return base.with_suffix(".py").exists() or (base / "__init__.py").exists()


def _sources(*folders: str) -> list[Path]:
    return sorted(p for f in folders for p in (ROOT / f).rglob("*.py") if ".venv" not in p.parts)


def _private_import_violations(path: Path) -> list[str]:
    inside = PACKAGE in path.parents
    me = _module_name(path) if inside else ""
    my_pkg = _package_of(me, path.name == "__init__.py") if inside else ""
    where = path.relative_to(ROOT)
    found: list[str] = []

    def check_module(dotted: str, line: int) -> None:
        parts = dotted.split(".")
        for i, part in enumerate(parts):
            if part.startswith("_") and not part.startswith("__"):
                owner = ".".join(parts[:i])  # the package the private module belongs to
                if not inside or not (my_pkg == owner or my_pkg.startswith(owner + ".")):
                    found.append(f"{where}:{line} imports private module {dotted}")
                return

    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("creditkit"):
                    check_module(alias.name, node.lineno)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if not node.module.startswith("creditkit"):
                continue
            check_module(node.module, node.lineno)
            for alias in node.names:
                name = alias.name
                if not name.startswith("_") or name.startswith("__"):
                    continue
                if _is_module(f"{node.module}.{name}"):
                    check_module(f"{node.module}.{name}", node.lineno)
                else:
                    found.append(f"{where}:{node.lineno} imports private name {name} "
                                 f"from {node.module}")
    return found


@pytest.mark.parametrize("path", _sources("creditkit", "tests", "bench"),
                         ids=lambda p: str(p.relative_to(ROOT)))
def test_no_private_name_crosses_a_module(path: Path) -> None:
    assert _private_import_violations(path) == []


def test_the_private_import_rule_catches_both_kinds(tmp_path: Path) -> None:
    bad = PACKAGE / "aging" / "zz_probe_private_import.py"
    bad.write_text("from creditkit.labels._prose import _PROSE\n"
                   "from creditkit.scoring._logit import fit_logit\n", encoding="utf-8")
    try:
        found = _private_import_violations(bad)
    finally:
        bad.unlink()
    assert len(found) == 3  # a private name, a foreign private module twice
    assert any("private name _PROSE" in f for f in found)
    assert any("private module creditkit.scoring._logit" in f for f in found)


# --- shared checks are written once ---------------------------------------------------------
# (pattern, what it is): each is the tell-tale of a check that belongs to creditkit.checks.
REWRITTEN_CHECKS = [
    (r"\bin\s+LANGS\b", "a lang check (use creditkit.checks.check_lang)"),
    (r"Timestamp\(\s*as_of\b", "an as_of parse (use creditkit.checks.check_as_of)"),
    (r"\bdef\s+_?(to_day|as_of|check_as_of|check_date)\b",
     "a date check (use creditkit.checks.check_date / date_to_day)"),
    (r"\bdef\s+_?(check_lang)\b", "a lang check (use creditkit.checks.check_lang)"),
    (r"\bdef\s+_?(check_target|check_y|check_xy|check_y_score)\b",
     "a target check (use creditkit.checks.check_target)"),
    (r"\bdef\s+_?as_frame\b", "a feature-matrix check (use creditkit.checks.check_frame)"),
    (r"isin\([^)\n]*\(\s*0(\.0)?\s*,\s*1(\.0)?\s*\)", "a 0/1 target test (use check_target)"),
    (r"==\s*0\.0\)\s*\|\s*\([^)\n]*==\s*1\.0", "a 0/1 target test (use check_target)"),
]


def _rewritten_checks(text: str) -> list[str]:
    return [what for pattern, what in REWRITTEN_CHECKS if re.search(pattern, text)]


@pytest.mark.parametrize("path", [p for p in _sources("creditkit") if p.name != "checks.py"],
                         ids=lambda p: str(p.relative_to(ROOT)))
def test_shared_checks_are_not_written_again(path: Path) -> None:
    assert _rewritten_checks(path.read_text(encoding="utf-8")) == []


@pytest.mark.parametrize("snippet", [
    "if lang not in LANGS:\n    raise ValueError(lang)\n",
    "ts = pd.Timestamp(as_of).normalize()\n",
    "def _check_y_score(y, score):\n    pass\n",
    "ok = np.isin(y, (0, 1)).all()\n",
    "def _as_frame(X):\n    return X\n",
])
def test_the_rewritten_check_rule_catches(snippet: str) -> None:
    assert _rewritten_checks(snippet)
