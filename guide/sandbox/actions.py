"""The simulated ESEP actions, in the order the sandbox shows them, and `apply` to run one by name.

Every action is a pure function `(case, **args) -> Outcome`, declared with `@action` (registry.py) next to
its code. Where the platform refuses, the refusal is decided by the rule that `diagnose` reports for that
situation (see outcome.gate), so the sandbox and the diagnosis never disagree. Where the handbook is
silent, the choice is written next to the code.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from typing import Any

from ..case.model import Case
from ..errors import suggestion
from ..text import MAX_LONG, MAX_SHORT
from . import profile, projects, registration
from .outcome import ActionError, Outcome
from .projects import cofounder_options
from .registry import Action, declared, get_action

__all__ = ["ACTIONS", "Action", "ActionError", "Outcome", "apply", "cofounder_options", "in_part", "text_limit",
           "too_long"]

#: The order of the sandbox's screens: by part of the journey; in each part the teacher's own actions,
#: then what others do. One place, so that the page does not depend on which module was imported first.
ORDER = (
    registration.create_eu_login, registration.confirm_eu_login, registration.register_account,
    registration.join_etwinning, registration.deactivate_account, registration.nso_remove_account,
    registration.support_solves_login,
    profile.set_available, profile.edit_profile, profile.upload_photo, profile.search_schools,
    profile.add_organisation, profile.set_role, profile.leave_organisation, registration.accept_policies,
    registration.submit_registration, registration.nso_validate,
    profile.send_contact_request, profile.accept_contact_request, profile.partner_sets_available,
    profile.partner_validated, profile.switch_browser,
    projects.create_project, projects.submit_project, projects.cofounder_accepts, projects.nso_approve,
    projects.invite_member, projects.add_page, projects.add_material, projects.add_twinboard_item,
    projects.add_pupil, projects.set_pupil_consent,
    projects.create_room, projects.edit_room, projects.leave_room, projects.create_group,
    projects.css_approve_group,
    projects.close_project, projects.founder_closes_project, projects.reopen_project, projects.apply_label, projects.award_label,
    registration.advance_clock,
)

#: Every action's declaration, by name, in ORDER.
ACTIONS: dict[str, Action] = {fn.__name__: get_action(fn.__name__) for fn in ORDER}
_unordered = set(declared()) - set(ACTIONS)
if _unordered:
    raise RuntimeError(f"sandbox actions declared but missing from actions.ORDER: {sorted(_unordered)}")


def in_part(part: str) -> list[Action]:
    """The actions of one part of the journey (a flow id), in ORDER."""
    return [a for a in ACTIONS.values() if a.part == part]


#: Free-text arguments typed in a text area; every other text is one line (names, titles, addresses).
LONG_TEXT = frozenset({"description", "short_description", "aims", "work_process", "expected_results"})


def text_limit(arg: str) -> int:
    return MAX_LONG if arg in LONG_TEXT else MAX_SHORT


def too_long(args: dict[str, Any]) -> list[tuple[str, int]]:
    """(argument, its limit) for every text argument over its limit (lists of texts too)."""
    out = []
    for name, value in args.items():
        texts = value if isinstance(value, list | tuple) else [value]
        if any(isinstance(t, str) and len(t) > text_limit(name) for t in texts):
            out.append((name, text_limit(name)))
    return out


@functools.cache
def _signature(fn: Callable[..., Outcome]) -> inspect.Signature:
    """An action's signature, read once (reading it costs about as much as a small action)."""
    return inspect.signature(fn)


def apply(case: Case, action_name: str, /, **args: Any) -> Outcome:
    """Run an action by name (for the UI and the workshop)."""
    for name, limit in too_long(args):  # a field never stores megabytes (every later save rewrites it)
        raise ActionError(f"{action_name}: {name} is too long: at most {limit} characters")
    declared = get_action(action_name, ACTIONS)
    fn = declared.fn
    signature = _signature(fn)
    for arg in args:
        if arg == "case" or arg not in signature.parameters:  # `world` is taken too: tests pass their own
            raise ActionError(f"{action_name}: unknown argument '{arg}'{suggestion(arg, declared.needs)}; "
                              f"it takes {', '.join(declared.needs) or 'no arguments'}")
    try:
        signature.bind(case, **args)
    except TypeError as exc:  # a required argument left out
        raise ActionError(f"{action_name}: {exc}") from None
    return fn(case, **args)
