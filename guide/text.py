"""User text is text: one place that makes what people type (or put in a case file) safe to show.

- `clean(text)`: drops what changes how *other* text looks without being visible itself: bidi
  overrides/isolates/marks, zero-width characters, other format characters and control characters
  (newlines and tabs stay). For plain-text places: CSV, PDF, e-mail, `st.text`, `st.code`.
- `escape_markdown(text)`: `clean` plus escaping for Streamlit Markdown, so the text shows literally:
  no HTML, links, autolinks, emphasis, headings, lists, tables, math (`$x$`), emoji or icon shortcodes
  (`:smile:`, `:material/home:`), colour or other directives (`:red[...]`), arrows (` <- ` as ←).
- `visible(text)`: for terminals and error messages: control and format characters written as escapes
  (`\\x1b`, `\\u202e`), so a file cannot clear the screen or reverse the text after it.
- `preview(value)`: a short, bounded quotation of a value for an error message.

For content (trusted Markdown): `literal_asterisks(markdown)` escapes the asterisks that mean the
character itself, and `readable(markdown)` is the plain text a reader sees (search snippets, the PDF).
"""

from __future__ import annotations

import re
import reprlib
import string
import unicodedata

#: Streamlit's emoji and icon shortcodes are replaced in the text *after* Markdown escapes are undone,
#: so a backslash cannot stop `:smile:`. A WORD JOINER (invisible, no line break) after each colon does.
WORD_JOINER = "\u2060"
_KEEP = {"\n", "\t"}
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$&@=^])")
_DOMAIN_DOT = re.compile(r"(?<=\w)\.")
_AT = re.compile(r"@")
#: Streamlit writes ' <- ', ' -> ', ' <-> ', ' -- ', ' >= ', ' <= ', ' ~= ' in text as arrows and signs
#: (←, →, ↔, —, ≥, ≤, ≈), also after escapes are undone: a WORD JOINER between the two characters stops it
_TYPOGRAPHY = re.compile(r"(?<=[<>~-])(?=[>=-])")
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
    text = _TYPOGRAPHY.sub(WORD_JOINER, text)
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


#: A lone asterisk with no letter or digit on either side ('(*)', "'* indicates", '< > *') means the
#: character itself: Markdown would pair two of them into emphasis. A list marker at a line's start is kept.
_LONE_ASTERISK = re.compile(r"(?<![*\\\w])\*(?![*\w])")
_CODE_SPAN = re.compile(r"(`+)(?:.|\n)*?(?<!`)\1(?!`)")
_LIST_MARKER = re.compile(r"(?:^|\n)[ \t]*$")


def literal_asterisks(markdown: str) -> str:
    """Content Markdown with every asterisk that stands for itself escaped (not inside `code`), so that
    'Een sterretje (*) betekent ... ('* indicates a required field')' shows both asterisks, not italics."""
    out, last = [], 0
    for code in _CODE_SPAN.finditer(markdown):
        out.append(_escape_lone(markdown[last:code.start()]))
        out.append(code.group())
        last = code.end()
    out.append(_escape_lone(markdown[last:]))
    return "".join(out)


def _escape_lone(text: str) -> str:
    def one(m: re.Match[str]) -> str:
        before = text[:m.start()]
        if _LIST_MARKER.search(before) and text[m.end():m.end() + 1] in (" ", "\t"):
            return m.group()  # '* item': a list
        return "\\*"
    return _LONE_ASTERISK.sub(one, text)


_MD_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_URL = re.compile(r"<https?://[^>\s]*>|https?://[^\s<>()]*[^\s<>().,;:!?'\"]")  # not the sentence's full stop
_PLACEHOLDER = re.compile(r"\{[a-zA-Z_][a-zA-Z0-9_]*\}")
_ICON = re.compile(r":material/[a-z0-9_]+:")
_DIRECTIVE = re.compile(r":[a-z]+\[([^\]]*)\]")
_LINE_MARK = re.compile(r"(?m)^[ \t]*(?:[-*+][ \t]+|\d+[.)][ \t]+|#{1,6}[ \t]+|>[ \t]?)")
_EMPHASIS = re.compile(r"(?<!\\)(?:\*+|(?<!\w)_+|_+(?!\w))")
_ESCAPED = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|<>~])")


def readable(markdown: str) -> str:
    """Content Markdown as the plain text a reader sees: link words without their targets, no URLs, no
    emphasis or code marks, no list or heading marks, placeholders as '…'; literal asterisks and
    brackets stay. For search snippets (shown as plain text)."""
    out, last = [], 0
    for code in _CODE_SPAN.finditer(markdown):  # code shows as it is, without its backticks
        out.append(_readable(markdown[last:code.start()]))
        out.append(code.group().strip("`"))
        last = code.end()
    out.append(_readable(markdown[last:]))
    return "".join(out)


def _readable(markdown: str) -> str:
    text = _escape_lone(markdown)
    text = _MD_LINK.sub(r"\1", text)
    text = _URL.sub(" ", text)
    text = _ICON.sub("", text)
    text = _DIRECTIVE.sub(r"\1", text)
    text = _PLACEHOLDER.sub("…", text)
    text = _LINE_MARK.sub("", text)
    text = _EMPHASIS.sub("", text)
    return _ESCAPED.sub(r"\1", text)


def placeholders(text: str) -> set[str]:
    """The {names} that str.format fills in `text` (as the fix and hand-over texts are filled); {{ and }}
    are literal braces. A text with a lone brace is no template: it has none."""
    try:
        return {name for _, name, _, _ in string.Formatter().parse(text) if name}
    except ValueError:
        return set()
