"""A fitted index on disk: written once, atomically, and opened back memory-mapped by any process.

Generic over the index's attributes (`vars(index)`), so the index may change its arrays without this
module changing: every attribute must be a NumPy array without objects (an object array of strings,
such as profile ids, is stored as fixed-width bytes or unicode and turned back into objects on
opening), a SciPy CSR/CSC matrix (stored as its data, indices and indptr arrays), a vocabulary
(dict[str, int] or list[str], as JSON) or a plain scalar. Nothing is pickled: opening a snapshot runs
no code from it.

A snapshot is a folder `snap-<version>-<random>` holding `.npy` files and a `manifest.json` written
last. It is built under a hidden temporary name and renamed into place, so a reader never sees half of
one; the manifest gives each file's size and CRC-32, which the reader checks, and the `key` the caller
built it under (taxonomy, coordinates, database, layout), which must equal the reader's.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import time
import uuid
import zlib
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import numpy as np
from scipy import sparse

FORMAT = 1
PREFIX = "snap-"
MANIFEST = "manifest.json"
SPARSE_PARTS = ("data", "indices", "indptr")
_CHUNK = 1 << 24
T = TypeVar("T")


class SnapshotError(Exception):
    """A snapshot that cannot be used: torn, corrupt, foreign, or of another format."""


@dataclass(frozen=True)
class Snapshot:
    """An opened snapshot: its groups of attributes (memory-mapped arrays), version and folder."""

    path: Path
    version: int
    key: str
    groups: dict[str, dict[str, Any]]
    created_at: float


def layout(obj: object) -> list[list[str]]:
    """The attribute names and kinds of an object, for telling a snapshot of another code's index apart."""
    return [[name, _kind(value)] for name, value in sorted(vars(obj).items())]


def restore(cls: type[T], attributes: Mapping[str, Any]) -> T:
    """An instance of `cls` holding these attributes, as `fit` left them (its constructor is not run)."""
    instance = object.__new__(cls)
    vars(instance).update(attributes)
    return instance


def write(folder: Path, *, version: int, key: str, groups: Mapping[str, Mapping[str, Any]]) -> Path:
    """Write these groups of attributes as a new snapshot in `folder`; returns its path."""
    folder.mkdir(parents=True, exist_ok=True)
    temporary = folder / f".tmp-{uuid.uuid4().hex}"
    temporary.mkdir()
    try:
        files: dict[str, dict[str, int]] = {}
        described: dict[str, dict[str, Any]] = {}
        for group, attributes in groups.items():
            described[group] = {}
            for name, value in attributes.items():
                described[group][name] = _store(temporary, f"{group}.{name}", value, files)
        manifest = {"format": FORMAT, "version": version, "key": key, "created_at": time.time(),
                    "groups": described, "files": files}
        _write_synced(temporary / MANIFEST, json.dumps(manifest, sort_keys=True).encode())
        _fsync_folder(temporary)
        final = folder / f"{PREFIX}{version:012d}-{uuid.uuid4().hex[:8]}"
        os.rename(temporary, final)  # atomic: the snapshot appears whole or not at all
        _fsync_folder(folder)
        return final
    except BaseException:
        shutil.rmtree(temporary, ignore_errors=True)
        raise


def candidates(folder: Path) -> list[Path]:
    """The snapshots in `folder`, newest (highest version, then latest written) first."""
    if not folder.is_dir():
        return []
    found = [p for p in folder.iterdir() if p.name.startswith(PREFIX) and p.is_dir()]
    return sorted(found, key=lambda p: (p.name.split("-")[1], _mtime(p)), reverse=True)


def read(path: Path, *, key: str, verify: bool = True) -> Snapshot:
    """Open one snapshot memory-mapped; SnapshotError when it is torn, corrupt, foreign or of another format."""
    try:
        manifest = json.loads((path / MANIFEST).read_text())
    except (OSError, ValueError) as exc:
        raise SnapshotError(f"no readable manifest in {path.name}") from exc
    if manifest.get("format") != FORMAT:
        raise SnapshotError(f"{path.name}: format {manifest.get('format')}, this code reads {FORMAT}")
    if manifest.get("key") != key:
        raise SnapshotError(f"{path.name}: built under another taxonomy, coordinates, database or index layout")
    for name, expected in manifest["files"].items():
        _check_file(path / name, expected, verify=verify)
    try:
        groups = {group: {name: _load(path, f"{group}.{name}", described)
                          for name, described in attributes.items()}
                  for group, attributes in manifest["groups"].items()}
    except (OSError, ValueError, KeyError) as exc:
        raise SnapshotError(f"{path.name}: unreadable ({exc})") from exc
    return Snapshot(path, int(manifest["version"]), key, groups, float(manifest["created_at"]))


def newest(folder: Path, *, key: str, verify: bool = True) -> tuple[Snapshot | None, list[str]]:
    """The newest usable snapshot in `folder` (or None), and why each newer one was refused."""
    refused: list[str] = []
    for path in candidates(folder):
        try:
            return read(path, key=key, verify=verify), refused
        except SnapshotError as exc:
            refused.append(str(exc))
    return None, refused


def peek(folder: Path, *, key: str) -> tuple[Path, int] | None:
    """The newest snapshot of this key and format by its manifest alone (files unchecked), and its version."""
    for path in candidates(folder):
        try:
            manifest = json.loads((path / MANIFEST).read_text())
        except (OSError, ValueError):
            continue
        if manifest.get("format") == FORMAT and manifest.get("key") == key:
            return path, int(manifest["version"])
    return None


def remove(path: Path) -> None:
    """Delete one snapshot, renamed to a hidden name first so that no reader opens it half deleted."""
    doomed = path.parent / f".del-{uuid.uuid4().hex}"
    try:
        os.rename(path, doomed)
    except OSError:
        return  # gone already
    shutil.rmtree(doomed, ignore_errors=True)


def remove_others(folder: Path, keep: Path) -> int:
    """Delete every snapshot but `keep` (and stale temporary folders); returns how many went.

    Each is renamed to a hidden name first, so a reader listing the folder meanwhile never opens one
    half deleted; a process that already mapped its files keeps reading them until it lets go.
    """
    removed = 0
    for path in list(folder.iterdir()) if folder.is_dir() else []:
        if path == keep:
            continue
        if path.name.startswith(PREFIX):
            remove(path)
            removed += 1
        elif path.name.startswith((".tmp-", ".del-")) and time.time() - _mtime(path) > 3600:
            shutil.rmtree(path, ignore_errors=True)  # left by a writer killed midway
    return removed


@contextmanager
def writer_lock(folder: Path) -> Iterator[bool]:
    """One writer at a time per folder (across processes): yields False when another one is writing."""
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / ".lock", "a+b") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _kind(value: Any) -> str:
    if isinstance(value, np.ndarray):
        return f"array:{value.dtype.kind if value.dtype != object else 'O'}:{value.ndim}"
    if sparse.issparse(value) and value.format in ("csr", "csc"):
        return f"sparse:{value.format}:{value.dtype.kind}"
    if isinstance(value, dict):
        return "dict"
    if isinstance(value, list):
        return "list"
    if value is None or isinstance(value, bool | int | float | str):
        return "scalar"
    raise TypeError(f"a snapshot cannot hold a {type(value).__name__}")


def _store(folder: Path, name: str, value: Any, files: dict[str, dict[str, int]]) -> dict[str, Any]:
    kind = _kind(value)
    if kind.startswith("array:O"):
        strings = [str(v) for v in value.ravel()]
        if any(not isinstance(v, str) for v in value.ravel()):
            raise TypeError(f"{name}: an object array must hold strings only")
        ascii_only = all(s.isascii() for s in strings)
        stored = np.array(strings, dtype="S" if ascii_only else "U").reshape(value.shape)
        if not strings:
            stored = np.zeros(value.shape, dtype="S1" if ascii_only else "U1")
        _save_array(folder, f"{name}.npy", stored, files)
        return {"kind": "array", "objects": "ascii" if ascii_only else "unicode"}
    if kind.startswith("array:"):
        _save_array(folder, f"{name}.npy", value, files)
        return {"kind": "array"}
    if kind.startswith("sparse:"):
        for part in SPARSE_PARTS:
            _save_array(folder, f"{name}.{part}.npy", getattr(value, part), files)
        return {"kind": "sparse", "format": value.format, "shape": list(value.shape),
                "sorted": bool(value.has_sorted_indices)}
    if kind == "dict" and not all(isinstance(k, str) for k in value):
        raise TypeError(f"{name}: a vocabulary's keys must be strings")
    return {"kind": "json", "value": value}


def _load(folder: Path, name: str, described: dict[str, Any]) -> Any:
    kind = described["kind"]
    if kind == "json":
        return described["value"]
    if kind == "array":
        array = np.load(folder / f"{name}.npy", mmap_mode="r", allow_pickle=False)
        if described.get("objects") == "ascii":
            return np.array([v.decode("ascii") for v in array.ravel()], dtype=object).reshape(array.shape)
        if described.get("objects") == "unicode":
            return np.array(array.tolist(), dtype=object).reshape(array.shape)
        return array
    if kind == "sparse":
        data, indices, indptr = (np.load(folder / f"{name}.{part}.npy", mmap_mode="r", allow_pickle=False)
                                 for part in SPARSE_PARTS)
        cls = sparse.csr_matrix if described["format"] == "csr" else sparse.csc_matrix
        matrix = cls((data, indices, indptr), shape=tuple(described["shape"]), copy=False)
        matrix.has_sorted_indices = described["sorted"]  # known from the writer: never re-sorted in place
        return matrix
    raise ValueError(f"unknown kind {kind!r}")


def _save_array(folder: Path, filename: str, array: np.ndarray, files: dict[str, dict[str, int]]) -> None:
    path = folder / filename
    with open(path, "wb") as handle:
        np.save(handle, np.ascontiguousarray(array), allow_pickle=False)
        handle.flush()
        os.fsync(handle.fileno())
    files[filename] = {"size": path.stat().st_size, "crc32": _crc32(path)}


def _check_file(path: Path, expected: dict[str, int], *, verify: bool) -> None:
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise SnapshotError(f"{path.parent.name}: {path.name} is missing") from exc
    if size != expected["size"]:
        raise SnapshotError(f"{path.parent.name}: {path.name} has {size} bytes, the manifest says {expected['size']}")
    try:
        intact = not verify or _crc32(path) == expected["crc32"]
    except OSError as exc:  # deleted meanwhile by a writer that replaced it
        raise SnapshotError(f"{path.parent.name}: {path.name} is unreadable") from exc
    if not intact:
        raise SnapshotError(f"{path.parent.name}: {path.name} does not match its checksum")


def _crc32(path: Path) -> int:
    crc = 0
    with open(path, "rb") as handle:
        while chunk := handle.read(_CHUNK):
            crc = zlib.crc32(chunk, crc)
    return crc


def _write_synced(path: Path, data: bytes) -> None:
    with open(path, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())


def _fsync_folder(folder: Path) -> None:
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0
