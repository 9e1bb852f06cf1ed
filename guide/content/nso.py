"""National Support Organisations: contact details per country (content/nso.yaml), language-neutral."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError

from .. import CONTENT_DIR
from ..errors import ContentError, Problem
from ..yamlio import YamlSyntaxError, load_text, problems_from_validation

NSO_FILE = "nso.yaml"


def _iso_country(code: str) -> str:
    import pycountry  # its import reads package metadata: only when a country is checked

    if code != code.upper() or pycountry.countries.get(alpha_2=code) is None:
        raise ValueError(f"'{code}' is not an ISO 3166-1 alpha-2 country code (e.g. NL, BE, PL)")
    return code


CountryCode = Annotated[str, AfterValidator(_iso_country)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class NsoContact(Strict):
    """One country's National Support Organisation, as its public pages (or the handbook) give it."""

    name: str = Field(min_length=1, description="The NSO's own name, e.g. 'eTwinning Nederland (Nuffic)'")
    email: str = Field(pattern=r"^[^@\s]+@[^@\s]+\.[a-z]{2,}$")
    phone: str = Field(min_length=1)
    website: str = Field(pattern=r"^https://", description="The NSO's contact page")
    source: str = Field(min_length=1, description="Where these details come from (the handbook, a public page URL)")


class EsepContact(Strict):
    """Where every NSO is listed: ESEP's 'Contact and support' page (Home > About > Contact and support)."""

    url: str = Field(pattern=r"^https://")
    source: str = Field(min_length=1)


class NsoContacts(Strict):
    """content/nso.yaml: the NSO per country; a country not listed gets the ESEP list."""

    esep_contact: EsepContact
    countries: dict[CountryCode, NsoContact] = Field(default_factory=dict)


def read_nso(path: Path) -> NsoContacts:
    """Read and validate an NSO file; ContentError names the file, line and field on a mistake."""
    display = str(path)
    try:
        text = path.read_text(encoding="utf-8")
        data = load_text(text, display)
    except FileNotFoundError:
        raise ContentError([Problem(display, "file not found")]) from None
    except YamlSyntaxError as exc:
        raise ContentError([exc.problem]) from None
    try:
        return NsoContacts.model_validate(data)
    except ValidationError as exc:
        raise ContentError(problems_from_validation(exc, display, text, NsoContacts)) from None


@cache
def load_nso(root: Path = CONTENT_DIR) -> NsoContacts:
    return read_nso(root / NSO_FILE)


def nso_for(country: str | None) -> NsoContact | None:
    """The NSO of `country` (ISO code), or None when no public address is on file."""
    if not country:
        return None
    return load_nso().countries.get(country.upper())


def esep_contact_url() -> str:
    """ESEP's 'Contact and support' page, which lists every National Support Organisation."""
    return load_nso().esep_contact.url
