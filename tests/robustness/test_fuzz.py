"""Fuzzing: the Obsidian extensions and the index never raise; the engine gives finite numbers or its own errors."""

from __future__ import annotations

import json
import math
import re

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from markdown.inlinepatterns import BACKTICK_RE

from atlas_mkdocs.figures.inline import FigureInlineProcessor
from atlas_mkdocs.obsidian.sanitize import clean_html
from atlas_mkdocs.obsidian.scan import _TAG_CHAR, TAG, scan_note
from atlas_mkdocs.obsidian.wikilinks import WIKILINK_RE
from atlas_mkdocs.obsidian.vault import VaultIndex, resolve
from atlas_mkdocs.engine.errors import EngineError
from atlas_mkdocs.engine.models import CALCULATIONS, calculate
from atlas_mkdocs.engine.widgets import WIDGETS, run_widget, run_widget_json
from tests.engine.examples import EXAMPLES
from tests.extensions.conftest import make_session, render

#: Characters that open or close Obsidian and Markdown syntax, weighted in beside any character at all.
SYNTAX = list("[]!#=%>^|`*_-~\n \t\\/:.()<>\"'{}$&;") + ["[[", "]]", "![[", "==", "%%", "> [!note]", "#tag",
                                                       "```", "---\n", "^id", "<script>", "javascript:"]
markdown_text = st.lists(st.sampled_from(SYNTAX) | st.text(max_size=5), max_size=80).map("".join)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=markdown_text)
def test_extensions_never_raise(text):
    """Any text renders through the site's extensions and ours, over the golden vault (links, embeds, cycles)."""
    session = make_session(broken_links="ignore")
    assert isinstance(render(text, session), str)


@settings(max_examples=150, deadline=None)
@given(text=markdown_text, link=markdown_text)
def test_index_and_resolution_never_raise(text, link):
    """Any note text is scanned and indexed; any link text resolves (or not) without raising."""
    scan_note(text)
    index = VaultIndex.from_sources({"a.md": text, "Folder/b.md": link, "c.png": None})
    resolve(index, "a.md", link)
    resolve(index, None, text)


@settings(max_examples=150, deadline=None)
@given(text=markdown_text)
@example(text="<![[")  # Python's HTML parser asserted on it, and the assertion ended the build
@example(text="a <![[ b <script>x</script>")
def test_cleaned_html_has_no_handlers_or_scripts(text):
    """Whatever raw HTML goes in, what comes out has no script tag, no on* attribute and no javascript: URL."""
    cleaned, _ = clean_html(text)
    lowered = cleaned.lower()
    assert "<script" not in lowered
    assert "javascript:" not in lowered or "href=\"javascript:" not in lowered
    import re
    assert not re.search(r"<[a-z][^>]*\son[a-z]+=", lowered)


@settings(max_examples=150, deadline=None)
@given(text=markdown_text)
def test_a_cleaned_inline_tag_has_no_handlers_or_scripts(text):
    """Whatever one inline tag holds, what comes back has no script tag, on* attribute or script URL."""
    from atlas_mkdocs.obsidian.sanitize import clean_tag

    lowered = clean_tag("<a " + text + ">")[0].lower()
    assert "<script" not in lowered and "href=\"javascript:" not in lowered
    assert not re.search(r"<[a-z][^>]*\son[a-z]+=", lowered)


def _values():
    """Give back any kind of value a reader or a file may give: numbers of every sign and size a price,
    volume or throughput can have, NaN and infinities, strings, flags and nothing. Float extremes are
    swept deterministically below."""
    return st.one_of(
        st.floats(min_value=-1e12, max_value=1e12) | st.sampled_from([float("nan"), float("inf"), -float("inf")]),
        st.integers(min_value=-10**12, max_value=10**12),
        st.sampled_from(["", "1e309", "-0", "nan", "lots", "1_000", " 7 ", "0x10"]),
        st.booleans(),
        st.none(),
    )


@pytest.mark.parametrize("model", sorted(CALCULATIONS))
@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_engine_gives_finite_numbers_or_its_own_errors(model, data):
    """calculate() with random overrides of a valid example: finite outputs, or an EngineError, nothing else."""
    calc = CALCULATIONS[model]
    values = dict(EXAMPLES.get(model, {}))
    names = [param.name for param in calc.params]
    for name in data.draw(st.lists(st.sampled_from(names), max_size=4, unique=True)):
        values[name] = data.draw(_values())
    try:
        outputs = calculate(model, values)
    except EngineError:
        return
    for name, value in outputs.items():
        if isinstance(value, float):
            assert math.isfinite(value), (model, name, value, values)


@pytest.mark.parametrize("widget", sorted(WIDGETS))
@settings(max_examples=80, deadline=None)
@given(data=st.data())
def test_widgets_answer_with_finite_results_or_a_message(widget, data):
    """run_widget never raises: finite results, or a message naming a field of the form (or none)."""
    spec = WIDGETS[widget]
    names = [field.name for field in spec.inputs]
    values = {name: data.draw(_values() | st.text(max_size=8)) for name in
              data.draw(st.lists(st.sampled_from(names), max_size=len(names), unique=True))}
    result = run_widget(widget, values)
    if result["ok"]:
        for name, value in result["values"].items():
            assert not isinstance(value, float) or math.isfinite(value), (widget, name, value, values)
    else:
        assert isinstance(result["message"], str) and result["message"]
        assert result["field"] is None or result["field"] in names
    json_values = {name: value for name, value in values.items()
                   if not (isinstance(value, float) and not math.isfinite(value))}
    answer = json.loads(run_widget_json(widget, json.dumps(json_values)))
    assert answer["ok"] in (True, False)



#: Finite values at the edge of the float range: accepted as inputs, they overflow inside the models.
EXTREMES = (1e300, 6.8e301, 1.7e308, 1e-300, 2.2e-309)


def test_extreme_finite_inputs_give_finite_outputs_or_engine_errors():
    """Each number input of each model set to a float extreme: finite outputs or an EngineError."""
    failures = []
    for model, calc in sorted(CALCULATIONS.items()):
        for param in calc.params:
            if param.kind not in ("number", "whole"):
                continue
            for value in EXTREMES:
                values = {**EXAMPLES.get(model, {}), param.name: value}
                try:
                    outputs = calculate(model, values)
                except EngineError:
                    continue
                except Exception as error:  # noqa: BLE001 - any other error is what this test finds
                    failures.append(f"{model} {param.name}={value}: {type(error).__name__}")
                    continue
                infinite = [k for k, v in outputs.items() if isinstance(v, float) and not math.isfinite(v)]
                if infinite:
                    failures.append(f"{model} {param.name}={value}: {', '.join(infinite)} not finite")
    assert failures == []



#: The inline patterns as first written, lookbehind first. The shipped ones open with a literal or a
#: lookahead, so the regex engine can skip ahead, and must match exactly where these did.
LOOKBEHIND_FIRST = {
    "tag": (rf"(?:(?<=\s)|(?<=^))#({_TAG_CHAR}+)", TAG),  # the tag's characters as Obsidian's (emoji too)
    "wikilink": (r"(?<!!)\[\[([^\[\]\n]+?)\]\]", re.compile(WIKILINK_RE, re.DOTALL | re.UNICODE)),
    # The figure processor sees code spans exactly as Python-Markdown's backtick processor does.
    "code span": (BACKTICK_RE, FigureInlineProcessor(None, lambda: None).compiled_re),
}


@settings(max_examples=400, deadline=None)
@given(text=markdown_text, start=st.integers(min_value=0, max_value=40))
@example(text="#a ![[b]] [[c]] d#e\t#f/g \\`h` \\\\`i` `j`", start=0)
@example(text="![[b]] [[c]]", start=1)
@pytest.mark.parametrize("name", sorted(LOOKBEHIND_FIRST))
def test_fast_inline_patterns_match_where_the_written_ones_did(name, text, start):
    """Same matches, spans and groups, from any start position (Python-Markdown resumes mid-text)."""
    written, shipped = LOOKBEHIND_FIRST[name]
    written = re.compile(written, re.DOTALL | re.UNICODE)
    found = [(m.span(), m.groups()) for m in shipped.finditer(text, start)]
    assert found == [(m.span(), m.groups()) for m in written.finditer(text, start)]
