"""A fitted index written as a snapshot and opened back memory-mapped ranks exactly like the original."""

from __future__ import annotations

import json
import os

import numpy as np
import pytest

from matching.ranking import index_snapshot
from matching.ranking.index_snapshot import SnapshotError
from matching.ranking.scoring import ProfileIndex, rank

KEY = "test-key"


@pytest.fixture(scope="module")
def population(shared_data):
    from benchmarks import synthetic

    world = synthetic.World.load()
    return synthetic.profiles(world, 600, seed=3), synthetic.vacancies(world, 12, seed=5)


def mapped(array: np.ndarray) -> bool:
    while array is not None and not isinstance(array, np.memmap):
        array = array.base if isinstance(array.base, np.ndarray) else None
    return array is not None and not array.flags.writeable


def ranking(index: ProfileIndex, vacancies) -> list:
    return [rank(index, vacancy, size=25) for vacancy in vacancies]


def test_a_round_trip_ranks_exactly_like_the_index_it_came_from(tmp_path, population):
    profiles, vacancies = population
    index = ProfileIndex().fit(profiles)
    path = index_snapshot.write(tmp_path, version=42, key=KEY, groups={"index": vars(index)})
    opened = index_snapshot.read(path, key=KEY)
    restored = index_snapshot.restore(ProfileIndex, opened.groups["index"])

    assert opened.version == 42
    assert ranking(restored, vacancies) == ranking(index, vacancies)
    assert index_snapshot.layout(restored) == index_snapshot.layout(index)
    assert mapped(restored.skill_grades_.data) and mapped(restored.numbers_)  # read from disk on demand, not copied
    assert list(restored.profile_ids_) == list(index.profile_ids_)
    assert not list(tmp_path.glob(".tmp-*"))


def test_an_empty_index_and_unicode_ids_survive(tmp_path):
    empty = ProfileIndex().fit([])
    path = index_snapshot.write(tmp_path, version=0, key=KEY, groups={"index": vars(empty)})
    restored = index_snapshot.restore(ProfileIndex, index_snapshot.read(path, key=KEY).groups["index"])
    assert len(restored.profile_ids_) == 0
    ids = np.array(["prf_é", "prf_b"], dtype=object)
    path = index_snapshot.write(tmp_path, version=1, key=KEY, groups={"ids": {"ids": ids}})
    assert list(index_snapshot.read(path, key=KEY).groups["ids"]["ids"]) == ["prf_é", "prf_b"]


def test_what_a_snapshot_cannot_hold_is_refused_at_writing(tmp_path):
    with pytest.raises(TypeError):
        index_snapshot.write(tmp_path, version=1, key=KEY, groups={"g": {"x": {1, 2}}})
    with pytest.raises(TypeError):
        index_snapshot.write(tmp_path, version=1, key=KEY, groups={"g": {"x": np.array([object()])}})
    assert not list(tmp_path.iterdir()) or not index_snapshot.candidates(tmp_path)


def test_a_corrupt_torn_or_foreign_snapshot_is_refused_and_an_older_good_one_used(tmp_path, population):
    profiles, _ = population
    index = ProfileIndex().fit(profiles[:50])
    good = index_snapshot.write(tmp_path, version=5, key=KEY, groups={"index": vars(index)})
    corrupt = index_snapshot.write(tmp_path, version=9, key=KEY, groups={"index": vars(index)})
    target = corrupt / "index.skill_grades_.data.npy"
    raw = bytearray(target.read_bytes())
    raw[-1] ^= 0xFF  # one flipped byte, same size
    target.write_bytes(bytes(raw))
    torn = index_snapshot.write(tmp_path, version=8, key=KEY, groups={"index": vars(index)})
    os.truncate(torn / "index.lat_.npy", 10)
    headless = index_snapshot.write(tmp_path, version=7, key=KEY, groups={"index": vars(index)})
    (headless / "manifest.json").unlink()
    foreign = index_snapshot.write(tmp_path, version=6, key="another-taxonomy", groups={"index": vars(index)})
    future = index_snapshot.write(tmp_path, version=10, key=KEY, groups={"index": vars(index)})
    manifest = json.loads((future / "manifest.json").read_text())
    (future / "manifest.json").write_text(json.dumps({**manifest, "format": 999}))

    opened, refused = index_snapshot.newest(tmp_path, key=KEY)
    assert opened is not None and opened.path == good
    assert len(refused) == 5
    for path in (corrupt, torn, headless, foreign, future):
        with pytest.raises(SnapshotError):
            index_snapshot.read(path, key=KEY)

    assert index_snapshot.remove_others(tmp_path, keep=good) == 5
    assert index_snapshot.candidates(tmp_path) == [good]


def test_one_writer_at_a_time(tmp_path):
    with index_snapshot.writer_lock(tmp_path) as first:
        with index_snapshot.writer_lock(tmp_path) as second:
            assert first and not second
    with index_snapshot.writer_lock(tmp_path) as again:
        assert again
