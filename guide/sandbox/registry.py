"""The declaration of every sandbox action: `@action(...)` carries its part of the journey, its label on the
platform, who does it and the handbook step; the screens, the workshop and the permission check read it here.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal, TypeVar

from ..errors import suggestion
from .outcome import ActionError, Outcome

#: Who acts on the real platform. Only the teacher's own actions are theirs in a workshop; the others
#: (the NSO, a partner, the Central Support Service, time passing) are the trainer's commands.
By = Literal["teacher", "nso", "partner", "support", "clock"]
Fn = TypeVar("Fn", bound=Callable[..., Outcome])


@dataclass(frozen=True)
class Action:
    """One simulated platform action, as declared by `@action`."""

    name: str
    fn: Callable[..., Outcome]
    #: the part of the journey (a flow id in content/<lang>/flows.yaml), None on every part's screen
    part: str | None
    #: the platform's own English words ('Create project'), shown as they are in every language ...
    platform: str | None
    #: ... or, where the platform has no button, a phrase of ours, translated through the catalog
    phrase: str | None
    by: By
    #: the handbook step that explains it (a step id), if one does
    step: str | None

    @property
    def by_teacher(self) -> bool:
        return self.by == "teacher"

    @property
    def label(self) -> str:
        """The untranslated label: platform words, or the phrase's msgid (the UI translates phrases)."""
        return self.platform or self.phrase or self.name

    @property
    def needs(self) -> tuple[str, ...]:
        """The arguments it takes besides the case (its form's fields), from its signature."""
        return tuple(p for p in inspect.signature(self.fn).parameters if p not in ("case", "world"))


_declared: dict[str, Action] = {}


def action(*, part: str | None, by: By, platform: str | None = None, phrase: str | None = None,
           step: str | None = None) -> Callable[[Fn], Fn]:
    """Declare a function `(case, **args) -> Outcome` a sandbox action; give exactly one of platform/phrase."""
    if (platform is None) == (phrase is None):
        raise TypeError("@action: give the platform's label or a phrase, exactly one")

    def register(fn: Fn) -> Fn:
        if fn.__name__ in _declared:
            raise ValueError(f"sandbox action '{fn.__name__}' is declared twice")
        _declared[fn.__name__] = Action(fn.__name__, fn, part, platform, phrase, by, step)
        return fn

    return register


def declared() -> dict[str, Action]:
    """Every declared action by name, in declaration order (guide.sandbox.actions orders them for the page)."""
    return dict(_declared)


def get_action(name: str, among: dict[str, Action] | None = None) -> Action:
    table = _declared if among is None else among
    found = table.get(name)
    if found is None:
        raise ActionError(f"unknown sandbox action '{name}'{suggestion(name, table)}")
    return found
