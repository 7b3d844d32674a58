"""A seeded programme year: sixty profiles as counsellors in Brussels would publish them.

The spread follows what such a programme looks like: most people live in a handful of communes,
take public transport, speak French and Romani, some Dutch, Romanian or Bulgarian, look for 19 to 38
hours and can start within a few months. It is the population the k-anonymity tests hide cards in.
"""

from __future__ import annotations

import random
from typing import Any

POSTCODES = ["1070", "1070", "1070", "1080", "1080", "1030", "1030", "1210", "1000", "1060", "1190", "1020",
             "1140", "1120", "1180", "1200", "1040", "1050", "1081", "1082", "1083", "1090", "1150", "1160"]
CLEANING = ["bm:skill:office-cleaning", "bm:skill:scrubber-dryer", "bm:skill:sanitary-cleaning",
            "bm:skill:floor-cleaning", "bm:skill:window-cleaning", "bm:skill:dusting", "bm:skill:disinfection",
            "bm:skill:cleaning-products", "bm:skill:waste-sorting", "bm:skill:carpet-cleaning"]
WAREHOUSE = ["bm:skill:order-picking", "bm:skill:scanner", "bm:skill:pallet-truck", "bm:skill:packing",
             "bm:skill:loading-unloading"]
HOURS = [(19, 38), (19, 38), (24, 38), (30, 38), (10, 24), (19, 30), (38, 38), (20, 30), (13, 25)]
SHIFTS = [["early_morning", "day"], ["early_morning"], ["day"], ["day", "evening"], ["evening"],
          ["early_morning", "day", "evening"], ["day", "weekend"]]
LEVELS = ["A1", "A2", "B1", "B2", "C1", "C2"]


def _level(rng: random.Random, low: int, high: int) -> str:
    return LEVELS[rng.randint(low, high)]


def profile_bodies(seed: int, n: int = 60) -> list[dict[str, Any]]:
    """`n` profile bodies for POST /v1/profiles, the same for the same seed."""
    rng = random.Random(seed)
    bodies = []
    for _ in range(n):
        languages = [{"code": "fr", "spoken": _level(rng, 1, 5), "written": _level(rng, 0, 3)}]
        if rng.random() < 0.75:
            languages.append({"code": "rom", "spoken": "C2", "written": _level(rng, 0, 1)})
        if rng.random() < 0.4:
            languages.append({"code": "nl", "spoken": _level(rng, 0, 3), "written": _level(rng, 0, 2)})
        if rng.random() < 0.3:
            languages.append({"code": rng.choice(["ro", "bg"]), "spoken": "C1", "written": _level(rng, 0, 4)})
        if rng.random() < 0.2:
            languages.append({"code": "en", "spoken": _level(rng, 0, 3), "written": _level(rng, 0, 2)})
        pool = CLEANING if rng.random() < 0.7 else WAREHOUSE
        skills = [
            {"concept_id": concept, "level": rng.choice(["basic", "intermediate", "advanced"]),
             "evidence": rng.choice(["self_declared", "observed", "certified"])}
            for concept in rng.sample(pool, rng.randint(2, 4))
        ]
        low, high = rng.choice(HOURS)
        month = rng.choice([(2026, 10), (2026, 11), (2026, 12), (2027, 1), (2027, 2), (2027, 3)])
        bodies.append(
            {
                "skills": skills,
                "languages": languages,
                "availability": {
                    "hours_min": low,
                    "hours_max": high,
                    "shifts": rng.choice(SHIFTS),
                    "start": f"{month[0]}-{month[1]:02d}-{rng.randint(1, 28):02d}",
                },
                "mobility": {
                    "postcode": rng.choice(POSTCODES),
                    "max_commute_minutes": rng.choice([30, 45, 45, 60]),
                    "transport": rng.choice([["public_transport"], ["public_transport", "walk"],
                                             ["public_transport", "bike"], ["car"]]),
                },
                "phase": "job_search",
                "pitch": "Ponctuelle et motivée, j'aime le travail bien fait.",
                "pitch_visible": rng.random() < 0.5,
            }
        )
    return bodies
