"""Solution markers: finding regions, stubbing them, and refusing bad markers."""

from __future__ import annotations

import textwrap

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cs231n_lin.checks.cells import ANSWER_HERE, is_check_cell, is_solution_cell
from cs231n_lin.grading.release.markers import (
    MarkerError,
    code_regions,
    solution_lines,
    strip_markdown,
    strip_py,
)

B, E = "# BEGIN SOLUTION", "# END SOLUTION"


def src(text: str) -> str:
    return textwrap.dedent(text).lstrip("\n")


def run_stub(code: str, call: str):
    namespace: dict = {}
    exec(compile(code, "<released>", "exec"), namespace)
    return eval(call, namespace)


def test_stub_replaces_region_keeps_markers_hint_and_indentation():
    text = src(f"""
        def f(x):
            y = x + 1
            {B}
            # HINT: return y squared
            z = y * y
            return z
            {E}
        """)
    out = strip_py(text, "pkg/mod.py")
    assert out == src(f"""
        def f(x):
            y = x + 1
            {B}
            # HINT: return y squared
            raise NotImplementedError("not written yet: f in pkg/mod.py")
            {E}
        """)
    with pytest.raises(NotImplementedError, match="^not written yet: f in pkg/mod.py$"):
        run_stub(out, "f(1)")


def test_text_without_regions_is_unchanged():
    text = "def f():\n    return 1\n"
    assert strip_py(text, "m.py") is text


def test_methods_are_named_with_their_class_and_long_messages_wrap():
    text = src(f"""
        class Model:
            @property
            def size(self):
                return 3

            def a_rather_long_method_name_for_wrapping(self, x):
                for i in range(3):
                    if x:
                        {B}
                        x = x - i
                        {E}
                return x
        """)
    out = strip_py(text, "cs231n_lin/classifiers/a_module_with_a_long_name.py")
    assert "                raise NotImplementedError(\n                    \"not written yet: " in out
    with pytest.raises(NotImplementedError, match="Model.a_rather_long_method_name_for_wrapping in cs231n"):
        run_stub(out, "Model().a_rather_long_method_name_for_wrapping(1)")
    assert run_stub(out, "Model().a_rather_long_method_name_for_wrapping(0)") == 0


def test_body_indented_deeper_than_markers_stays_valid():
    text = "def f(x):\n    if x:\n    # BEGIN SOLUTION\n        return 1\n    # END SOLUTION\n    return 0\n"
    out = strip_py(text, "m.py")
    assert run_stub(out, "f(0)") == 0
    with pytest.raises(NotImplementedError):
        run_stub(out, "f(1)")


def test_marker_text_inside_a_string_is_not_a_marker():
    text = src(f'''
        def f():
            """Write your code between ``{B}`` and
            {B}
            lines (this docstring is not a region)."""
            return 1
        ''')
    assert code_regions(text, "m.py") == []
    assert strip_py(text, "m.py") == text


def test_notebook_cell_stub_names_the_cell():
    out = strip_py(f"{B}\nanswer = 42\n{E}\n", "nb.ipynb", cell="cell 3 (id x)")
    with pytest.raises(NotImplementedError, match=r"^not written yet: cell 3 \(id x\) in nb.ipynb$"):
        run_stub(out, "answer")


@pytest.mark.parametrize(("text", "line", "what"), [
    (f"x = 1\n{B}\ny = 2\n", 2, "never closed"),
    (f"x = 1\ny = 2\n{E}\n", 3, "without"),
    (f"{B}\nx = 1\n{B}\ny = 2\n{E}\n{E}\n", 3, "nested"),
    (f"{B}\nx = 1\n#BEGIN SOLUTION\n{E}\n", 3, "not spelled exactly"),
    ("def f():\n    # begin solution\n    return 1\n", 2, "not spelled exactly"),
    (f"def f():\n    {B}\n    return 1\n    # END SOLUTON\n", 4, "not spelled exactly"),
])
def test_bad_markers_raise_naming_file_and_line(text, line, what):
    with pytest.raises(MarkerError, match=rf"^pkg/bad\.py, line {line}: .*{what}"):
        strip_py(text, "pkg/bad.py")


def test_marker_error_is_a_value_error():
    assert issubclass(MarkerError, ValueError)


def test_markdown_answers():
    text = "Why?\n\n<!-- BEGIN SOLUTION -->\nBecause.\nReally.\n<!-- END SOLUTION -->\nAfter.\n"
    out = strip_markdown(text, "nb.ipynb, cell 2")
    assert out == f"Why?\n\n<!-- BEGIN SOLUTION -->\n{ANSWER_HERE}\n<!-- END SOLUTION -->\nAfter.\n"
    with pytest.raises(MarkerError, match=r"^nb\.ipynb, cell 2, line 2: .*nested"):
        strip_markdown("<!-- BEGIN SOLUTION -->\n<!-- BEGIN SOLUTION -->\n", "nb.ipynb, cell 2")
    with pytest.raises(MarkerError, match="not spelled exactly"):
        strip_markdown("<!--BEGIN SOLUTION-->\nx\n", "nb.ipynb, cell 2")


def test_commented_answers_in_percent_format_sources():
    text = "# %% [markdown]\n# <!-- BEGIN SOLUTION -->\n# Because the margin is 1.\n# <!-- END SOLUTION -->\n"
    out = strip_py(text, "notebooks/src/01.py")
    assert out == "# %% [markdown]\n# <!-- BEGIN SOLUTION -->\n# Your answer here\n# <!-- END SOLUTION -->\n"
    assert solution_lines(text, "x.py") == [(3, "# Because the margin is 1.")]


def test_solution_lines_exclude_markers_hints_and_blanks():
    text = f"def f():\n    {B}\n    # HINT: think\n\n    return 1\n    {E}\n"
    assert solution_lines(text, "m.py") == [(5, "    return 1")]


def test_cell_predicates():
    def cell(kind, source, **extra):
        return {"cell_type": kind, "source": source, "metadata": {}, **extra}

    assert is_solution_cell(cell("code", ["x = 1\n", f"{B}\n", "y = 2\n", f"{E}\n"]))
    assert not is_solution_cell(cell("code", "x = 1\n"))
    assert is_solution_cell(cell("markdown", "<!-- BEGIN SOLUTION -->\nA\n<!-- END SOLUTION -->\n"))
    assert not is_solution_cell(cell("raw", f"{B}\n{E}\n"))
    assert is_check_cell(cell("code", "# NBVAL_CHECK_OUTPUT\nprint(1)\n"))
    assert is_check_cell(cell("code", "x = 1\n#  NBVAL_CHECK_OUTPUT\n"))          # nbval's own rule
    assert is_check_cell({"cell_type": "code", "source": "", "metadata": {"tags": ["nbval-check-output"]}})
    assert not is_check_cell(cell("code", "print('# NBVAL_CHECK_OUTPUT')\n"))
    assert not is_check_cell(cell("markdown", "# NBVAL_CHECK_OUTPUT\n"))


_names = st.from_regex(r"[a-z][a-z0-9_]{2,10}", fullmatch=True)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(_names, st.integers(0, 10**6)), min_size=1, max_size=6), st.integers(0, 3))
def test_stubbed_source_compiles_and_contains_no_solution_line(assignments, depth):
    lines = ["def f():"] + ["    " * (k + 1) + "if True:" for k in range(depth)]
    pad = "    " * (depth + 1)
    lines += [pad + B] + [f"{pad}{name}_v = {value} + 7" for name, value in assignments] + [pad + E]
    text = "\n".join(lines + ["    return 0", ""])
    out = strip_py(text, "m.py")
    compile(out, "m.py", "exec")
    for _, line in solution_lines(text, "m.py"):
        assert line.strip() not in out
    with pytest.raises(NotImplementedError):
        run_stub(out, "f()")
