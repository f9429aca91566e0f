"""notebooks/analysis.ipynb runs from start to end without an error (nbclient, kernel python3)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = ROOT / "notebooks" / "analysis.ipynb"


def _kernel_available() -> None:
    """The python3 kernel must start this interpreter (the venv): install its spec there if missing."""
    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

    try:
        KernelSpecManager().get_kernel_spec("python3")
    except NoSuchKernel:
        import subprocess

        subprocess.run([sys.executable, "-m", "ipykernel", "install", "--sys-prefix"], check=True, capture_output=True)


@pytest.mark.slow
def test_analysis_notebook_runs_without_error(tmp_path, monkeypatch):
    if not (ROOT / "corpus" / "sample").is_dir() and not (ROOT.parent / "shared" / "seeds").is_dir():
        pytest.skip("no sample corpus: neither corpus/sample nor ../shared/seeds exists")
    import nbformat
    from nbclient import NotebookClient

    _kernel_available()
    monkeypatch.setenv("MPLBACKEND", "Agg")
    monkeypatch.setenv("DIRECTIVE_NLP_EXTRACTORS", "rules")  # CI has no trained models
    nb = nbformat.read(NOTEBOOK, as_version=4)
    client = NotebookClient(nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(NOTEBOOK.parent)}})
    client.execute()  # raises CellExecutionError with the failing cell and traceback
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])]
    assert not [o for o in outputs if o.get("output_type") == "error"]
    images = [o for o in outputs if "image/png" in o.get("data", {})]
    assert len(images) >= 3, "the three plots (targets, agencies, graph) should render"
