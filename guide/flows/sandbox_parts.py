"""Which journey part (flow id) each sandbox action belongs to: the practice sandbox groups its screens so."""

from __future__ import annotations

#: Teacher actions first, then what others do (NSO, partner, CSS, the clock), per part of the journey.
SANDBOX_PARTS: dict[str, tuple[str, ...]] = {
    "account": ("create_eu_login", "confirm_eu_login", "register_account", "join_etwinning",
                "deactivate_account", "nso_remove_account"),
    "profile": ("set_available", "edit_profile", "upload_photo", "search_schools", "add_organisation",
                "set_role", "leave_organisation", "accept_policies", "submit_registration", "nso_validate"),
    "partners": ("send_contact_request", "accept_contact_request", "partner_sets_available",
                 "partner_validated"),
    "project": ("create_project", "cofounder_accepts", "nso_approve"),
    "twinspace": ("invite_member", "add_page", "add_material", "add_twinboard_item", "add_pupil",
                  "set_pupil_consent"),
    "rooms-groups": ("create_room", "edit_room", "leave_room", "create_group", "css_approve_group"),
    "closing-labels": ("close_project", "reopen_project", "apply_label", "award_label"),
}
#: Actions on every part's screen (not tied to one part).
EVERYWHERE = ("advance_clock",)


def part_of(action: str) -> str | None:
    return next((part for part, actions in SANDBOX_PARTS.items() if action in actions), None)
