"""`blindmatch taxonomy import-esco` says how many ISCO groups it imported, and imports them only once."""

from __future__ import annotations

import shutil

from tests.test_cli import embedded_env, run


def test_import_esco_reports_the_isco_groups(tmp_path, shared_data):
    env = embedded_env(tmp_path)
    source = tmp_path / "esco"
    source.mkdir()
    for name in ("occupations_fr.csv.gz", "ISCOGroups_fr.csv.gz", "broaderRelationsOccPillar_en.csv.gz"):
        shutil.copy(shared_data / "esco-v1.1.1" / name, source / name)
    for attempt in range(2):
        result = run(["taxonomy", "import-esco", str(source), "--languages", "fr"], env)
        assert result.returncode == 0, result.stderr[-2000:]
        printed = " ".join(result.stdout.split())
        assert "3007 occupations and 619 ISCO groups imported" in printed, (attempt, result.stdout[-2000:])
        assert ("taxonomy changed" if attempt == 0 else "nothing changed") in printed
