"""Where every web address in the content comes from (content/sources.yaml), language-neutral.

The assistant states only what the handbook or a cited public page says. A URL is a fact too: each one
that a content file shows is listed here with the handbook lines that give it, or with the public page
it was found on and the date it was checked. `python -m guide lint` fails on a URL without an entry.
"""

from __future__ import annotations

import datetime as dt
import re

from pydantic import BaseModel, ConfigDict, Field, model_validator

#: A web address as content writes it: with its scheme, or starting with 'www.'.
URL = re.compile(r"(?:https?://|www\.)[^\s)>\]\"'`<|]+")


def normalise(url: str) -> str:
    """The form a URL is listed under: without trailing punctuation or slash, 'www.' given a scheme."""
    url = url.rstrip(".,;:!?")
    if url.startswith("www."):
        url = "https://" + url
    return url.rstrip("/")


def urls_in(text: str) -> list[str]:
    """Every URL in a text (placeholders such as {nso_website} are not URLs)."""
    return [normalise(m.group(0)) for m in URL.finditer(text)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class UrlSource(_Strict):
    """One URL's source: the handbook's lines that give it, or a public page and when it was checked."""

    handbook: list[int] = Field(default_factory=list, description="Line numbers in the handbook "
                                "(handbook/000_3b971a07396a7929.txt) where the address appears")
    page: str | None = Field(None, description="A public page (title or address) that gives the address, "
                             "when the handbook does not")
    checked: dt.date | None = Field(None, description="The day the public page was checked")

    @model_validator(mode="after")
    def _one_source(self) -> UrlSource:
        if not self.handbook and not (self.page and self.checked):
            raise ValueError("give the handbook lines (`handbook: [n]`) or a public `page` with the date it "
                             "was `checked`")
        if any(n < 1 for n in self.handbook):
            raise ValueError("handbook line numbers start at 1")
        return self


class Sources(_Strict):
    """content/sources.yaml: every URL the content shows, keyed by the URL (no trailing slash)."""

    urls: dict[str, UrlSource] = Field(min_length=1)

    @model_validator(mode="after")
    def _keys_are_urls(self) -> Sources:
        for url in self.urls:
            if not url.startswith(("https://", "http://")) or normalise(url) != url:
                raise ValueError(f"'{url}': list a URL with its scheme and without a trailing slash")
        return self
