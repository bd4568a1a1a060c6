"""Finds the built tokforge package and the CLI for the Python tests.

The package directory comes from $TOKFORGE_PYTHONPATH (CTest sets it), else
from build-py/python_bindings or build/python_bindings in the repository.
The CLI comes from $TOKFORGE_CLI, else from the cli/ folder of that build.
"""

import os
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
GOLDEN = REPO / "tests" / "golden"
# adversarial.txt in the golden corpus contains NUL bytes on purpose, so the
# tests that train on the whole corpus pass allow_nul_bytes=True.
CORPUS = REPO / "data" / "golden_corpus"


def _find_package_dir() -> Path:
    configured = os.environ.get("TOKFORGE_PYTHONPATH")
    candidates = [Path(configured)] if configured else [
        REPO / "build-py" / "python_bindings",
        REPO / "build" / "python_bindings",
    ]
    for candidate in candidates:
        if any((candidate / "tokforge").glob("_tokforge*.so")):
            return candidate
    searched = ", ".join(str(c) for c in candidates)
    raise RuntimeError(
        f"the built tokforge module was not found in {searched}; build it with "
        "`cmake --build BUILD_DIR --target tokforge_python` and set TOKFORGE_PYTHONPATH to "
        "BUILD_DIR/python_bindings"
    )


PACKAGE_DIR = _find_package_dir()
sys.path.insert(0, str(PACKAGE_DIR))


def read_lines(path: Path) -> list:
    """Split a file into lines the way the CLI encode command does.

    A line is the text between two "\\n" with any "\\r" kept; the empty
    string after a final "\\n" is not a line.
    """
    text = path.read_bytes().decode("utf-8")
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return lines


def read_sequences(path: Path) -> list:
    """Split a file into training sequences: each line with its "\\n"."""
    text = path.read_bytes().decode("utf-8")
    # str.splitlines would also split at "\r", U+2028 and other separators.
    parts = text.split("\n")
    sequences = [part + "\n" for part in parts[:-1]]
    if parts[-1]:
        sequences.append(parts[-1])
    return sequences


@pytest.fixture(scope="session")
def cli() -> Path:
    configured = os.environ.get("TOKFORGE_CLI")
    path = Path(configured) if configured else PACKAGE_DIR.parent / "cli" / "tokforge"
    if not path.is_file():
        raise RuntimeError(f"tokforge CLI not found at {path}; build tokforge_cli or set TOKFORGE_CLI")
    return path


@pytest.fixture(scope="session")
def corpus_files() -> list:
    return sorted(CORPUS.glob("*.txt"))


@pytest.fixture(scope="session")
def golden_tokenizer_path() -> Path:
    return GOLDEN / "hf_train_small.json"


@pytest.fixture(scope="session")
def golden_tokenizer(golden_tokenizer_path):
    import tokforge

    return tokforge.Tokenizer.from_file(golden_tokenizer_path)
