import json

import nbformat
import pytest

from cs231n_lin.notebook_run import export_notebooks, notebook_text


def _tiny_notebook(path, code):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("# Tiny"), nbformat.v4.new_code_cell(code)]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, path)


@pytest.mark.slow
def test_export_executes_a_copy_and_writes_html(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    _tiny_notebook(src / "tiny.ipynb", "print(6 * 7)")
    before = (src / "tiny.ipynb").read_bytes()
    rows = export_notebooks(tmp_path / "out", src_dir=src)
    assert [r["notebook"] for r in rows] == ["tiny.ipynb"]
    html = (tmp_path / "out" / "tiny.html").read_text()
    assert "<html" in html and "42" in html
    executed = json.loads((tmp_path / "out" / "tiny.ipynb").read_text())
    assert "".join(executed["cells"][1]["outputs"][0]["text"]) == "42\n"
    assert (src / "tiny.ipynb").read_bytes() == before, "the source notebook was modified"


def test_export_reports_missing_folder_or_notebooks(tmp_path):
    with pytest.raises(FileNotFoundError, match="no notebooks folder"):
        export_notebooks(tmp_path / "out", src_dir=tmp_path / "missing")
    with pytest.raises(FileNotFoundError, match=r"no notebooks \(\*\.ipynb\)"):
        export_notebooks(tmp_path / "out", src_dir=tmp_path)


def test_notebook_bytes_drops_timestamps_and_ends_with_newline():
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("1")
    cell.metadata["execution"] = {"iopub.status.busy": "2026-01-01T00:00:00Z"}
    nb.cells = [cell]
    text = notebook_text(nb)
    assert "iopub" not in text and text.endswith("\n")
    assert "execution" in cell.metadata, "the caller's notebook must not be changed"


@pytest.mark.slow
def test_kernel_runs_over_ipc_without_the_unencrypted_tcp_warning(tmp_path, capfd):
    from cs231n_lin.notebook_run import execute_notebook

    _tiny_notebook(tmp_path / "t.ipynb", "import json, os\n"
                   "from ipykernel.kernelapp import IPKernelApp\n"
                   "print(IPKernelApp.instance().transport, 6 * 7)")
    executed, _ = execute_notebook(nbformat.read(tmp_path / "t.ipynb", as_version=4), cwd=tmp_path)
    assert executed.cells[1].outputs[0]["text"] == "ipc 42\n"
    err = capfd.readouterr().err
    assert "without encryption" not in err, err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["t.ipynb"]          # no socket files left here
