"""The practice sandbox's simulated ESEP screens: one small form per sandbox action, and their outcomes.

Buttons and field names carry ESEP's own English labels, as the platform (and the handbook) shows them in
every language. A submit runs the action in a callback (guide.sandbox.actions.apply); its outcome is shown
under that screen: a short confirmation, or the refusing rule's fix. Whatever the teacher typed is shown
as plain text or escaped Markdown only.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import streamlit as st

from ...case.model import Case
from ...content.world import load_world
from ...i18n import country_name, format_date
from ...sandbox.actions import ACTIONS, ActionError, cofounder_options, in_part, too_long
from ...sandbox.photo import ALLOWED_TYPES
from ...steps.findings import check, escape_markdown, word
from ...steps.registry import get_rule
from ...text import MAX_LONG, MAX_SHORT
from .. import widgets
from ..common import N_, _, action_label, content, lang, link_for
from ..saving import act, get_case
from .flows import journey

RESULT_KEY = "sb_result"
SEARCH_KEY = "sb_search_results"
#: The screen chooser (an action name): one ESEP screen at a time, as on the platform (issue #16)
SCREEN_KEY = "sb_screen"
#: The screens the chooser lists now (set by the page's fragment; read by the submit callback)
LISTED_KEY = "_sb_listed"
#: Who does the others' actions on the real platform, as the chooser names them
WHO = {"nso": N_("NSO"), "partner": N_("partner"), "support": N_("support service"), "clock": N_("time")}
ORG_ROLES = ("teacher", "head", "librarian", "company_staff", "other")
ROLE_LABELS = {"teacher": "Teacher", "head": "Head teacher", "librarian": "Librarian",
               "company_staff": "Company Staff", "other": "Other"}  # ESEP's role list (ch. 3c)
LABEL_KINDS = {"NQL": N_("National Quality Label (NQL)"), "EQL": N_("European Quality Label (EQL)"),
               "school_label": N_("eTwinning School Label")}
VISIBILITY = ("admins", "members", "public")
#: Platform buttons the handbook shows in Dutch ('Volgende', 'Voltooien'): known in both languages, so shown
#: in the reader's language with the other in brackets (the msgid is English, its translation Dutch)
NEXT = N_("Next (Volgende)")
FINISH = N_("Finish (Voltooien)")
JOIN = N_("Join eTwinning (Aansluiten bij eTwinning)")
#: Every action argument a screen asks for, named as that screen's field shows it (the platform's own
#: English label, or our words through the catalog): a message about a field names it so.
FIELD_LABELS = {
    "email": "E-mail", "email_kind": N_("Which kind of address?"), "account_id": N_("Account"),
    "available": "Available for eTwinning project", "description": N_("Description"),
    "subjects": N_("Subjects (comma-separated)"), "languages": N_("Languages (comma-separated)"),
    "data": N_("One file, 10 MB limit. Allowed types: png gif jpg jpeg"), "city": N_("City or municipality"),
    "school_id": N_("School"), "role": N_("Your role"), "name": N_("Contact"), "cofounder": "Co-founder",
    "title": "Title", "short_description": "Short description", "aims": "Aims", "work_process": "Work process",
    "expected_results": "Expected results", "project": N_("Project"), "visibility": N_("Visible to"),
    "image": N_("Image (file name)"), "new_title": N_("New title"), "kind": N_("Label"), "days": N_("Days"),
    "country": N_("Country"),
}
#: The labels above that are the platform's own (English in every language, as ESEP shows them)
PLATFORM_LABELS = frozenset({"E-mail", "Available for eTwinning project", "Co-founder", "Title", "Short description",
                             "Aims", "Work process", "Expected results", "People"})
#: ... where one action's screen names an argument otherwise
SCREEN_LABELS = {
    ("create_room", "title"): N_("Room title"), ("edit_room", "title"): N_("Room"),
    ("leave_room", "title"): N_("Room"), ("create_group", "title"): N_("Group title"),
    ("css_approve_group", "title"): N_("Group"), ("add_page", "title"): N_("Page title"),
    ("add_material", "name"): N_("File name"), ("add_pupil", "name"): N_("Pupil's name"),
    ("set_pupil_consent", "name"): N_("Pupil"), ("invite_member", "name"): N_("Teacher"),
    ("send_contact_request", "name"): "People", ("accept_contact_request", "name"): N_("Contact"),
    ("partner_sets_available", "name"): N_("Contact"), ("partner_validated", "name"): N_("Contact"),
}
DECLARATION = ("I declare that I have read and agree to the eTwinning Privacy Policy and the eTwinning Code of "
               "Conduct")  # the platform's own words (ch. 3a step 5)
FIELD_LABELS["ticked"] = DECLARATION
PLATFORM_LABELS |= {DECLARATION}
#: The photo field takes files a little over ESEP's 10 MB, so that the sandbox (not the uploader) refuses
#: them with the platform's rule; .streamlit/config.toml's server.maxUploadSize lets them through.
PHOTO_UPLOAD_MB = 12


def k(action: str, field: str) -> str:
    """The stable widget key of a screen's field, e.g. sb_create_eu_login_email."""
    return f"sb_{action}_{field}"


def v(action: str, field: str, default: Any = None) -> Any:
    return st.session_state.get(k(action, field), default)


# -- running an action ------------------------------------------------------------------------------

def run(action: str, build: Callable[[], dict[str, Any]]) -> None:
    """Submit callback: run the action on the session's case and keep its outcome for the screen."""
    result: dict[str, Any] = {"action": action}
    try:
        args = build()
        over = too_long(args)
        if over:  # the widgets stop typing at the limit; this is for anything that gets past them
            raise ActionError(N_("{field}: the text is too long: at most {n} characters"), field=over[0][0],
                              n=over[0][1])
        outcome = act(action, **args)  # in the participant's seat, or the learner's own case
    except ActionError as exc:  # in the reader's language, naming the field as the screen shows it
        result["error"] = exc.text(_, lambda arg: field_label(action, arg))
    else:
        result.update(ok=outcome.ok, refused_by=outcome.refused_by, facts=dict(outcome.facts),
                      attempted=outcome.attempted or outcome.case)
        if action == "search_schools" and outcome.ok:
            st.session_state[SEARCH_KEY] = [s.id for s in outcome.facts.get("results", [])]
        found = action != "search_schools" or bool(outcome.facts.get("results"))  # no school: search again
        if outcome.ok and found:  # the chooser moves on to the screen of the journey's new next step, if listed
            follow = next_screen(st.session_state.get(LISTED_KEY) or [], after=action)
            if follow is not None:
                st.session_state[SCREEN_KEY] = follow
    st.session_state[RESULT_KEY] = result


def listed(part: str, seated: bool) -> list[str]:
    """The screens the chooser lists for a part: the teacher's own, then (outside a workshop, where the trainer
    plays them) what the NSO, a partner or the support service do."""
    actions = in_part(part)
    return [a.name for a in actions if a.by_teacher] + ([] if seated else [a.name for a in actions if not a.by_teacher])


def next_screen(names: list[str], after: str | None = None) -> str | None:
    """The listed screen that does the journey's next step, if one does. Where that step is one no screen does
    (reading, 'Go to ESEP'), the screen of the first open step after it in the same part: what comes next.
    Where a step takes two screens one after the other ('Search organisation', then 'Add organisation'), the
    one after `after`, the screen just used."""
    j = journey()
    nxt = j.next_step
    if nxt is None:
        return None
    steps = j.steps
    for s in steps[steps.index(nxt):]:
        if s.flow != nxt.flow:
            break
        doing = [n for n in names if ACTIONS[n].step == s.id]
        if s.status == "open" and doing:
            return doing[doing.index(after) + 1] if after in doing[:-1] else doing[0]
    return None


def screen_label(name: str) -> str:
    """A screen as the chooser lists it: its title; someone else's marked as simulated."""
    by = ACTIONS[name].by
    if by == "teacher":
        return action_label(name)
    return _("{screen} ({who}, simulated)").format(screen=action_label(name), who=_(WHO[by]))


def forget_result() -> None:
    """Another screen chosen: the last outcome belonged to what the teacher did before."""
    st.session_state.pop(RESULT_KEY, None)


def field_label(action: str, arg: str) -> str:
    """An action argument's field, as its screen names it ('E-mail', 'Jouw rol'), in quotes: the platform's
    own label as it is, our words translated."""
    label = SCREEN_LABELS.get((action, arg)) or FIELD_LABELS.get(arg) or arg.replace("_", " ")
    return "'" + (label if label in PLATFORM_LABELS else _(label)) + "'"


def submit(action: str, label: str, build: Callable[[], dict[str, Any]]) -> None:
    st.form_submit_button(label, key=k(action, "submit"), type="primary", on_click=run, args=(action, build))


def _plain(value: Any) -> str:
    return escape_markdown(str(value))


def _confirmation(action: str, facts: dict[str, Any]) -> str:
    """A short confirmation in the reader's language; typed names and titles are escaped."""
    if action == "submit_registration" and facts.get("due"):
        return _("Your registration went to the NSO. The NSO answers by {date}.").format(
            date=format_date(facts["due"], lang()))
    if action == "advance_clock":
        parts = [_("Today in the sandbox is now {date}.").format(date=format_date(facts["today"], lang()))]
        if facts.get("validated"):
            parts.append(_("The NSO validated your account."))
        for name in facts.get("contacts_accepted", []):
            parts.append(_("{name} accepted your contact request.").format(name=_plain(name)))
        for inv in facts.get("invitations_accepted", []):
            parts.append(_("{name} accepted to found {project} with you.").format(
                name=_plain(inv["name"]), project=_plain(inv["project"])))
        for title in facts.get("projects_activated", []):
            parts.append(_("The project {project} is active.").format(project=_plain(title)))
        return " ".join(parts)
    if action == "send_contact_request":
        if facts.get("status") == "accepted":
            return _("{name} is now your contact.").format(name=_plain(facts["name"]))
        return _("Request sent: {name} has not answered yet. Let a day pass.").format(name=_plain(facts["name"]))
    if action == "create_project":
        return _("Project registered. It is pending until the co-founder accepts and the NSOs of {countries} approve.").format(
            countries=", ".join(country_name(c, lang()) for c in facts.get("countries", [])))
    if action == "invite_member" and not facts.get("in_project", True):
        return _("{name} landed in the TwinSpace only, not in the project.").format(name=_plain(facts["name"]))
    if action == "search_schools":
        return _("{n} school(s) found.").format(n=len(facts.get("results", [])))
    return _("Done.")


def show_result(action: str, named: bool = False) -> None:
    """The outcome of the last action, if it was this one's: one element. `named`: the confirmation names
    the screen it was done on ('Create an account — Done.'), for when it shows above another screen."""
    result = st.session_state.get(RESULT_KEY)
    if not result or result.get("action") != action:
        return
    if "error" in result:
        st.error(_("The sandbox cannot do this:") + " " + _plain(result["error"]), icon=":material/error:")
    elif result["ok"]:
        said = _confirmation(action, result["facts"])
        if named:
            said = _("{screen} — {outcome}").format(screen=f"**{action_label(action)}**", outcome=said)
        if action == "search_schools" and not result["facts"].get("results"):
            st.info(said, icon=":material/search_off:")  # not a success
        else:
            st.success(said, icon=":material/check_circle:")
    else:
        rid = result["refused_by"]
        finding = word(get_rule(rid), check(result["attempted"], [rid])[rid], content())
        # the refusal and the refusing rule's fix card, in one box
        widgets.SEVERITY_BOX[finding.severity]("**" + _("ESEP does not let you do this yet.") + "**\n\n"
                                               + widgets.fix_card_markdown(finding, content()))


def succeeded(action: str) -> bool:
    result = st.session_state.get(RESULT_KEY)
    return bool(result and result.get("action") == action and result.get("ok"))


@contextmanager
def screen(action: str, note: str | None = None) -> Iterator[None]:
    """A bordered ESEP screen, as few elements as it can be (each costs the server, issue #16): one form
    (key sb_screen_<action>) holding its title and handbook step as the action declares them, its fields,
    its submit and a refusal or error under them. A success is said above the screen (the page's fragment),
    where it stays when the chooser moves on to the next step's screen. `note`: a line of ours under the
    title (in the title's element)."""
    with st.form(key=f"sb_screen_{action}", border=True, enter_to_submit=False):
        head = f"**{action_label(action)}**"
        step = ACTIONS[action].step
        if step:
            head += f" :small[[:material/menu_book: {_('Handbook')}]({link_for('step', step)})]"
        if note:
            head += f"\n\n:small[{note}]"
        st.markdown(head)
        yield
        if not succeeded(action):
            show_result(action)


def unavailable(action: str, why: str) -> None:
    with st.container(border=True, key=f"sb_screen_{action}"):
        st.markdown(f"**{action_label(action)}**\n\n:small[{why}]")  # title and why, one element
        if not succeeded(action):
            show_result(action)


def choose_one(action: str, options: list[Any], empty: str, field: str, label: str, button: str,
               arg: str | None = None) -> None:
    """A screen that picks one thing (an account, a project, a group) and submits it as `arg`."""
    if not options:
        unavailable(action, empty)
        return
    with screen(action):
        st.selectbox(label, options, key=k(action, field))
        submit(action, button, lambda: {arg or field: v(action, field)})


def _projects(case: Case, status: tuple[str, ...] | None = None) -> list[str]:
    return [p.title for p in case.projects if status is None or p.status in status]


def _project_select(action: str, titles: list[str]) -> None:
    st.selectbox(_("Project"), titles, key=k(action, "project"))


# -- EU Login and account (ch. 1, 2, 4) ---------------------------------------------------------------

def create_eu_login(case: Case) -> None:
    with screen("create_eu_login"):
        st.text_input("E-mail", key=k("create_eu_login", "email"), placeholder="name@example.org", max_chars=MAX_SHORT)
        kinds = {"private": _("private"), "school": _("school")}  # worded now: format_func may run elsewhere
        st.radio(_("Which kind of address?"), list(kinds), key=k("create_eu_login", "kind"),
                 format_func=kinds.__getitem__, horizontal=True)
        submit("create_eu_login", "Create an account", lambda: {
            "email": v("create_eu_login", "email", ""), "email_kind": v("create_eu_login", "kind")})


def confirm_eu_login(case: Case) -> None:
    with screen("confirm_eu_login", _("The sandbox never asks for a real password.")):
        submit("confirm_eu_login", _("Click the link in the e-mail"), dict)


def register_account(case: Case) -> None:
    with screen("register_account"):
        email = case.eu_login.email if case.eu_login else ""
        st.text_input("E-mail", value=email, key=k("register_account", "email"), max_chars=MAX_SHORT)
        submit("register_account", "Register on this platform with EU login",
               lambda: {"email": v("register_account", "email", "")})


def join_etwinning(case: Case) -> None:
    with screen("join_etwinning"):
        submit("join_etwinning", _(JOIN), dict)


def deactivate_account(case: Case) -> None:
    choose_one("deactivate_account", [a.id for a in case.live_accounts if a.id is not None],
               _("There is no account to deactivate."), "account", _("Account"), "Deactivate profile", "account_id")


def support_solves_login(case: Case) -> None:
    if case.eu_login is None or case.eu_login.can_log_in is not False:
        unavailable("support_solves_login", _("No login problem is known."))
        return
    with screen("support_solves_login"):
        submit("support_solves_login", _("Solve it"), dict)


def nso_remove_account(case: Case) -> None:
    choose_one("nso_remove_account", [a.id for a in case.accounts if a.id is not None],
               _("There is no account to remove."), "account", _("Account"), _("Remove"), "account_id")


# -- profile and school (ch. 3) ------------------------------------------------------------------------

def set_available(case: Case) -> None:
    with screen("set_available"):
        ticked = bool(case.profile and case.profile.available_for_projects)
        st.checkbox("Available for eTwinning project", value=ticked, key=k("set_available", "available"))
        submit("set_available", "Save", lambda: {"available": bool(v("set_available", "available"))})


def edit_profile(case: Case) -> None:
    profile = case.profile
    with screen("edit_profile"):
        st.text_area(_("Description"), value=profile.description if profile else "", key=k("edit_profile", "description"), max_chars=MAX_LONG)
        st.text_input(_("Subjects (comma-separated)"), value=", ".join(profile.subjects) if profile else "",
                      key=k("edit_profile", "subjects"), max_chars=MAX_SHORT)
        st.text_input(_("Languages (comma-separated)"), value=", ".join(profile.languages) if profile else "",
                      key=k("edit_profile", "languages"), max_chars=MAX_SHORT)
        submit("edit_profile", "Save", lambda: {
            "description": v("edit_profile", "description", ""),
            "subjects": str(v("edit_profile", "subjects", "")).split(","),
            "languages": str(v("edit_profile", "languages", "")).split(",")})


def _photo_args() -> dict[str, Any]:
    upload = v("upload_photo", "file")
    if upload is None:
        raise ActionError(N_("{field}: choose a file first."), field="data")
    return {"data": upload.getvalue(), "filename": upload.name}


def upload_photo(case: Case) -> None:
    with screen("upload_photo"):
        st.file_uploader(_("One file, 10 MB limit. Allowed types: png gif jpg jpeg"), type=list(ALLOWED_TYPES),
                         max_upload_size=PHOTO_UPLOAD_MB, key=k("upload_photo", "file"))
        st.caption(_("The sandbox reads only the file's type and size; the picture itself is not kept."))
        submit("upload_photo", _("Upload"), _photo_args)


def search_schools(case: Case) -> None:
    with screen("search_schools"):
        st.text_input(_("City or municipality"), key=k("search_schools", "city"), placeholder="Utrecht", max_chars=MAX_SHORT)
        submit("search_schools", "Search organisation", lambda: {"city": v("search_schools", "city", "")})


def add_organisation(case: Case) -> None:
    found = st.session_state.get(SEARCH_KEY) or []
    world = load_world()
    schools = {s.id: s for s in (world.school(i) for i in found) if s is not None}
    if not schools:
        unavailable("add_organisation", _("Search for your school by city first; the results appear here."))
        return
    with screen("add_organisation"):
        def label(school_id: int) -> str:
            s = schools[school_id]
            mark = " — eTwinning Validated" if s.etwinning_validated else ""
            return f"{s.name} ({s.id}), {s.city}{mark}"
        st.radio(_("Search results"), list(schools), format_func=label, key=k("add_organisation", "school"))
        st.selectbox(_("Your role"), ["", *ORG_ROLES], key=k("add_organisation", "role"),
                     format_func=lambda r: ROLE_LABELS.get(r, "—"))
        submit("add_organisation", "Add organisation", lambda: {
            "school_id": v("add_organisation", "school"), "role": v("add_organisation", "role", "")})


def _org_label(case: Case) -> Callable[[int], str]:
    names = {o.id: o.name for o in case.organisations}
    return lambda i: f"{names.get(i, '?')} ({i})"


def set_role(case: Case) -> None:
    ids = [o.id for o in case.organisations if o.id is not None]
    if not ids:
        unavailable("set_role", _("Add your school first."))
        return
    with screen("set_role"):
        st.selectbox(_("School"), ids, format_func=_org_label(case), key=k("set_role", "school"))
        st.selectbox(_("Your role"), ORG_ROLES, format_func=ROLE_LABELS.__getitem__, key=k("set_role", "role"))
        submit("set_role", "Save", lambda: {"school_id": v("set_role", "school"), "role": v("set_role", "role")})


def leave_organisation(case: Case) -> None:
    ids = [o.id for o in case.organisations if o.id is not None]
    if not ids:
        unavailable("leave_organisation", _("Add your school first."))
        return
    with screen("leave_organisation"):
        st.selectbox(_("School"), ids, format_func=_org_label(case), key=k("leave_organisation", "school"))
        submit("leave_organisation", "leave organisation", lambda: {"school_id": v("leave_organisation", "school")})


def accept_policies(case: Case) -> None:
    with screen("accept_policies"):
        st.checkbox(DECLARATION, key=k("accept_policies", "ticked"))
        submit("accept_policies", _(NEXT), _policies_args)


def _policies_args() -> dict[str, Any]:
    if not v("accept_policies", "ticked"):
        raise ActionError(N_("{field}: tick the declaration first."), field="ticked")
    return {}


def submit_registration(case: Case) -> None:
    with screen("submit_registration", _("The registration goes to your NSO, who answers within 2 working days.")):
        submit("submit_registration", _(FINISH), dict)


def nso_validate(case: Case) -> None:
    with screen("nso_validate"):
        submit("nso_validate", _("Validate"), dict)


# -- partners (ch. 5, 6) -------------------------------------------------------------------------------

def send_contact_request(case: Case) -> None:
    cast = load_world().cast
    with screen("send_contact_request"):
        countries = {c.name: country_name(c.country, lang()) for c in cast}
        st.selectbox("People", [c.name for c in cast], format_func=lambda n: f"{n} ({countries[n]})",
                     key=k("send_contact_request", "name"))
        submit("send_contact_request", "Add as contact", lambda: {"name": v("send_contact_request", "name")})


def _contact_screen(action: str, names: list[str], label: str, empty: str) -> None:
    if not names:
        unavailable(action, empty)
        return
    with screen(action):
        st.selectbox(_("Contact"), names, key=k(action, "name"))
        submit(action, label, lambda: {"name": v(action, "name")})


def accept_contact_request(case: Case) -> None:
    waiting = [c.name for c in case.contacts if c.status == "request_received"]
    _contact_screen("accept_contact_request", waiting, "Accept", _("No contact request is waiting for you."))


def partner_sets_available(case: Case) -> None:
    names = [c.name for c in case.contacts if not c.available_for_projects]
    _contact_screen("partner_sets_available", names, _("Tick it"), _("Every contact has ticked it."))


def partner_validated(case: Case) -> None:
    names = [c.name for c in case.contacts if not c.validated]
    _contact_screen("partner_validated", names, _("Validate"), _("Every contact is validated."))


BROWSERS = {"chrome": "Google Chrome", "firefox": "Mozilla Firefox", "safari": "Safari", "edge": "Microsoft Edge"}


def switch_browser(case: Case) -> None:
    a = "switch_browser"
    with screen(a):
        if case.person.browser:
            st.caption(_("You use {browser} now.").format(browser=BROWSERS.get(case.person.browser, _("another browser"))))
        st.selectbox(_("Browser"), list(BROWSERS), format_func=BROWSERS.__getitem__, key=k(a, "browser"))
        submit(a, _("Open"), lambda: {"browser": v(a, "browser")})


# -- registering a project (ch. 7) ----------------------------------------------------------------------

def create_project(case: Case) -> None:
    a = "create_project"
    with screen(a):
        options = cofounder_options(case)
        if options:
            st.selectbox("Co-founder", options, index=None, key=k(a, "cofounder"), placeholder=_("Choose a contact"))
        else:  # an empty list would only say Streamlit's English 'No results': say why it is empty
            st.session_state.pop(k(a, "cofounder"), None)
            st.markdown("Co-founder")
            st.caption(_("Nobody to choose yet: only contacts who ticked 'Available for eTwinning project' and are "
                         "validated appear here."))
        st.text_input("Title *", key=k(a, "title"), max_chars=MAX_SHORT)
        st.text_area("Short description *", key=k(a, "short_description"), max_chars=MAX_LONG)
        st.text_area("Aims *", key=k(a, "aims"), max_chars=MAX_LONG)
        st.text_area("Work process *", key=k(a, "work_process"), max_chars=MAX_LONG)
        st.text_area("Expected results *", key=k(a, "expected_results"), max_chars=MAX_LONG)
        st.checkbox(_("We want to repeat this project next school year"), key=k(a, "repeat"))
        submit(a, "Create", lambda: {
            "title": v(a, "title", ""), "cofounder": _chosen_cofounder(),
            "short_description": v(a, "short_description", ""), "aims": v(a, "aims", ""),
            "work_process": v(a, "work_process", ""), "expected_results": v(a, "expected_results", ""),
            "repeat_next_year": bool(v(a, "repeat"))})


def _chosen_cofounder() -> str:
    chosen = v("create_project", "cofounder")
    if not chosen:
        raise ActionError(N_("{field}: choose a co-founder first. Only contacts who ticked 'Available for eTwinning "
                             "project' and are validated appear in the list."), field="cofounder")
    return str(chosen)


def submit_project(case: Case) -> None:
    a = "submit_project"
    drafts = [p for p in case.projects if p.status == "draft" and p.role == "founder"]
    if not drafts:
        unavailable(a, _("No project form is waiting to be sent."))
        return
    with screen(a):
        st.caption(_("A form you filled in but never sent with 'Create'. Correct it here: an empty field keeps "
                     "what the form says."))
        titles = [p.title for p in drafts]
        st.selectbox(_("Project"), titles, key=k(a, "project"))
        chosen = next((p for p in drafts if p.title == v(a, "project")), drafts[0])
        for field, label in (("title", "Title *"), ("short_description", "Short description *"), ("aims", "Aims *"),
                             ("work_process", "Work process *"), ("expected_results", "Expected results *")):
            now = str(getattr(chosen, field)).strip()
            # what the form says now, as plain text (never Markdown: it is what the teacher typed)
            st.caption(f"{label} " + (_("now: {text}").format(text=_plain(now)) if now else _("now empty")))
            widget = st.text_input if field == "title" else st.text_area
            widget(label, key=k(a, field), max_chars=MAX_SHORT if field == "title" else MAX_LONG,
                   label_visibility="collapsed")
        submit(a, "Create", lambda: {"project": v(a, "project") or titles[0],
                                     **{f: v(a, f, "") or "" for f in ("title", "short_description", "aims",
                                                                        "work_process", "expected_results")}})


def cofounder_accepts(case: Case) -> None:
    choose_one("cofounder_accepts",
               [p.title for p in case.projects if any(c.invitation in ("pending", "declined") for c in p.cofounders)],
               _("No invitation is waiting."), "project", _("Project"), _("Accept"))


def nso_approve(case: Case) -> None:
    choose_one("nso_approve",
               [p.title for p in case.projects if any(s != "approved" for s in p.nso_approvals.values())],
               _("No project is waiting for an NSO."), "project", _("Project"), _("Approve"))


# -- the TwinSpace (ch. 7d, 8, 9) -----------------------------------------------------------------------

def _needs_project(action: str, case: Case) -> list[str] | None:
    titles = _projects(case)
    if not titles:
        unavailable(action, _("Create a project first."))
        return None
    return titles


def invite_member(case: Case) -> None:
    a = "invite_member"
    titles = _needs_project(a, case)
    if titles is None:
        return
    with screen(a):
        _project_select(a, titles)
        names = sorted({c.name for c in load_world().cast} | {c.name for c in case.contacts})
        st.selectbox(_("Teacher"), names, key=k(a, "name"))
        st.checkbox(_("Also add to the project (not only the TwinSpace)"), value=True, key=k(a, "also_project"))
        submit(a, "Invite members", lambda: {"project": v(a, "project"), "name": v(a, "name"),
                                              "also_project": bool(v(a, "also_project", True))})


def add_page(case: Case) -> None:
    a = "add_page"
    titles = _needs_project(a, case)
    if titles is None:
        return
    with screen(a):
        _project_select(a, titles)
        st.text_input(_("Page title"), key=k(a, "title"), max_chars=MAX_SHORT)
        st.selectbox(_("Visible to"), VISIBILITY, index=1, key=k(a, "visibility"))
        st.checkbox(_("The page shows pupils' work or pictures"), key=k(a, "pupil_content"))
        submit(a, "create page", lambda: {"project": v(a, "project"), "title": v(a, "title", ""),
                                           "visibility": v(a, "visibility", "members"),
                                           "pupil_content": bool(v(a, "pupil_content"))})


def add_material(case: Case) -> None:
    a = "add_material"
    titles = _needs_project(a, case)
    if titles is None:
        return
    with screen(a):
        _project_select(a, titles)
        st.text_input(_("File name"), key=k(a, "name"), placeholder="foto1.jpg", max_chars=MAX_SHORT)
        submit(a, _("Upload"), lambda: {"project": v(a, "project"), "name": v(a, "name", "")})


def add_twinboard_item(case: Case) -> None:
    a = "add_twinboard_item"
    titles = _needs_project(a, case)
    if titles is None:
        return
    with screen(a):
        _project_select(a, titles)
        st.text_input(_("Title"), key=k(a, "title"), max_chars=MAX_SHORT)
        st.text_input(_("Image (file name)"), key=k(a, "image"), placeholder="foto1.jpg", max_chars=MAX_SHORT)
        submit(a, "add item", lambda: {"project": v(a, "project"), "title": v(a, "title", ""),
                                        "image": v(a, "image") or None})


def add_pupil(case: Case) -> None:
    a = "add_pupil"
    titles = _needs_project(a, case)
    if titles is None:
        return
    with screen(a):
        _project_select(a, titles)
        st.text_input(_("Pupil's name"), key=k(a, "name"), max_chars=MAX_SHORT)
        st.checkbox(_("The parental consent form is signed"), key=k(a, "consent"))
        submit(a, _("Add pupil"), lambda: {"project": v(a, "project"), "name": v(a, "name", ""),
                                            "consent": bool(v(a, "consent"))})


def set_pupil_consent(case: Case) -> None:
    a = "set_pupil_consent"
    pupils = [(p.title, m.name) for p in case.projects for m in (p.twinspace.members if p.twinspace else [])
              if m.kind == "pupil" and not m.consent]
    if not pupils:
        unavailable(a, _("No pupil is waiting for consent."))
        return
    with screen(a):
        st.selectbox(_("Pupil"), range(len(pupils)), format_func=lambda i: f"{pupils[i][1]} — {pupils[i][0]}",
                     key=k(a, "pupil"))
        submit(a, _("Consent received"), lambda: {"project": pupils[v(a, "pupil", 0)][0],
                                                   "name": pupils[v(a, "pupil", 0)][1], "consent": True})


# -- rooms and groups (ch. 10) --------------------------------------------------------------------------

def create_room(case: Case) -> None:
    with screen("create_room"):
        st.text_input(_("Room title"), key=k("create_room", "title"), max_chars=MAX_SHORT)
        submit("create_room", "create room", lambda: {"title": v("create_room", "title", "")})


def _room_screen(action: str, label: str, with_new_title: bool) -> None:
    rooms = [r.title for r in get_case().rooms]
    if not rooms:
        unavailable(action, _("You are in no room yet."))
        return
    with screen(action):
        st.selectbox(_("Room"), rooms, key=k(action, "room"))
        if with_new_title:
            st.text_input(_("New title"), key=k(action, "new_title"), max_chars=MAX_SHORT)
        submit(action, label, lambda: {"title": v(action, "room"),
                                       **({"new_title": v(action, "new_title") or None} if with_new_title else {})})


def edit_room(case: Case) -> None:
    _room_screen("edit_room", "edit", True)


def leave_room(case: Case) -> None:
    _room_screen("leave_room", "leave", False)


def create_group(case: Case) -> None:
    with screen("create_group"):
        st.text_input(_("Group title"), key=k("create_group", "title"), max_chars=MAX_SHORT)
        submit("create_group", "Create group", lambda: {"title": v("create_group", "title", "")})


def css_approve_group(case: Case) -> None:
    choose_one("css_approve_group", [g.title for g in case.groups if g.status == "pending"],
               _("No group is pending."),
               "title", _("Group"), _("Approve"))


# -- closing and labels (ch. 11, 12) ------------------------------------------------------------------------

def close_project(case: Case) -> None:
    choose_one("close_project", _projects(case, ("draft", "pending", "active")), _("No open project."),
               "project", _("Project"), "Close project")


def founder_closes_project(case: Case) -> None:
    choose_one("founder_closes_project", [p.title for p in case.projects if p.role == "member" and p.status != "closed"],
               _("You are not a member of an open project someone else leads."), "project", _("Project"),
               "Close project")


def reopen_project(case: Case) -> None:
    choose_one("reopen_project", _projects(case, ("closed",)), _("No closed project."), "project", _("Project"), "Reopen")


def apply_label(case: Case) -> None:
    a = "apply_label"
    with screen(a):
        kinds = {kind: _(label) for kind, label in LABEL_KINDS.items()}
        st.selectbox(_("Label"), list(kinds), format_func=kinds.__getitem__, key=k(a, "kind"))
        st.selectbox(_("Project"), [None, *_projects(case)], key=k(a, "project"),
                     format_func=lambda t: "—" if t is None else t)
        submit(a, _("Apply"), lambda: {"kind": v(a, "kind"), "project": v(a, "project")})


def award_label(case: Case) -> None:
    a = "award_label"
    with screen(a):
        kinds = {kind: _(label) for kind, label in LABEL_KINDS.items()}
        st.selectbox(_("Label"), list(kinds), format_func=kinds.__getitem__, key=k(a, "kind"))
        submit(a, _("Award"), lambda: {"kind": v(a, "kind")})


#: Every sandbox action's screen, by action name (a test checks that none is missing).
SCREENS: dict[str, Callable[[Case], None]] = {fn.__name__: fn for fn in (
    create_eu_login, confirm_eu_login, register_account, join_etwinning, deactivate_account, nso_remove_account,
    support_solves_login,
    set_available, edit_profile, upload_photo, search_schools, add_organisation, set_role, leave_organisation,
    accept_policies, submit_registration, nso_validate,
    send_contact_request, accept_contact_request, partner_sets_available, partner_validated, switch_browser,
    create_project, submit_project, cofounder_accepts, nso_approve,
    invite_member, add_page, add_material, add_twinboard_item, add_pupil, set_pupil_consent,
    create_room, edit_room, leave_room, create_group, css_approve_group,
    close_project, founder_closes_project, reopen_project, apply_label, award_label,
)}
