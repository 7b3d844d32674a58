"""A profile's short code is stable, short, readable by hand, and differs between profiles."""

from matching.profile_code import ALPHABET, profile_code
from matching.store.models import new_id


def test_the_same_id_gives_the_same_code_and_ids_rarely_share_one():
    ids = [new_id("prf") for _ in range(2000)]
    codes = [profile_code(i) for i in ids]
    assert codes == [profile_code(i) for i in ids]
    assert len(set(codes)) == len(codes)
    for code in codes[:50]:
        assert len(code) == 9 and code[4] == "-"
        assert set(code.replace("-", "")) <= set(ALPHABET) and not set(code) & set("ILOU")
