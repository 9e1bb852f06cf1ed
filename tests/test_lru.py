"""The process-wide tables (a case's rules, a participant's row on the board) keep at most their size: the
least recently used value goes first, and a value is made once while it is kept."""

from guide.lru import Bounded


def test_the_least_recently_used_goes_first_and_a_kept_value_is_not_made_again():
    made: list[str] = []

    def make(key: str):
        return lambda: made.append(key) or key.upper()

    table: Bounded[str] = Bounded(2)
    assert table.made("a", make("a")) == "A" and table.made("b", make("b")) == "B"
    assert table.made("a", make("a")) == "A"  # kept: not made again, and now the most recently used
    table.put("c", "C")  # over the size: 'b', used least recently, goes
    assert "b" not in table and "a" in table and table.get("c") == "C" and len(table) == 2
    assert made == ["a", "b"]
    assert table.made("b", make("b")) == "B" and made == ["a", "b", "b"]  # gone, so made anew
