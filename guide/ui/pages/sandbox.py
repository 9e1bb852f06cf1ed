"""The practice sandbox page: a simulated ESEP, grouped by part of the journey, with a simulated clock,
practice scenarios, and the sandbox saved as a case file. The screens live in sandbox_screens.py."""

from __future__ import annotations

import functools

import streamlit as st

from ...case.model import Case, dump_case
from ...content import load_content
from ...flows.journey import flows_of
from ...i18n import format_date
from ...sandbox.actions import ACTIONS, in_part
from ...sandbox.scenarios import load_scenario, scenario_ids
from ...steps.findings import escape_markdown
from .. import derived
from ..common import _, content, lang, ngettext, resolve_links
from ..saving import get_case, seat, set_case
from . import sandbox_screens as screens
from .flows import journey, link_to_step, sidebar_progress, step_title

PART_KEY = "sb_part"
#: The part the screen chooser was set for: another part starts at that part's default screen
SCREEN_PART_KEY = "_sb_screen_part"
CHECKS_KEY = "sb_checks_open"
CASE_FILE_KEY = "sb_case_file_open"
#: The panels under the fragment, made only when opened: 'What the checks find now', 'The sandbox as a case file'
BELOW_KEYS = (CHECKS_KEY, CASE_FILE_KEY)
PAGE_RUN_KEY = "_sb_page_run"


def render() -> None:
    seated = seat()
    loaded = _loaded() if seated is None else None  # first: a link may load its scenario
    st.title(_("Practice sandbox"))
    st.caption(_("A simulated ESEP: practise every step safely. Nothing here touches the real platform. "
                 "The buttons carry the platform's own labels."))
    case = get_case()
    if seated is not None:  # a workshop participant: their seat, on the workshop's clock
        st.info(_("Workshop {title} · you are {nickname}. Everything you do here lands in your seat; "
                  "your trainer sees it on the board.").format(title=escape_markdown(seated.workshop_title),
                                                               nickname=escape_markdown(seated.nickname)),
                icon=":material/groups:")
        _seat_toolbar(case)
    else:
        _toolbar(case)
    scenario = seated.scenario if seated is not None else loaded
    flows = {f.id: f for f in flows_of(content()).flows if in_part(f.id)}
    if st.session_state.get(PART_KEY) not in flows:
        asked = st.query_params.get("part")
        j = journey()
        st.session_state[PART_KEY] = asked if asked in flows else (j.next_step.flow if j.next_step else "account")
    st.selectbox(_("Part of the journey"), list(flows), key=PART_KEY, format_func=lambda p: flows[p].title)
    st.session_state[PAGE_RUN_KEY] = True  # this run draws the panels below the fragment itself
    _work(st.session_state[PART_KEY], seated is not None, scenario, seated is not None and seated.changed)
    _below_fragment()


@st.fragment
def _work(part: str, seated: bool, scenario: str | None, told: bool = False) -> None:
    """What a sandbox action changes, as a fragment: a screen's submit reruns only this, not the page
    (issue #16). It draws the goal (one element, first), the screen chooser, the screen, the next step, and
    the sidebar's progress, which sits outside it (one slot). `told`:
    the page above says that the trainer changed something (guide.ui.app); when an action here ended that
    trouble (or the seat is gone), the whole page runs again, so that it says so."""
    page_run = st.session_state.pop(PAGE_RUN_KEY, False)
    now = seat()
    if told and (now is None or not now.changed):
        st.rerun(scope="app")
    case = get_case()
    before = _latest(case)  # what the page showed until now: the panels below show it, unless this is the page's run
    j = journey()
    sidebar_progress(j)
    goal_panel(scenario)
    names = screens.listed(part, seated)  # in a workshop the trainer plays the NSO, the partner and the clock
    st.session_state[screens.LISTED_KEY] = names
    if st.session_state.get(SCREEN_PART_KEY) != part or st.session_state.get(screens.SCREEN_KEY) not in names:
        # no choice yet (a new tab, a reload, another part): the screen that does the next step, else the first
        st.session_state[screens.SCREEN_KEY] = screens.next_screen(names) or names[0]
        st.session_state[SCREEN_PART_KEY] = part
    labels = {name: screens.screen_label(name) for name in names}  # worded now: format_func may run elsewhere
    st.radio(_("Screen"), names, key=screens.SCREEN_KEY, horizontal=True, format_func=labels.__getitem__,
             on_change=screens.forget_result)
    chosen = st.session_state[screens.SCREEN_KEY]
    done = (st.session_state.get(screens.RESULT_KEY) or {}).get("action")
    if done in names and screens.succeeded(done):  # what was just done, above the screen, naming its screen
        screens.show_result(done, named=True)
    if not ACTIONS[chosen].by_teacher:
        st.caption(_("On the real platform the NSO, your partner or the support service do this. "
                     "Here you play their part."))
    screens.SCREENS[chosen](case)
    _status(j)
    if not page_run and before != case and any(st.session_state.get(k) for k in BELOW_KEYS):
        # a panel below, outside this fragment, is open: the whole page again, so that it shows this case
        st.rerun(scope="app")


def _toolbar(case: Case) -> None:
    with st.container(border=True):
        clock, scenario, save = st.columns([2, 3, 2])
        with clock:
            st.markdown(_("Today in the sandbox: **{date}**").format(date=format_date(case.judged_on, lang())))
            st.button(_("Next day"), key="sb_next_day", icon=":material/calendar_today:",
                      on_click=screens.run, args=("advance_clock", lambda: {"days": 1}))
            screens.show_result("advance_clock")
        with scenario:
            ids, titles = _scenario_choices(lang())
            if st.session_state.get("sb_loaded") in ids and "sb_scenario" not in st.session_state:
                st.session_state["sb_scenario"] = st.session_state["sb_loaded"]  # the list shows what is loaded
            st.selectbox(_("Practice scenario"), ids, format_func=titles.__getitem__, key="sb_scenario")
            st.button(_("Load scenario"), key="sb_load", on_click=_load)
            if st.session_state.get("sb_loaded"):
                st.caption(_("Loaded: {title}").format(title=titles.get(st.session_state["sb_loaded"], "")))
        with save:
            st.download_button(_("Save as case file"), data=_case_file(case), file_name="etwinning-case.yaml",
                               mime="application/x-yaml", key="sb_download", icon=":material/download:")
            st.button(_("Start from scratch"), key="sb_reset", on_click=_reset)


@functools.cache
def _scenario_choices(code: str) -> tuple[list[str], dict[str, str]]:
    """The practice scenarios (files with a title in this language) and their titles: read once per process
    and language, like the content (the folder was listed on every run)."""
    titles = {s.id: s.title for s in load_content(code).get("scenarios.yaml").scenarios}
    return [i for i in scenario_ids() if i in titles], titles


def _loaded() -> str | None:
    """The practice scenario loaded in this tab; kept in the address bar (?scenario=, no secret) for F5.
    A link to /sandbox?scenario=X opened with an empty sandbox loads X's start (a goal judged on an empty
    case would read 'reached'); a sandbox with something in it is the learner's, kept as it is (F5 after
    practising). A name that is not a scenario is dropped from the address bar."""
    loaded = st.session_state.get("sb_loaded")
    asked = st.query_params.get("scenario")
    if loaded is None and asked:
        if asked not in scenario_ids():
            st.query_params.pop("scenario", None)
            return None
        if get_case() == Case():
            set_case(load_scenario(asked))
        loaded = st.session_state["sb_loaded"] = asked
    return loaded


def goal_panel(scenario_id: str | None) -> None:
    """The scenario's briefing and goal on the session's case, and 'goal reached' the moment the sandbox
    gets there: one element (the sandbox draws it in its fragment, so that it follows every action), none
    without a goal."""
    text = goal_text(scenario_id)
    if text:
        st.info(text, icon=":material/flag:")


def goal_text(scenario_id: str | None) -> str:
    """The goal panel's text: the briefing, the goal, and reached or what stands in the way."""
    g = derived.goal_of(scenario_id)
    if g is None:
        return ""
    heading, reach = _("Your goal"), _("To reach")
    text = (f"**{heading}** · {g.scenario.title}\n\n{resolve_links(g.scenario.description)}"
            f"\n\n**{reach}:** {resolve_links(g.scenario.goal)}")
    if g.reached:
        text += "\n\n:green-background[:material/emoji_events: **" + _("Goal reached! Well done.") + "**]"
    elif g.blocking:
        texts = content().rule_texts
        rule = texts[g.blocking].title if g.blocking in texts else g.blocking
        text += "\n\n" + _("Not there yet. What stands in the way: {rule}").format(rule=rule)
    return text


def _seat_toolbar(case: Case) -> None:
    with st.container(border=True):
        clock, save = st.columns([3, 2])
        with clock:
            st.markdown(_("Today in the sandbox: **{date}**").format(date=format_date(case.judged_on, lang())))
            st.caption(_("Your trainer moves the clock and plays the NSO, your partners and the support teams."))
        with save:
            st.download_button(_("Save as case file"), data=_case_file(case), file_name="etwinning-case.yaml",
                               mime="application/x-yaml", key="sb_download", icon=":material/download:")


class _Shown:
    """The case the page shows now: set by every run of the page and of its fragment (an action)."""

    case: Case = Case()


LATEST_KEY = "_sb_shown"


def _latest(case: Case) -> Case:
    """The page shows `case` from now on; returns the case it showed before."""
    shown: _Shown = st.session_state.setdefault(LATEST_KEY, _Shown())
    before, shown.case = shown.case, case
    return before


def _case_file(case: Case):
    """'Save as case file': the file is written when the teacher clicks, not on every run of the page; it is
    the case the page shows then (an action since the button was drawn reran only the fragment)."""
    _latest(case)
    shown: _Shown = st.session_state[LATEST_KEY]
    return lambda: dump_case(shown.case)


def _load() -> None:
    scenario_id = st.session_state.get("sb_scenario")
    if scenario_id:
        set_case(load_scenario(scenario_id))
        st.session_state["sb_loaded"] = scenario_id
        st.query_params["scenario"] = scenario_id
        st.session_state.pop(screens.RESULT_KEY, None)
        st.session_state.pop(screens.SEARCH_KEY, None)


def _reset() -> None:
    set_case(Case())
    st.session_state.pop("sb_loaded", None)
    st.query_params.pop("scenario", None)
    st.session_state.pop(screens.RESULT_KEY, None)
    st.session_state.pop(screens.SEARCH_KEY, None)


def _status(j) -> None:
    """Under the screen: the journey's next step, one line and its link."""
    nxt = j.next_step
    if nxt is None:
        st.success(_("Every step of the journey is done or skipped."), icon=":material/celebration:")
    else:  # one link that says the step and opens it
        link_to_step(nxt, _("Your next step: **{step}** · open it in the guided flows").format(
            step=step_title(nxt.id)))
def _below_fragment() -> None:
    """'What the checks find now' and 'The sandbox as a case file', under the fragment, each made only when
    opened (a sandbox action then neither words every rule's finding nor writes the case, issue #16). An
    action reruns only the fragment, which runs the whole page again while one is open and the case moved
    (what the page showed before, LATEST_KEY), so that neither ever shows an earlier case. The checks' label
    carries no count: an action does not draw it again."""
    checks = st.expander(_("What the checks find now"), key=CHECKS_KEY, on_change="rerun")
    if checks.open:
        with checks:
            blockers = [f for f in derived.failing() if f.severity == "blocker"]
            if blockers:  # the count and the list, one element
                st.markdown(ngettext("{n} check blocks you:", "{n} checks block you:", len(blockers)).format(
                    n=len(blockers)) + "\n\n" + "\n".join(f"- {f.title}" for f in blockers))
            else:
                st.caption(_("Nothing blocks you."))
    case_file = st.expander(_("The sandbox as a case file"), key=CASE_FILE_KEY, on_change="rerun")
    if case_file.open:
        with case_file:
            st.code(derived.case_file(), language="yaml")
