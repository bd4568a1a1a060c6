"""Executes examples/train_code_tokenizer.ipynb headless in a Jupyter kernel.

The kernel runs the interpreter that runs pytest, with the built tokforge
package on PYTHONPATH, so the notebook imports the module under test.
"""

import importlib.util
import json
import os
import sys

import pytest

from conftest import PACKAGE_DIR, REPO

nbformat = pytest.importorskip(
    "nbformat", reason="nbformat is not installed; on Debian install jupyter-nbconvert"
)
nbclient = pytest.importorskip(
    "nbclient", reason="nbclient is not installed; on Debian install jupyter-nbconvert"
)
# Only looked up, not imported: tokforge's progress bar takes "ipykernel" in
# sys.modules to mean it runs in Jupyter, which would change other tests.
if importlib.util.find_spec("ipykernel") is None:
    pytest.skip(
        "ipykernel is not installed; on Debian install python3-ipykernel",
        allow_module_level=True,
    )

NOTEBOOK = REPO / "examples" / "train_code_tokenizer.ipynb"
KERNEL_NAME = "tokforge-test"
CELL_TIMEOUT_SECONDS = 300


@pytest.fixture
def kernel_environment(tmp_path, monkeypatch):
    """Point Jupyter at a kernel spec for sys.executable and keep its files in tmp_path.

    A kernel spec named "python3" may start any interpreter, depending on the
    Jupyter paths of the machine, so the test installs its own.
    """
    spec_dir = tmp_path / "jupyter" / "kernels" / KERNEL_NAME
    spec_dir.mkdir(parents=True)
    spec = {
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": f"tokforge test ({sys.executable})",
        "language": "python",
    }
    (spec_dir / "kernel.json").write_text(json.dumps(spec), encoding="utf-8")

    # JUPYTER_PATH is searched before the user and system kernel folders.
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path / "jupyter"))
    monkeypatch.setenv("JUPYTER_RUNTIME_DIR", str(tmp_path / "runtime"))
    monkeypatch.setenv("IPYTHONDIR", str(tmp_path / "ipython"))
    pythonpath = os.environ.get("PYTHONPATH")
    monkeypatch.setenv(
        "PYTHONPATH", str(PACKAGE_DIR) + (os.pathsep + pythonpath if pythonpath else "")
    )
    monkeypatch.setenv("TOKFORGE_PYTHONPATH", str(PACKAGE_DIR))
    # debugpy, which ipykernel loads, warns about frozen modules on every start.
    monkeypatch.setenv("PYDEVD_DISABLE_FILE_VALIDATION", "1")


def test_notebook_saved_without_outputs():
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    for index, cell in enumerate(notebook.cells):
        if cell.cell_type != "code":
            continue
        assert cell.outputs == [], f"code cell {index} of {NOTEBOOK.name} has saved outputs"
        assert cell.execution_count is None, f"code cell {index} has an execution count"


def test_notebook_runs_without_errors(kernel_environment):
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    client = nbclient.NotebookClient(
        notebook,
        kernel_name=KERNEL_NAME,
        timeout=CELL_TIMEOUT_SECONDS,
        # The notebook reads ../data relative to its own folder.
        resources={"metadata": {"path": str(NOTEBOOK.parent)}},
    )

    # execute raises CellExecutionError, with the cell and traceback, on the
    # first cell that fails.
    client.execute()

    code_cells = [cell for cell in notebook.cells if cell.cell_type == "code"]
    assert code_cells, f"{NOTEBOOK.name} has no code cells"
    for index, cell in enumerate(code_cells):
        assert cell.execution_count is not None, f"code cell {index} did not run"
        errors = [output for output in cell.outputs if output.output_type == "error"]
        assert errors == [], f"code cell {index} produced an error: {errors}"

    # The comparison report renders as HTML, the view a notebook user sees.
    html_outputs = [
        output.data["text/html"]
        for cell in code_cells
        for output in cell.outputs
        if output.output_type == "execute_result" and "text/html" in output.get("data", {})
    ]
    assert any("<iframe" in html for html in html_outputs), "no cell displayed the HTML report"
