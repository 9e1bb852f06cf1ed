"""Helpers every AppTest module shares: open a page of the whole app, walk its elements, find by key."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest
from streamlit.util import calc_hash

APP = "../app.py"
TIMEOUT = 60


def open_page(url_path: str, lang: str | None = "nl", **params: str) -> AppTest:
    """An AppTest of the whole app (app.py, st.navigation, sidebar) opened at /<url_path>?lang=..&params.

    AppTest.switch_page() only knows file pages; ours are callables. st.Page identifies a page by the
    hash of its url_path, which is what a browser's rerun request carries, so the test sends that.
    """
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    if lang:
        at.query_params["lang"] = lang
    at.query_params.update(params)
    at._page_hash = calc_hash(url_path)
    return at


def walk(node):
    """Every element under a block, in page order."""
    yield node
    for child in getattr(node, "children", {}).values():
        yield from walk(child)


def texts(at: AppTest) -> list[str]:
    """The text of every heading, Markdown, caption, text, alert and code element of the main area, in order."""
    return [n.value for n in walk(at.main) if isinstance(getattr(n, "value", None), str)
            and type(n).__name__ in {"Title", "Header", "Subheader", "Markdown", "Caption", "Text", "Code",
                                     "Info", "Warning", "Error", "Success"}]


def shown(at: AppTest) -> str:
    """All text of the main area (alerts, Markdown, captions, widget values), to search in."""
    return "\n".join(str(n.value) for n in walk(at.main) if isinstance(getattr(n, "value", None), str))


def by_key(at: AppTest, key: str):
    found = [n for n in walk(at._tree) if getattr(n, "key", None) == key]
    assert found, f"no widget with key {key!r} on the page"
    return found[0]


def button(at: AppTest, label: str):
    """The button with this label (the first, as a person reads the page)."""
    found = [b for b in at.button if b.label == label]
    assert found, f"no button {label!r} on the page"
    return found[0]


def choose_screen(at: AppTest, action: str) -> AppTest:
    """In the practice sandbox, open the screen of `action` with the screen chooser, as a teacher does (one
    screen at a time, as on ESEP); nothing happens when it is open already. The chooser lists the screens of
    the chosen part of the journey, by their titles."""
    chooser = by_key(at, "sb_screen")
    if chooser.value != action:
        chooser.set_value(action)  # fails if this part has no such screen
        at.run()
        assert not at.exception, [e.value for e in at.exception]
        assert by_key(at, "sb_screen").value == action
    return at
