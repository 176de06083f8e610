"""Headings and explanatory paragraphs of notebooks and reports, in the report's language.

Markdown cells cannot follow a notebook's ``lang`` parameter; cells that call
:func:`heading` and :func:`note` can. The words come from the label table
(:mod:`creditkit.labels`), never from the notebook.
"""

from __future__ import annotations

import html
import re
from typing import Any

from creditkit.checks import check_lang
from creditkit.exceptions import ParameterError
from creditkit.labels import label, prose

__all__ = ["code_block", "heading", "note", "prose_html"]


def heading(key: str, *, lang: str = "zh", level: int = 2) -> Any:
    """A section heading from the label table, for report cells (escaped ``IPython.display.HTML``).

    Parameters
    ----------
    key : str
        A label key (``"channel_mix"``).
    lang : {"zh", "en"}
    level : {1, 2, 3, 4}, default 2
        The HTML heading level.

    Returns
    -------
    IPython.display.HTML

    Raises
    ------
    ParameterError
        For an unknown ``lang`` or ``level``.

    Examples
    --------
    >>> heading("channel_mix", lang="en").data
    '<h2>Payment channel mix</h2>'
    """
    from IPython.display import HTML

    check_lang(lang)
    if level not in (1, 2, 3, 4):
        raise ParameterError(f"level must be 1 to 4, got {level!r}")
    return HTML(f"<h{level}>{html.escape(label(key, lang))}</h{level}>")


# `code`, **strong**, *emphasis*: the Markdown subset of the prose section.
_INLINE = re.compile(r"`([^`]+)`|\*\*([^*]+)\*\*|\*([^*]+)\*")


def _inline_html(para: str) -> str:
    parts, pos = [], 0
    for m in _INLINE.finditer(para):
        parts.append(html.escape(para[pos:m.start()]))
        code, strong, em = m.groups()
        if code is not None:
            parts.append(f"<code>{html.escape(code)}</code>")
        elif strong is not None:
            parts.append(f"<strong>{html.escape(strong)}</strong>")
        else:
            parts.append(f"<em>{html.escape(em)}</em>")
        pos = m.end()
    parts.append(html.escape(para[pos:]))
    return "".join(parts)


def prose_html(text: str) -> str:
    """HTML paragraphs of ``text``: blank lines split paragraphs; `code`, **strong**, *em*.

    Everything else is escaped, so the result is safe whatever the text holds.

    Parameters
    ----------
    text : str

    Returns
    -------
    str
        ``<p class="ck-prose">`` paragraphs.

    Examples
    --------
    >>> prose_html("Use `a<b` *now*.")
    '<p class="ck-prose">Use <code>a&lt;b</code> <em>now</em>.</p>'
    """
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", text) if p.strip()]
    return "".join(f'<p class="ck-prose">{_inline_html(p)}</p>' for p in paragraphs)


def note(key: str, *, lang: str = "zh") -> Any:
    """An explanatory paragraph of a report in ``lang``, from the prose section of the labels.

    The texts live in the label table (zh and en per key, read with
    :func:`creditkit.labels.prose`) and are rendered by :func:`prose_html`
    (escaped; `code`, **strong**, *em* only).

    Parameters
    ----------
    key : str
        A key of the prose section (``"note_scoring_iv"``...).
    lang : {"zh", "en"}
        Language of the paragraph.

    Returns
    -------
    IPython.display.HTML
        Make it the last expression of a cell.

    Raises
    ------
    ParameterError
        If ``key`` is not in the prose section or ``lang`` is unknown.

    Examples
    --------
    >>> note("note_scoring_iv", lang="zh").data[:27]
    '<p class="ck-prose">信息值（IV）'
    """
    from IPython.display import HTML

    return HTML(prose_html(prose(key, lang)))


def code_block(text: str) -> Any:
    """A code listing (SQL, JSON) shown as written, in every report language.

    Code is not report language: its keywords and identifiers are the same for
    every reader, so it is shown verbatim in a ``<pre class="ck-code"><code>``
    block (escaped), which the report-language test leaves out.

    Parameters
    ----------
    text : str
        The listing.

    Returns
    -------
    IPython.display.HTML
        Make it the last expression of a cell.

    Raises
    ------
    ParameterError
        If ``text`` is not a string.

    Examples
    --------
    >>> code_block("SELECT a < 1").data
    '<pre class="ck-code"><code>SELECT a &lt; 1</code></pre>'
    """
    from IPython.display import HTML

    if not isinstance(text, str):
        raise ParameterError(f"code_block needs the listing as str, got {type(text).__name__}")
    return HTML(f'<pre class="ck-code"><code>{html.escape(text)}</code></pre>')
