"""Case-file fields as the app's screens name them, for messages about a case file a person gave us.

A message keeps the field's path as the file spells it (`person.country`: what to look for in the file);
a reader whose language words the field otherwise also reads the screen's label (`person.country (Land)`).
The labels are catalog msgids the UI already shows (the sandbox's forms, the troubleshooter)."""

from __future__ import annotations

import re

from ..errors import N_

#: path without list indexes -> the label of the field the screens show for it
LABELS = {
    "today": N_("Date"),
    "person.country": N_("Country"), "organisations.country": N_("Country"), "contacts.country": N_("Country"),
    "projects.nso_approvals": N_("Country"),  # its keys are countries
    "person.role": N_("Your role"), "organisations.role": N_("Your role"),
    "person.browser": N_("Browser"),
    "eu_login.email_kind": N_("Which kind of address?"),
    "organisations.name": N_("School"), "organisations.city": N_("City or municipality"),
    "school_search.city": N_("City or municipality"),
    "profile.description": N_("Description"),
    "contacts.name": N_("Contact"),
    "projects.title": N_("Title"), "groups.title": N_("Title"), "rooms.title": N_("Title"),
    "projects.twinspace.pages.title": N_("Page title"), "projects.twinspace.pages.visibility": N_("Visible to"),
    "labels.kind": N_("Label"),
}
_INDEX = re.compile(r"\[\d+\]")


def label_of(path: str) -> str | None:
    """The msgid of the label the screens show for the field at `path` ('contacts[2].country'), if any."""
    bare = _INDEX.sub("", path)
    if bare.startswith("projects.nso_approvals."):
        bare = "projects.nso_approvals"
    return LABELS.get(bare)
