"""The sandbox's world: the school directory and the cast of fictional teachers (content/sandbox/world.yaml)."""

from __future__ import annotations

import unicodedata
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from .. import CONTENT_DIR
from ..case.model import Country
from ..errors import ContentError, Problem, suggestion
from ..yamlio import YamlSyntaxError, load_file, problems_from_validation

WORLD_FILE = CONTENT_DIR / "sandbox" / "world.yaml"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class School(_Strict):
    """One entry of the platform's school directory, as 'Add organisation' lists it."""

    id: int = Field(gt=0, description="The platform's organisation number, shown as 'Name (id)'")
    name: str = Field(min_length=1)
    city: str = Field(min_length=1)
    country: Country
    etwinning_validated: bool = Field(description="Shown as 'eTwinning Validated' in the directory")
    source: Literal["handbook", "fictional"] = Field("fictional", description="handbook: listed in the handbook's screenshot")


class CastMember(_Strict):
    """A fictional teacher the practising teacher can contact, invite and found a project with."""

    name: str = Field(min_length=1)
    country: Country
    school: int = Field(description="Id of their school in `schools`")
    validated: bool = Field(description="Their NSO has validated their account")
    available_for_projects: bool = Field(description="Ticked 'Available for eTwinning project'")
    accepts: Literal["at_once", "next_day", "never"] = Field(
        description="How they answer a contact request or co-founder invitation")


class World(_Strict):
    schools: list[School] = Field(min_length=1)
    cast: list[CastMember] = Field(min_length=1)

    @model_validator(mode="after")
    def _consistent(self) -> World:
        ids = [s.id for s in self.schools]
        dupes = sorted({i for i in ids if ids.count(i) > 1})
        if dupes:
            raise ValueError(f"school ids must be unique; repeated: {dupes}")
        names = [c.name for c in self.cast]
        twice = sorted({n for n in names if names.count(n) > 1})
        if twice:
            raise ValueError(f"cast names must be unique; repeated: {twice}")
        for member in self.cast:
            school = next((s for s in self.schools if s.id == member.school), None)
            if school is None:
                raise ValueError(f"cast member '{member.name}': school {member.school} is not in schools")
            if school.country != member.country:
                raise ValueError(f"cast member '{member.name}': country {member.country} differs from "
                                 f"their school's country {school.country}")
        return self

    # -- look-ups --------------------------------------------------------------------------
    def school(self, school_id: int) -> School | None:
        return next((s for s in self.schools if s.id == school_id), None)

    def member(self, name: str) -> CastMember | None:
        return next((c for c in self.cast if c.name == name), None)

    def member_hint(self, name: str) -> str:
        """' (did you mean ...)' for a misspelt cast name."""
        return suggestion(name, [c.name for c in self.cast])

    def search_schools(self, city: str, country: str | None = None) -> list[School]:
        """Directory search by city or municipality (ch. 3a step 4): validated and non-validated entries."""
        wanted = _fold(city)
        if len(wanted) < 2:
            return []
        return [s for s in self.schools
                if wanted in _fold(s.city) and (country is None or s.country == country.upper())]


def _fold(text: str) -> str:
    """Case- and accent-insensitive form: 'krakow' finds Kraków."""
    decomposed = unicodedata.normalize("NFKD", text.strip().casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def read_world(path: Path) -> World:
    """Load and validate a world file; ContentError names the file, line and field."""
    display = str(path)
    try:
        data = load_file(path, display)
    except YamlSyntaxError as exc:
        raise ContentError([exc.problem]) from None
    if not isinstance(data, dict):
        raise ContentError([Problem(display, "expected a mapping with 'schools' and 'cast'", 1)])
    try:
        return World.model_validate(data)
    except ValidationError as exc:
        raise ContentError(problems_from_validation(exc, display, path.read_text(encoding="utf-8"), World)) from None


@lru_cache(maxsize=4)
def load_world(path: Path = WORLD_FILE) -> World:
    """The sandbox world, read once per process (it is read-only data)."""
    return read_world(path)
