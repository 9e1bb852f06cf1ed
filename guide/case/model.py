"""The case-v1 model: exactly the public format of docs/contracts/case-v1.md, strictly validated."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError
from pydantic_core import PydanticCustomError

from ..errors import CaseError, Problem
from ..text import preview
from ..yamlio import YamlSyntaxError, parse, problems_from_validation


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=True)


def _iso_country(code: str) -> str:
    import pycountry  # its import reads package metadata: only when a case names a country

    if pycountry.countries.get(alpha_2=code) is None or code != code.upper():
        # a type code of its own, so that the message is worded in the reader's language (guide.errors)
        raise PydanticCustomError("country_code", "{value} is not an ISO 3166-1 alpha-2 country code (e.g. NL, BE, PL)",
                                  {"value": preview(code)})
    return code


Country = Annotated[str, AfterValidator(_iso_country)]

Role = Literal["teacher", "head", "teacher_trainer", "student_teacher", "other"]
Browser = Literal["edge", "chrome", "firefox", "safari", "other"]
Want = Literal[
    "create_project", "add_partner", "invite_members", "edit_profile", "change_login_email",
    "delete_account", "change_school", "close_project", "reopen_project", "edit_project",
    "edit_room", "add_pupils", "create_group", "apply_nql", "apply_eql", "apply_school_label",
]


class Person(Strict):
    name: str = ""
    country: Country | None = None
    role: Role = "teacher"
    browser: Browser | None = None


class EuLogin(Strict):
    email: str = ""
    email_kind: Literal["private", "school"] | None = None
    confirmed: bool = False
    can_log_in: bool | None = None  # v2, optional: false = cannot log in although EU Login exists


ACTIVITY_KINDS = ("projects", "twinspaces", "groups", "labels")


class Activity(Strict):
    """What an account did on the platform. A count left out is unknown (v2), never taken as 0."""

    projects: int | None = Field(None, ge=0)
    twinspaces: int | None = Field(None, ge=0)
    groups: int | None = Field(None, ge=0)
    labels: int | None = Field(None, ge=0)

    def known(self) -> dict[str, int]:
        """The counts the case gives, by kind."""
        return {k: v for k in ACTIVITY_KINDS if (v := getattr(self, k)) is not None}


class Account(Strict):
    id: int | None = None
    email: str = ""
    origin: Literal["new", "imported"] = "new"
    joined_etwinning: bool = False
    policies_accepted: bool = False
    status: Literal["pending", "validated", "rejected", "deactivated"] = "pending"
    submitted_on: dt.date | None = None
    email_known: bool = True
    activity: Activity = Field(default_factory=Activity)  # absent: every count unknown


class Photo(Strict):
    type: str
    size_mb: float = Field(ge=0)


class Profile(Strict):
    available_for_projects: bool = False
    description: str = ""
    subjects: list[str] = Field(default_factory=list)
    languages: list[str] = Field(default_factory=list)
    photo: Photo | None = None


class Organisation(Strict):
    id: int | None = None
    name: str
    city: str = ""
    country: Country | None = None
    etwinning_validated: bool = False
    role: Literal["teacher", "head", "librarian", "company_staff", "other", ""] | None = None
    principal_up_to_date: bool = True


class SchoolSearch(Strict):
    city: str = ""
    found: bool = True


class Contact(Strict):
    name: str
    country: Country | None = None
    status: Literal["accepted", "request_sent", "request_received"] = "accepted"
    validated: bool = True
    available_for_projects: bool = True


class Cofounder(Strict):
    name: str
    invitation: Literal["not_sent", "pending", "accepted", "declined"] = "not_sent"


class Page(Strict):
    title: str
    visibility: Literal["admins", "members", "public"] = "members"
    pupil_content: bool = False


class Material(Strict):
    name: str
    kind: str = "image"
    shows_pupils: bool | None = None  # v2, optional: the image shows pupils


class TwinboardItem(Strict):
    title: str
    image: str | None = None
    shows_pupils: bool | None = None  # v2, optional: the item's image shows pupils


class Member(Strict):
    name: str
    kind: Literal["teacher", "pupil"] = "teacher"
    in_project: bool = True
    consent: bool = True


class TwinSpace(Strict):
    pages: list[Page] = Field(default_factory=list)
    materials: list[Material] = Field(default_factory=list)
    twinboard_items: list[TwinboardItem] = Field(default_factory=list)
    members: list[Member] = Field(default_factory=list)


class Project(Strict):
    title: str = ""
    role: Literal["founder", "cofounder", "member"] = "founder"
    founder: str = "self"
    cofounders: list[Cofounder] = Field(default_factory=list)
    status: Literal["draft", "pending", "active", "closed"] = "draft"
    nso_approvals: dict[Country, Literal["approved", "pending", "rejected"]] = Field(default_factory=dict)
    short_description: str = ""
    aims: str = ""
    work_process: str = ""
    expected_results: str = ""
    repeat_next_year: bool = False
    twinspace: TwinSpace | None = None


class Group(Strict):
    title: str
    status: Literal["pending", "active", "closed"] = "pending"
    owner: str = "self"


class Room(Strict):
    title: str
    creator: str = "self"


class Label(Strict):
    kind: Literal["NQL", "EQL", "school_label"]
    awarded_on: dt.date | None = None


class Case(Strict):
    """One teacher's situation on ESEP. Every section optional; absent means 'not known / not there yet'."""

    version: Literal[1] = 1
    today: dt.date | None = None
    person: Person = Field(default_factory=Person)
    wants: list[Want] = Field(default_factory=list)
    eu_login: EuLogin | None = None
    accounts: list[Account] = Field(default_factory=list)
    profile: Profile | None = None
    organisations: list[Organisation] = Field(default_factory=list)
    school_search: SchoolSearch | None = None
    contacts: list[Contact] = Field(default_factory=list)
    projects: list[Project] = Field(default_factory=list)
    groups: list[Group] = Field(default_factory=list)
    rooms: list[Room] = Field(default_factory=list)
    labels: list[Label] = Field(default_factory=list)

    # -- derived facts shared by many rules -------------------------------------------------
    @property
    def judged_on(self) -> dt.date:
        return self.today or dt.date.today()

    @property
    def live_accounts(self) -> list[Account]:
        return [a for a in self.accounts if a.status != "deactivated"]

    @property
    def account(self) -> Account | None:
        """The account that counts: the first live one, else the first one."""
        live = self.live_accounts
        return live[0] if live else (self.accounts[0] if self.accounts else None)

    def contact(self, name: str) -> Contact | None:
        return next((c for c in self.contacts if c.name == name), None)

    def wants_any(self, *wants: str) -> bool:
        return any(w in self.wants for w in wants)


def home_country(case: Case) -> str | None:
    """The teacher's country: the person's, else their school's."""
    if case.person.country:
        return case.person.country
    return next((o.country for o in case.organisations if o.country), None)


# -- reading and writing case files ------------------------------------------------------------

def parse_case(text: str, file: str = "<case>") -> Case:
    """Parse and validate case-v1 YAML text; raise CaseError naming file, line, field path, expectation."""
    try:
        data, node = parse(text, file)  # parsed once; the node tree gives every problem its line
    except YamlSyntaxError as exc:
        raise CaseError([exc.problem]) from None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise CaseError([Problem.of("case_not_mapping", file, 1, type=type(data).__name__)])
    if "version" not in data:
        raise CaseError([Problem.of("missing_version", file, 1, "version")])
    try:
        return Case.model_validate(data)
    except ValidationError as exc:
        raise CaseError(problems_from_validation(exc, file, node, Case)) from None


#: A case file is a few KB; anything larger is not one (the same limit for uploads and the command line).
MAX_CASE_BYTES = 256 * 1024


def too_big(file: str, size: int) -> CaseError:
    return CaseError([Problem.of("too_big", file, kb=size // 1024, limit=MAX_CASE_BYTES // 1024)])


def load_case(path: str | Path) -> Case:
    path = Path(path)
    try:
        with path.open("rb") as f:
            data = f.read(MAX_CASE_BYTES + 1)
            if len(data) > MAX_CASE_BYTES:
                f.seek(0, 2)
                raise too_big(str(path), f.tell())
        text = data.decode("utf-8")
    except FileNotFoundError:
        raise CaseError([Problem.of("file_not_found", str(path))]) from None
    except IsADirectoryError:
        raise CaseError([Problem.of("is_folder", str(path))]) from None
    except OSError as exc:
        raise CaseError([Problem.of("unreadable", str(path), reason=str(exc.strerror or exc))]) from None
    except UnicodeDecodeError as exc:
        raise CaseError([Problem.of("not_utf8", str(path), byte=str(exc.start))]) from None
    return parse_case(text, str(path))


def case_to_data(case: Case) -> dict[str, Any]:
    """The case as plain data, leaving out what is unset so that a saved file stays short."""
    data = case.model_dump(mode="json", exclude_unset=True)
    data["version"] = 1
    return data


def dump_case(case: Case) -> str:
    data = case_to_data(case)
    ordered = {"version": 1, **{k: v for k, v in data.items() if k != "version"}}
    return yaml.safe_dump(ordered, sort_keys=False, allow_unicode=True)
