"""Ready shortlists kept rendered per process, by (shortlist id, version, language).

A ready shortlist only changes when an erasure empties one of its items, which raises its version: a
rendering is valid as long as its version is the row's. The erasure drops this process's renderings of
the shortlists it emptied; other processes drop theirs when they next read the new version.
"""

from __future__ import annotations

import threading
from collections import OrderedDict

RENDERED_CACHE_SIZE = 512  # ready shortlists kept rendered per process (a 10-item one is ~25 kB of JSON)
Key = tuple[str, int, str]  # shortlist id, version, language
_RENDERED: OrderedDict[Key, bytes] = OrderedDict()
_RENDERED_LOCK = threading.Lock()


def cached(key: Key) -> bytes | None:
    with _RENDERED_LOCK:
        rendered = _RENDERED.get(key)
        if rendered is not None:
            _RENDERED.move_to_end(key)
        return rendered


def keep(key: Key, rendered: bytes) -> None:
    shortlist_id, version, _lang = key
    with _RENDERED_LOCK:
        # Older versions were emptied by an erasure in some process: what they hold must not stay in memory.
        for stale in [k for k in _RENDERED if k[0] == shortlist_id and k[1] < version]:
            del _RENDERED[stale]
        _RENDERED[key] = rendered
        while len(_RENDERED) > RENDERED_CACHE_SIZE:
            _RENDERED.popitem(last=False)


def forget(shortlist_ids: set[str]) -> None:
    """Drop this process's renderings of these shortlists (an erasure emptied one of their items)."""
    with _RENDERED_LOCK:
        for stale in [k for k in _RENDERED if k[0] in shortlist_ids]:
            del _RENDERED[stale]
