"""Offline lookup of tokenizer.json files in the local Hugging Face cache."""

from __future__ import annotations

import os
import re
from pathlib import Path

_MODEL_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*(/[A-Za-z0-9][A-Za-z0-9._-]*)?$")
_COMMIT = re.compile(r"^[0-9a-f]{40}$")


def hub_cache_dir() -> Path:
    """Return the hub cache folder the way ``huggingface_hub`` chooses it.

    The order is $HF_HUB_CACHE, $HF_HOME/hub, $XDG_CACHE_HOME/huggingface/hub,
    then ~/.cache/huggingface/hub.
    """
    if os.environ.get("HF_HUB_CACHE"):
        return Path(os.environ["HF_HUB_CACHE"])
    if os.environ.get("HF_HOME"):
        return Path(os.environ["HF_HOME"]) / "hub"
    cache_home = os.environ.get("XDG_CACHE_HOME") or os.path.join(Path.home(), ".cache")
    return Path(cache_home) / "huggingface" / "hub"


def _snapshot_for(repo_dir: Path, revision: str) -> Path | None:
    snapshots = repo_dir / "snapshots"
    ref = repo_dir / "refs" / revision
    if ref.is_file():
        return snapshots / ref.read_text(encoding="utf-8").strip()
    if _COMMIT.match(revision):
        return snapshots / revision
    if revision == "main" and snapshots.is_dir():
        # A cache filled by copying snapshots may lack refs/main; then the
        # most recently modified snapshot with a tokenizer.json stands in.
        candidates = [s for s in snapshots.iterdir() if (s / "tokenizer.json").is_file()]
        if candidates:
            return max(candidates, key=lambda s: s.stat().st_mtime)
    return None


def find_tokenizer_file(
    identifier: str | os.PathLike[str],
    revision: str = "main",
    cache_dir: str | os.PathLike[str] | None = None,
) -> str:
    """Return the path of the tokenizer.json for a folder or a model id.

    A folder (such as one written by ``save_pretrained``) or a file path is
    used as is. Anything else is a Hugging Face model id ("gpt2",
    "google-t5/t5-small") looked up in the hub cache without network access.

    Raises:
        FileNotFoundError: the folder or the cached snapshot has no
            tokenizer.json. The message names the folder searched.
        ValueError: ``identifier`` is neither an existing path nor a model id.
    """
    path = Path(os.fspath(identifier))
    if path.is_dir():
        tokenizer_file = path / "tokenizer.json"
        if not tokenizer_file.is_file():
            raise FileNotFoundError(f"{path} is a folder without a tokenizer.json")
        return str(tokenizer_file)
    if path.is_file():
        return str(path)

    model_id = os.fspath(identifier)
    if not _MODEL_ID.match(model_id):
        raise ValueError(
            f'"{model_id}" is neither an existing file or folder nor a Hugging Face model id '
            'such as "gpt2" or "google-t5/t5-small"'
        )
    hub = Path(os.fspath(cache_dir)) if cache_dir is not None else hub_cache_dir()
    repo_dir = hub / ("models--" + model_id.replace("/", "--"))
    snapshot = _snapshot_for(repo_dir, revision) if repo_dir.is_dir() else None
    if snapshot is not None and (snapshot / "tokenizer.json").is_file():
        return str(snapshot / "tokenizer.json")
    where = snapshot if snapshot is not None else repo_dir
    raise FileNotFoundError(
        f"no tokenizer.json for {model_id} (revision {revision}) in the local Hugging Face "
        f"cache: searched {where}. tokforge does not download; fetch it first, for example "
        f"with `huggingface-cli download {model_id} tokenizer.json`, or set HF_HOME or "
        "HF_HUB_CACHE to the cache that holds it."
    )
