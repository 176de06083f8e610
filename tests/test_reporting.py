"""Tests of creditkit.reporting: running notebooks, the HTML export, escaping, failures."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import nbformat
import pandas as pd
import pytest

from creditkit.exceptions import DataReadError, ParameterError, ReportError
from creditkit.labels import SECTIONS, prose
from creditkit.reporting import (
    data_fingerprint,
    heading,
    note,
    notebook_parameters,
    prose_html,
    run_all,
    run_notebook,
    table_html,
    write_index,
)

PAYLOAD = '<script>alert("x")</script>'


def _nb(path: Path, *cells: nbformat.NotebookNode) -> Path:
    nb = nbformat.v4.new_notebook(cells=list(cells))
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    nbformat.write(nb, path)
    return path


def _params(src: str) -> nbformat.NotebookNode:
    return nbformat.v4.new_code_cell(src, metadata={"tags": ["parameters"]})


def _code(src: str, *tags: str) -> nbformat.NotebookNode:
    return nbformat.v4.new_code_cell(src, metadata={"tags": list(tags)} if tags else {})


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """One small notebook with a hidden cell, a figure, a table and a failing-free run."""
    d = tmp_path_factory.mktemp("nb")
    (d / "marker.txt").write_text("cwd-ok", encoding="utf-8")
    nb = _nb(
        d / "10-sample.ipynb",
        nbformat.v4.new_markdown_cell("# Sample report"),
        _code("from creditkit.reporting import setup_notebook, show_table\n"
              "import pandas as pd\nimport plotly.express as px\nsetup_notebook()"),
        _params('lang: str = "zh"\nas_of: str = "2025-06-30"\nseed: int = 1\n'
                'store_path: str = "store.duckdb"'),
        _code("SECRET_SOURCE_TEXT = 1\nprint(open('marker.txt').read(), lang, seed)"),
        _code("print('HIDDEN-CELL-OUTPUT')", "report-hide"),
        _code(f"show_table(pd.DataFrame({{'name': [{PAYLOAD!r}], 'count': [3]}}), lang=lang)"),
        _code("import warnings; warnings.warn('NOISY-WARNING')"),
        _code("px.bar(x=['a', 'b'], y=[1, 2])"),
    )
    out = run_notebook(nb, {"lang": "en", "seed": 5}, d / "out", timeout=120)
    return nb, out


def test_report_hides_code_and_tagged_cells(report: tuple[Path, Path]) -> None:
    _, out = report
    page = out.read_text(encoding="utf-8")
    assert "cwd-ok en 5" in page  # parameters injected, cwd = notebook folder
    assert "SECRET_SOURCE_TEXT" not in page
    assert "HIDDEN-CELL-OUTPUT" not in page
    assert "NOISY-WARNING" not in page
    code_cells = re.findall(r'<div class="(jp-Cell jp-CodeCell[^"]*)"', page)
    assert code_cells and all("jp-mod-noInput" in c for c in code_cells)


def test_report_is_offline_with_plotly_inline_once(report: tuple[Path, Path]) -> None:
    page = report[1].read_text(encoding="utf-8")
    assert page.count("plotly.js v") >= 1
    assert len(page) > 1_000_000  # plotly.js itself is inline
    assert re.findall(r'<script[^>]+src="http', page) == []
    assert "require.min.js" not in page and "mathjax/" not in page.lower()


def test_report_manifest(report: tuple[Path, Path]) -> None:
    nb, out = report
    page = out.read_text(encoding="utf-8")
    assert page.index('id="creditkit-manifest"') < page.index("Sample report")
    blob = re.search(r'id="creditkit-manifest-json"[^>]*>(.*?)</script>', page).group(1)
    manifest = json.loads(blob)
    assert manifest["notebook"] == nb.name
    assert manifest["parameters"]["lang"] == "en" and manifest["parameters"]["seed"] == 5
    assert manifest["as_of"] == "2025-06-30"
    assert manifest["data_fingerprint"] is None  # no store file next to the notebook
    assert manifest["creditkit_version"]
    assert "Report manifest" in page  # labels in the report's lang


def test_report_escapes_data(report: tuple[Path, Path]) -> None:
    page = report[1].read_text(encoding="utf-8")
    assert PAYLOAD not in page and "<script>alert" not in page
    assert "&lt;script&gt;alert(" in page


def test_executed_notebook_discarded_unless_kept(report: tuple[Path, Path]) -> None:
    out = report[1]
    assert not (out.parent / "10-sample.executed.ipynb").exists()
    assert not (out.parent / "10-sample.failed.ipynb").exists()


def test_failure_names_notebook_cell_and_line(tmp_path: Path) -> None:
    nb = _nb(tmp_path / "bad.ipynb", _params("n: int = 0"),
             _code("x = 1\ny = 1 / n\nz = 2"))
    with pytest.raises(ReportError, match=r"bad\.ipynb failed in cell \[2\].*"
                       r"ZeroDivisionError.*failing line: ----> 2 y = 1 / n") as info:
        run_notebook(nb, {}, tmp_path / "out", timeout=60)
    partial = tmp_path / "out" / "bad.failed.ipynb"
    assert partial.exists() and str(partial) in str(info.value)
    assert not (tmp_path / "out" / "bad.html").exists()


def test_timeout_fails_clearly(tmp_path: Path) -> None:
    nb = _nb(tmp_path / "slow.ipynb", _code("print('BEFORE-THE-SLOW-CELL')"),
             _code("import time; time.sleep(30)"))
    with pytest.raises(ReportError, match=r"slow\.ipynb failed.*(Timeout|timed out)"):
        run_notebook(nb, {}, tmp_path / "out", timeout=2)
    # the notebook is saved once at the end, not after every cell: a timeout still keeps it
    partial = tmp_path / "out" / "slow.failed.ipynb"
    assert "BEFORE-THE-SLOW-CELL" in partial.read_text(encoding="utf-8")


def test_unknown_parameter_and_bad_inputs(tmp_path: Path) -> None:
    nb = _nb(tmp_path / "p.ipynb", _params('lang: str = "zh"'))
    with pytest.raises(ParameterError, match=r"unknown parameter\(s\) \['langg'\].*\['lang'\]"):
        run_notebook(nb, {"langg": "en"}, tmp_path)
    with pytest.raises(ParameterError, match="timeout must be a positive"):
        run_notebook(nb, {}, tmp_path, timeout=0)
    with pytest.raises(DataReadError, match="does not exist"):
        run_notebook(tmp_path / "missing.ipynb", {}, tmp_path)
    with pytest.raises(ParameterError, match=r"expected a notebook \(\.ipynb\)"):
        run_notebook(tmp_path / "x.py", {}, tmp_path)


def test_notebook_parameters_literals_only(tmp_path: Path) -> None:
    ok = _nb(tmp_path / "ok.ipynb", _params('a: str = "x"\nb = [1, 2]\n# comment'))
    assert notebook_parameters(ok) == {"a": "x", "b": [1, 2]}
    bad = _nb(tmp_path / "bad.ipynb", _params("a: int = 1 + len('x')"))
    with pytest.raises(ParameterError, match=r"'a' of bad\.ipynb is not a literal"):
        notebook_parameters(bad)
    broken = _nb(tmp_path / "broken.ipynb", _params("a = ("))
    with pytest.raises(ParameterError, match="not valid Python"):
        notebook_parameters(broken)
    assert notebook_parameters(_nb(tmp_path / "none.ipynb", _code("1"))) == {}


def test_path_parameters_resolved_from_caller_cwd(tmp_path: Path, monkeypatch) -> None:
    (tmp_path / "nbs").mkdir()
    nb = _nb(tmp_path / "nbs" / "p.ipynb", _params('store_path: str = "x.duckdb"'),
             _code("print('STORE=' + store_path)"))
    monkeypatch.chdir(tmp_path)
    page = run_notebook(nb, {"store_path": "data/s.duckdb"}, "out", timeout=60,
                        keep_ipynb=True).read_text()
    assert f"STORE={tmp_path / 'data' / 's.duckdb'}" in page
    kept = nbformat.read(tmp_path / "out" / "p.executed.ipynb", as_version=4)  # on request
    assert kept.metadata["creditkit"]["manifest"]["notebook"] == "p.ipynb"


def test_manifest_shows_paths_relative_to_the_project(tmp_path: Path) -> None:
    # A report is read on another machine: no absolute path of this one in its manifest.
    project = tmp_path / "proj"
    (project / "notebooks").mkdir(parents=True)
    (project / "pyproject.toml").write_text("[project]\nname = 'x'\n", encoding="utf-8")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    nb = _nb(project / "notebooks" / "p.ipynb",
             _params('store_path: str = "../datasets/s.duckdb"\n'
                     'export_path: str = "x.csv"\nlang: str = "en"'),
             _code("print('ran')"))
    page = run_notebook(nb, {"export_path": str(elsewhere / "out.csv")}, tmp_path / "out",
                        timeout=60, keep_ipynb=True).read_text(encoding="utf-8")
    blob = re.search(r'id="creditkit-manifest-json"[^>]*>(.*?)</script>', page).group(1)
    params = json.loads(blob)["parameters"]
    assert params["store_path"] == "datasets/s.duckdb"  # inside the project: relative to it
    assert params["export_path"] == "out.csv"  # outside it: the file name only
    manifest = page[page.index('id="creditkit-manifest"'):page.index("</section>")]
    assert str(tmp_path) not in manifest
    kept = nbformat.read(tmp_path / "out" / "p.executed.ipynb", as_version=4)
    assert str(tmp_path) not in json.dumps(kept.metadata["creditkit"])


def test_fingerprint_changes_with_data(tmp_path: Path) -> None:
    import duckdb

    p = tmp_path / "s.duckdb"
    with duckdb.connect(str(p)) as con:
        con.execute("create table bills as select 1 as a, 'x' as b")
    first = data_fingerprint(p)
    assert first == data_fingerprint(p) and len(first) >= 8
    with duckdb.connect(str(p)) as con:
        con.execute("insert into bills values (2, 'y')")
    assert data_fingerprint(p) != first


def test_fingerprint_of_a_store_another_kernel_writes_says_so(small_store: Path,
                                                              hold_for_writing) -> None:
    from creditkit.exceptions import StoreLockedError

    pid = hold_for_writing(small_store)
    with pytest.raises(StoreLockedError, match=rf"{small_store.name}.*process {pid}.*close"):
        data_fingerprint(small_store)


def test_table_html_escapes_labels_and_limits() -> None:
    df = pd.DataFrame({"name": [PAYLOAD, "张三"], "channel": ["alipay", "<i>"],
                       "share": [0.25, 0.75]})
    before = df.copy()
    t = table_html(df, lang="zh", values=["channel"], max_rows=1)
    pd.testing.assert_frame_equal(df, before)  # input not mutated
    assert "<script>" not in t and "&lt;script&gt;" in t
    assert "<th>客户名称</th>" in t and "支付宝" in t and "25.0%" in t
    assert "张三" not in t and "另有 1 行未显示" in t
    assert "&lt;i&gt;" in table_html(df, lang="en", values=["channel"])


@pytest.mark.parametrize(("kwargs", "match"), [
    ({"lang": "fr"}, "lang must be one of"),
    ({"max_rows": 0}, "max_rows must be a positive int"),
])
def test_table_html_rejects_bad_options(kwargs: dict, match: str) -> None:
    with pytest.raises(ParameterError, match=match):
        table_html(pd.DataFrame({"a": [1]}), **kwargs)
    with pytest.raises(ParameterError, match="needs a DataFrame"):
        table_html([1, 2])  # type: ignore[arg-type]


def test_run_all_writes_escaped_index_and_reports_failures(tmp_path: Path) -> None:
    d = tmp_path / "nbs"
    d.mkdir()
    _nb(d / "00-ok.ipynb", nbformat.v4.new_markdown_cell("intro\n## Fine <report>"),
        _params('lang: str = "zh"'), _code("print('OK', lang)"))
    _nb(d / "01-<b>.ipynb", _code("print('also ok')"))
    _nb(d / "02-bad.ipynb", _code("raise ValueError('boom')"))
    with pytest.raises(ReportError, match=r"(?s)1 of 3 notebook\(s\) failed.*02-bad.ipynb.*boom"):
        run_all(d, tmp_path / "out", {"lang": "en", "unused": 1}, timeout=60, jobs=1)
    index = (tmp_path / "out" / "index.html").read_text(encoding="utf-8")
    assert 'href="00-ok.html">Fine &lt;report&gt; (00-ok.ipynb)</a>' in index
    assert "01-&lt;b&gt;.ipynb" in index
    assert 'href="01-%3Cb%3E.html"' in index
    assert "failed" in index and "boom" in index
    assert "OK en" in (tmp_path / "out" / "00-ok.html").read_text(encoding="utf-8")
    with pytest.raises(DataReadError, match="no notebooks"):
        run_all(tmp_path / "nbs" / "none", tmp_path / "o2")
    with pytest.raises(ParameterError, match="lang must be one of"):
        write_index(tmp_path, [], lang="de")


def test_run_all_in_parallel_keeps_the_order_and_each_failure(tmp_path: Path) -> None:
    d = tmp_path / "nbs"
    d.mkdir()
    # the first notebook is the slowest: it finishes last, yet stays first everywhere
    _nb(d / "00-slow.ipynb", nbformat.v4.new_markdown_cell("# Slow one"),
        _code("import os, time; time.sleep(3)\nprint('THREADS', os.getenv('OMP_NUM_THREADS'))"))
    _nb(d / "01-bad.ipynb", _code("raise KeyError('first-failure')"))
    _nb(d / "02-fast.ipynb", nbformat.v4.new_markdown_cell("# Fast one"), _code("print('fast')"))
    _nb(d / "03-bad.ipynb", _code("raise ValueError('second-failure')"))
    out = tmp_path / "out"
    with pytest.raises(ReportError, match=r"(?s)2 of 4 notebook\(s\) failed"
                       r".*01-bad.ipynb.*first-failure.*03-bad.ipynb.*second-failure"):
        run_all(d, out, {"lang": "en"}, timeout=60, jobs=2)
    index = (out / "index.html").read_text(encoding="utf-8")
    order = [index.index(name) for name in ("00-slow", "01-bad", "02-fast", "03-bad")]
    assert order == sorted(order)
    assert (out / "01-bad.failed.ipynb").exists() and (out / "03-bad.failed.ipynb").exists()
    slow = (out / "00-slow.html").read_text(encoding="utf-8")
    # each of the two kernels gets its share of the cores for its native thread pools
    expected = os.environ.get("OMP_NUM_THREADS") or str(max(1, (os.cpu_count() or 1) // 2))
    assert f"THREADS {expected}" in slow
    ok = tmp_path / "ok"
    ok.mkdir()
    for name in ("00-slow.ipynb", "02-fast.ipynb"):
        (ok / name).write_bytes((d / name).read_bytes())
    assert [p.name for p in run_all(ok, tmp_path / "out3", {}, timeout=60, jobs=2)] == \
        ["00-slow.html", "02-fast.html", "index.html"]
    with pytest.raises(ParameterError, match="jobs must be a positive number"):
        run_all(ok, tmp_path / "out4", jobs=0)


def test_heading_is_labelled_and_checked() -> None:
    assert heading("portfolio_size", lang="zh", level=3).data == "<h3>组合规模</h3>"
    assert heading("<b>", lang="en").data == "<h2>&lt;b&gt;</h2>"  # unknown keys are escaped
    with pytest.raises(ParameterError, match="lang must be one of"):
        heading("x", lang="jp")
    with pytest.raises(ParameterError, match="level must be 1 to 4"):
        heading("x", level=7)


NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"
_NOTE_CALL = re.compile(r"""\bnote\(\s*["']([^"']+)["']""")


def test_note_renders_the_paragraph_in_each_language() -> None:
    zh = note("note_scoring_iv", lang="zh").data
    en = note("note_scoring_iv", lang="en").data
    assert zh.startswith('<p class="ck-prose">') and zh.endswith("</p>")
    assert "信息值" in zh and "Information" not in zh
    assert "Information value (IV)" in en and "信息值" not in en
    assert "<em>Missing</em>" in note("note_scoring_points", lang="en").data
    assert "<em>缺失</em>" in note("note_scoring_points", lang="zh").data


def test_note_rejects_unknown_key_and_lang() -> None:
    with pytest.raises(ParameterError, match=r"no report note 'note_scoring_ivv'.*note_scoring_iv"):
        note("note_scoring_ivv", lang="en")
    with pytest.raises(ParameterError, match=r"add it to creditkit/labels/_prose\.py"):
        note("dpd", lang="zh")  # a column label is not a paragraph
    with pytest.raises(ParameterError, match=r"no report note 'dpd'"):
        prose("dpd", "en")
    with pytest.raises(ParameterError, match="lang must be one of"):
        note("note_scoring_iv", lang="fr")


def test_prose_html_escapes_all_but_its_markup() -> None:
    out = prose_html(f"a `x<y` **b** *c*\n\n{PAYLOAD} & d")
    assert out == ('<p class="ck-prose">a <code>x&lt;y</code> <strong>b</strong> <em>c</em></p>'
                   '<p class="ck-prose">&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; '
                   "&amp; d</p>")


def test_every_note_in_the_notebooks_exists_in_both_languages() -> None:
    used = set()
    for path in sorted(NOTEBOOKS.glob("*.ipynb")):
        doc = nbformat.read(path, as_version=4)
        for cell in doc.cells:
            if cell.cell_type == "code":
                used |= {(path.name, k) for k in _NOTE_CALL.findall(cell.source)}
    assert used, "no note(...) call found in notebooks/"
    missing = sorted((nb, k) for nb, k in used if k not in SECTIONS["prose"])
    assert not missing, f"note keys not in creditkit/labels/_prose.py: {missing}"
    for _, key in used:
        zh, en = prose(key, "zh"), prose(key, "en")
        assert re.search(r"[\u4e00-\u9fff]", zh), f"{key}: zh text has no Chinese"
        assert en.strip() and not re.search(r"[\u4e00-\u9fff]", en), f"{key}: en text"


def test_notebook_prose_follows_lang() -> None:
    # After the bilingual title, English-only markdown would reach a zh report: explanatory
    # text goes through note(...); markdown is left only in report-hide cells.
    for path in sorted(NOTEBOOKS.glob("*.ipynb")):
        cells = nbformat.read(path, as_version=4).cells
        assert cells[0].cell_type == "markdown"
        stray = [c.get("id") for c in cells[1:] if c.cell_type == "markdown"
                 and "report-hide" not in c.metadata.get("tags", [])]
        assert not stray, f"{path.name}: markdown cells {stray} would show in reports"


def test_out_dir_may_be_the_notebook_folder(tmp_path: Path) -> None:
    nb = _nb(tmp_path / "same.ipynb", _code("print('ran')"))
    source = nb.read_text(encoding="utf-8")
    run_notebook(nb, {}, tmp_path, timeout=60, keep_ipynb=True)
    assert nb.read_text(encoding="utf-8") == source  # the notebook itself is untouched
    assert (tmp_path / "same.html").exists() and (tmp_path / "same.executed.ipynb").exists()
