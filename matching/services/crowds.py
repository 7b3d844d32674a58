"""The crowds employer cards hide in, kept in step with the change log by each worker's card keeper.

A card is generalised until at least k profiles would show the same values for its vacancy
(matching/privacy/disclosure.py), so measuring a card needs every published profile's traits for that
vacancy. Reading 100k profiles per measure would take seconds; instead the keeper's process (a worker,
workers/cards.py; never an API process, which reads the stored results, services/card_store.py) keeps

- the population: every published profile's facts, skills included (a card shows which skills asked a
  person holds, with level and evidence, so they count in k), caught up from the change log like the
  workers' index, with a journal of which profiles each catch-up touched; and
- per vacancy, a crowd built once from the population and then updated for the profiles the journal
  names since, so a publish costs the next card read a few recoded people, not a rebuild.

The crowd of a vacancy is every published profile that passes the vacancy's hard constraints and
must-haves (only they could have been presented, matching/privacy/disclosure.py), plus every profile
presented on it (one presented, then closed or changed, is still shown on its cards).
"""

from __future__ import annotations

import threading
from collections import OrderedDict, deque
from collections.abc import Mapping
from dataclasses import dataclass, field

from sqlalchemy import not_
from sqlmodel import Session, col, select

from matching.privacy import disclosure
from matching.ranking.facts import ProfileFacts, VacancyFacts
from matching.services import taxonomy
from matching.services.facts import coordinates, coordinates_key, facts_from_data, published_facts, vacancy_facts
from matching.services.profile_index import ChangeCursor, changes_since, log_bounds, missed_changes
from matching.store import reconfirmation
from matching.store.models import Match, Profile, Vacancy

Related = Mapping[str, Mapping[str, float]]  # the taxonomy's partial credit, as scoring reads it
CROWD_CACHE_ROWS = 1_000_000  # crowd rows (one per profile per vacancy) a process keeps: about 300 MB
JOURNAL_SIZE = 1000  # catch-ups remembered; a crowd older than that is rebuilt from the population


@dataclass
class _Population:
    generation: int  # changes when the population is rebuilt: crowds from an older one are rebuilt too
    cursor: ChangeCursor  # where it is in the change log
    coords_key: int
    facts: dict[str, ProfileFacts]
    epoch: int = 0  # counts catch-ups that touched someone
    journal: deque[tuple[int, frozenset[str]]] = field(default_factory=lambda: deque(maxlen=JOURNAL_SIZE))

    def touched_after(self, epoch: int) -> set[str] | None:
        """Profiles touched by the catch-ups after `epoch`; None when the journal forgot some."""
        if epoch == self.epoch:
            return set()
        if not self.journal or self.journal[0][0] > epoch + 1:
            return None
        return {profile_id for at, ids in self.journal if at > epoch for profile_id in ids}


@dataclass
class _VacancyCrowd:
    generation: int
    epoch: int
    crowd: disclosure.Crowd
    position: dict[str, int]


class Crowds:
    """One process's population and per-vacancy crowds, per database."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._populations: dict[str, _Population] = {}
        self._crowds: OrderedDict[tuple, _VacancyCrowd] = OrderedDict()
        self._generations = 0

    def disclosures(
        self, session: Session, vacancy: Vacancy, shown: dict[str, Profile]
    ) -> tuple[VacancyFacts, dict[str, disclosure.Disclosure]]:
        """The vacancy as the crowd reads it, and what each shown profile's card may disclose: `shown` is
        every profile presented on the vacancy still there, disclosed together."""
        with self._lock:  # crowds are mutated by updates and filled lazily by disclose
            population = self._population(session)
            entry = self._vacancy_crowd(session, population, vacancy, shown)
            together = entry.crowd.disclose_together([entry.position[profile_id] for profile_id in shown])
            return entry.crowd.vacancy, {profile_id: together[entry.position[profile_id]] for profile_id in shown}

    def reset(self) -> None:
        with self._lock:
            self._populations.clear()
            self._crowds.clear()

    def _population(self, session: Session) -> _Population:
        url = str(session.get_bind().url)
        coords_key = coordinates_key(session)
        oldest, latest = log_bounds(session)
        population = self._populations.get(url)
        if population is None or population.coords_key != coords_key or missed_changes(
                oldest, population.cursor.version):
            self._generations += 1
            cursor = ChangeCursor(session, latest)
            facts = {f.profile_id: f for f in published_facts(session)}
            population = _Population(self._generations, cursor, coords_key, facts)
            self._populations[url] = population
        elif latest > population.cursor.version:
            _, upserts, deletes = changes_since(session, population.cursor)
            # Only card facts that differ are news to the crowds; a profile no longer published always is
            # (it may be presented somewhere, and its card still shows).
            touched = {f.profile_id for f in upserts if population.facts.get(f.profile_id) != f} | set(deletes)
            for profile_id in deletes:
                population.facts.pop(profile_id, None)
            population.facts.update((f.profile_id, f) for f in upserts)
            if touched:
                population.epoch += 1
                population.journal.append((population.epoch, frozenset(touched)))
        return population

    def _vacancy_crowd(
        self, session: Session, population: _Population, vacancy: Vacancy, shown: dict[str, Profile]
    ) -> _VacancyCrowd:
        key = (str(session.get_bind().url), vacancy.id, vacancy.version)
        related = taxonomy.scoring_options(session)["related"]
        entry = self._crowds.get(key)
        touched = None
        if entry is not None and entry.generation == population.generation:
            touched = population.touched_after(entry.epoch)
        coords = coordinates(session) if entry is None or touched is None or touched else None
        asked = entry.crowd.vacancy if coords is None else vacancy_facts(vacancy, coords)
        # Presented on this vacancy, then closed: its card still shows, so it stays in the crowd (counted
        # only while it passes the hard constraints).
        # A stale one's card shows nothing (matching/privacy/card.py): it leaves the crowd like the others.
        presented = set(session.exec(select(Match.profile_id).join(Profile, col(Profile.id) == Match.profile_id).where(
            Match.vacancy_id == vacancy.id, not_(reconfirmation.stale())))) | set(shown)
        if entry is None or touched is None:
            everyone = list(population.facts.values())
            read = disclosure.traits(everyone, asked, related)
            kept = [(f.profile_id, t) for f, t in zip(everyone, read, strict=True)
                    if t.eligible or f.profile_id in presented]
            crowd = disclosure.Crowd([t for _, t in kept], asked)
            entry = _VacancyCrowd(population.generation, population.epoch, crowd,
                                  {profile_id: i for i, (profile_id, _) in enumerate(kept)})
        else:
            changed = {i: population.facts.get(i) for i in touched if i in population.facts or i in entry.position}
            # A closed profile leaves; re-added below if presented here.
            self._update(entry, changed, asked, related, presented)
            entry.epoch = population.epoch
        absent = [i for i in presented if i not in entry.position or entry.crowd.people[entry.position[i]] is None]
        if absent:
            coords = coords or coordinates(session)
            # The shown ones come with their rows (read in this request, even if erased since).
            data = {i: shown[i].data for i in absent if i in shown}
            others = [i for i in absent if i not in shown]
            if others:
                data |= dict(session.exec(select(Profile.id, Profile.data).where(col(Profile.id).in_(others))).all())
            self._update(entry, {i: facts_from_data(i, d, coords) for i, d in data.items()}, asked, related, presented)
        self._crowds[key] = entry
        self._crowds.move_to_end(key)
        # Each crowd holds a row per profile: keep a bounded number of rows, not of vacancies.
        while len(self._crowds) > 1 and sum(len(c.position) for c in self._crowds.values()) > CROWD_CACHE_ROWS:
            self._crowds.popitem(last=False)
        return entry

    @staticmethod
    def _update(
        entry: _VacancyCrowd, changed: dict[str, ProfileFacts | None], asked: VacancyFacts, related: Related,
        presented: set[str],
    ) -> None:
        """Recode these profiles in the crowd: new ones take the next positions, None takes one out.

        Only who could have been presented (or was) is kept: the others never count, and a crowd sized by
        the eligible rather than by every published profile keeps each combination's arrays small.
        """
        present = [f for f in changed.values() if f is not None]
        traits = dict(zip((f.profile_id for f in present), disclosure.traits(present, asked, related), strict=True))
        updates: dict[int, disclosure.Traits | None] = {}
        for profile_id in changed:
            person = traits.get(profile_id)
            if person is not None and not person.eligible and profile_id not in presented:
                person = None
            if profile_id not in entry.position:
                if person is None:
                    continue
                entry.position[profile_id] = len(entry.position)
            updates[entry.position[profile_id]] = person
        entry.crowd.update(updates)


_crowds = Crowds()


def card_disclosures(
    session: Session, vacancy: Vacancy, shown: dict[str, Profile]
) -> tuple[VacancyFacts, dict[str, disclosure.Disclosure]]:
    """What each presented profile's card may disclose for this vacancy, against the eligible published
    profiles; `shown` is every profile presented on it still there."""
    return _crowds.disclosures(session, vacancy, shown)


def reset() -> None:
    """Forget every crowd (tests, or after a database switch)."""
    _crowds.reset()
