"""The registry of simulated ESEP actions, for the sandbox page and the workshop board.

Every action is a pure function `(case, **args) -> Outcome`. Where the platform refuses, the refusal
is decided by the rule that `diagnose` reports for that situation (see outcome.gate), so the sandbox
and the diagnosis never disagree. Where the handbook is silent, the choice is written next to the code.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any

from ..case.model import Case
from ..errors import suggestion
from .outcome import ActionError, Outcome
from .profile import (  # noqa: F401 - the actions, importable from here
    PROFILE_ACTIONS,
    accept_contact_request,
    add_organisation,
    edit_profile,
    leave_organisation,
    partner_sets_available,
    partner_validated,
    search_schools,
    send_contact_request,
    set_available,
    set_role,
    upload_photo,
)
from .projects import (  # noqa: F401 - the actions, importable from here
    PROJECT_ACTIONS,
    add_material,
    add_page,
    add_pupil,
    add_twinboard_item,
    apply_label,
    award_label,
    close_project,
    cofounder_accepts,
    cofounder_options,
    create_group,
    create_project,
    create_room,
    css_approve_group,
    edit_room,
    invite_member,
    leave_room,
    nso_approve,
    reopen_project,
    set_pupil_consent,
)
from .registration import (  # noqa: F401 - the actions, importable from here
    ACCOUNT_ACTIONS,
    accept_policies,
    advance_clock,
    confirm_eu_login,
    create_eu_login,
    deactivate_account,
    join_etwinning,
    nso_remove_account,
    nso_validate,
    register_account,
    submit_registration,
)

# -- the registry ---------------------------------------------------------------------------------------

ACTIONS: dict[str, Callable[..., Outcome]] = {
    fn.__name__: fn for fn in (*ACCOUNT_ACTIONS, *PROFILE_ACTIONS, *PROJECT_ACTIONS)
}

#: Commands a workshop trainer (or the simulated platform) gives, not the teacher.
TRAINER_ACTIONS = frozenset({
    "advance_clock", "nso_validate", "nso_remove_account", "partner_sets_available", "partner_validated",
    "cofounder_accepts", "nso_approve", "css_approve_group", "award_label",
})


def apply(case: Case, action_name: str, /, **args: Any) -> Outcome:
    """Run an action by name (for the UI and the workshop board)."""
    fn = ACTIONS.get(action_name)
    if fn is None:
        raise ActionError(f"unknown sandbox action '{action_name}'{suggestion(action_name, ACTIONS)}")
    params = [p for p in inspect.signature(fn).parameters if p != "case"]
    for arg in args:
        if arg not in params:
            raise ActionError(f"{action_name}: unknown argument '{arg}'{suggestion(arg, params)}; "
                              f"it takes {', '.join(params) or 'no arguments'}")
    try:
        inspect.signature(fn).bind(case, **args)
    except TypeError as exc:  # a required argument left out
        raise ActionError(f"{action_name}: {exc}") from None
    return fn(case, **args)

