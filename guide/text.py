"""User text is text: one place that makes what people type (or put in a case file) safe to show.

- `clean(text)`: drops what changes how *other* text looks without being visible itself: bidi
  overrides/isolates/marks, zero-width characters, other format characters and control characters
  (newlines and tabs stay). For plain-text places: CSV, PDF, e-mail, `st.text`, `st.code`.
- `escape_markdown(text)`: `clean` plus escaping for Streamlit Markdown, so the text shows literally:
  no HTML, links, autolinks, emphasis, headings, lists, tables, math (`$x$`), emoji or icon shortcodes
  (`:smile:`, `:material/home:`), colour or other directives (`:red[...]`).
- `visible(text)`: for terminals and error messages: control and format characters written as escapes
  (`\\x1b`, `\\u202e`), so a file cannot clear the screen or reverse the text after it.
- `preview(value)`: a short, bounded quotation of a value for an error message.
"""

from __future__ import annotations

import re
import reprlib
import unicodedata

#: Streamlit's emoji and icon shortcodes are replaced in the text *after* Markdown escapes are undone,
#: so a backslash cannot stop `:smile:`. A WORD JOINER (invisible, no line break) after each colon does.
WORD_JOINER = "\u2060"
_KEEP = {"\n", "\t"}
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$&@=^])")
_DOMAIN_DOT = re.compile(r"(?<=\w)\.")
_AT = re.compile(r"@")
PREVIEW_CHARS = 60
#: Length caps of free-text fields: one line (names, titles, e-mail addresses) and a text area.
MAX_SHORT = 200
MAX_LONG = 4000


def _dropped(ch: str) -> bool:
    if ch in _KEEP:
        return False
    cat = unicodedata.category(ch)
    return cat[0] == "C" or cat in ("Zl", "Zp")


def clean(text: str) -> str:
    """`text` without invisible characters that change the display (bidi, zero-width, controls)."""
    text = str(text)
    if text.isascii() and text.isprintable():  # the usual case: nothing to drop
        return text
    return "".join(ch for ch in text if not _dropped(ch))


def escape_markdown(text: str) -> str:
    """User data inside Streamlit Markdown: shown literally, as the same visible text the person typed."""
    text = clean(text)
    # Streamlit links www.example.org and a@b.org in the text after escapes are undone: break them
    text = _DOMAIN_DOT.sub(WORD_JOINER + ".", text)
    text = _AT.sub("@" + WORD_JOINER, text)
    out = _MD_SPECIAL.sub(r"\\\1", text)
    return out.replace(":", ":" + WORD_JOINER)


def visible(text: str) -> str:
    """Control and format characters as escapes (\\x1b, \\u202e); everything else as it is."""
    text = str(text)
    if text.isprintable():
        return text
    out = []
    for ch in text:
        if unicodedata.category(ch)[0] != "C" and ch not in "\u2028\u2029":
            out.append(ch)
        else:
            code = ord(ch)
            out.append(f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}")
    return "".join(out)


class _Preview(reprlib.Repr):
    def __init__(self) -> None:
        super().__init__()
        self.maxlevel, self.maxlist, self.maxtuple, self.maxdict, self.maxset = 2, 4, 4, 3, 4
        self.maxstring, self.maxother, self.maxlong = PREVIEW_CHARS, PREVIEW_CHARS, 30

    def repr_int(self, x: int, level: int) -> str:
        digits = x.bit_length() * 0.30103
        if digits > 30:  # never turned into digits: past 4,300 Python refuses, and it is no use anyway
            return f"<a number of about {int(digits)} digits>"
        return repr(x)


_preview = _Preview()


def preview(value: object) -> str:
    """A value quoted for a message: at most about PREVIEW_CHARS characters, controls escaped."""
    text = _preview.repr(value)
    if len(text) > PREVIEW_CHARS + 10:
        text = text[:PREVIEW_CHARS] + "…"
    return visible(text)
