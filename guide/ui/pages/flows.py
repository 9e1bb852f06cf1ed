"""The guided flows page (?flow=<id>&step=<step id>): a handbook step, its self-check questions, 'Check'
with each failing rule's fix in place, and marking the step done or skipped.

Also holds what the start and sandbox pages share with it: the step progress in the session, the
sidebar progress bar, the findings box and links to a flow step.
"""

from __future__ import annotations

import streamlit as st

from ...case.paths import apply_sets
from ...content.flows import Question
from ...flows.journey import (
    Journey,
    StepBlocked,
    StepState,
    flows_of,
    mark_done,
    mark_skipped,
    unmark,
)
from ...steps.findings import Finding
from .. import derived, widgets
from ..app import page_for
from ..common import N_, _, content, lang, page_url, resolve_links, show_notices
from ..saving import answer, get_answers, get_case, get_progress, set_progress

CHECKED_KEY = "flows_checked"  # step ids whose 'Check' the teacher pressed in this session
PASSED_KEY = "flows_passed"    # the step whose 'Check' just passed (the next step says so)
REDRAW_KEY = "_flows_redraw"   # a 'Check' that passed changed more than its own part: the whole page runs again
DRAWN_KEY = "_flows_drawn"     # what the last whole run showed outside the step panel (see _panel)
STATUS_ICON = {"done": ":material/check_circle:", "skipped": ":material/skip_next:",
               "open": ":material/radio_button_unchecked:"}
STATUS_WORD = {"done": N_("done"), "skipped": N_("skipped"), "open": N_("open")}


# -- shared with the start and sandbox pages ---------------------------------------------------------

def journey() -> Journey:
    """The journey on the session's case and marks (computed once per case and marks: guide.ui.derived)."""
    return derived.journey()


def sidebar_progress(j: Journey) -> None:
    with st.sidebar:
        st.progress(j.done_count / j.total if j.total else 0.0,
                    text=_("Your journey: {done} of {total} steps done").format(done=j.done_count, total=j.total))


def step_title(step_id: str) -> str:
    found = content().step_by_id.get(step_id)
    return found[2].title if found else step_id


def flows_page() -> st.Page:
    """This page as st.navigation knows it (same callable and url_path), for st.page_link."""
    return page_for("flows")


def link_to_step(state: StepState, label: str) -> None:
    st.page_link(flows_page(), label=label, icon=":material/arrow_forward:",
                 query_params={"lang": lang(), "flow": state.flow, "step": state.id})


def step_url(flow_id: str, step_id: str) -> str:
    return page_url("flows", flow=flow_id, step=step_id)


def show_finding(f: Finding) -> None:
    """A failing rule as the shared fix card: title, who acts, the fix, the chapter link."""
    widgets.fix_card(f, content())


def failing_findings(rule_ids: list[str]) -> list[Finding]:
    """The failing findings of these rules on the session's case (worded once per case: guide.ui.derived)."""
    if not rule_ids:
        return []
    return derived.failing(rule_ids)


# -- the page ------------------------------------------------------------------------------------------

def _go(flow_id: str, step_id: str) -> None:
    st.query_params.update(flow=flow_id, step=step_id)  # one message to the browser, not one per parameter
    st.session_state["flows_flow"] = flow_id
    st.session_state["flows_step"] = step_id


def _selection(j: Journey) -> tuple[str, str]:
    """The step to show: the URL's, else the next step, else the first one."""
    flow_ids = [f.flow.id for f in j.flows]
    asked_flow, asked_step = st.query_params.get("flow"), st.query_params.get("step")
    step_flow = {s.id: s.flow for s in j.steps}
    if asked_step in step_flow and (asked_flow is None or asked_flow == step_flow[asked_step]):
        return step_flow[asked_step], asked_step
    if asked_step or (asked_flow and asked_flow not in flow_ids):
        st.warning(_("The link points to a step this guide does not know; here is your next step instead."))
    elif asked_flow in flow_ids:
        f = j.flow(asked_flow)
        first = next((s for s in f.steps if s.status == "open"), f.steps[0])
        return f.flow.id, first.id
    nxt = j.next_step or j.steps[0]
    return nxt.flow, nxt.id


def _pick_flow() -> None:
    flow_id = st.session_state["flows_flow"]
    j = journey()
    f = j.flow(flow_id)
    first = next((s for s in f.steps if s.status == "open"), f.steps[0])
    _go(flow_id, first.id)


def _pick_step() -> None:
    _go(st.session_state["flows_flow"], st.session_state["flows_step"])


def _drawn(j: Journey, flow_id: str) -> tuple[object, ...]:
    """What the page shows outside the step panel that the journey decides: the sidebar's count, each part's
    count in the part list, the part chosen."""
    return j.done_count, tuple(f.done_count for f in j.flows), flow_id, lang()


def render() -> None:
    j = journey()
    sidebar_progress(j)
    st.title(_("Guided flows"))
    flow_id, step_id = _selection(j)
    # the widgets follow the URL (deep links, 'next step'), not only their own clicks
    st.session_state["flows_flow"], st.session_state["flows_step"] = flow_id, step_id
    flow_state = j.flow(flow_id)
    titles = {f.flow.id: f"{f.flow.title} ({f.done_count}/{len(f.steps)})" for f in j.flows}
    st.selectbox(_("Part of the journey"), list(titles), format_func=titles.__getitem__, key="flows_flow",
                 on_change=_pick_flow)
    st.markdown(resolve_links(flow_state.flow.intro))
    st.session_state[DRAWN_KEY] = _drawn(j, flow_id)
    _panel()


@st.fragment
def _panel() -> None:
    """The steps and the chosen step: picking a step, answering, 'Check' rerun only this part (issue #16: a
    page interaction sends what changed, not the whole page). When the journey's counts or the part change
    (a step done, skipped, a case that shows more), the whole page runs again, so the sidebar and the part
    list never lag."""
    j = journey()
    flow_id, step_id = st.session_state["flows_flow"], st.session_state["flows_step"]
    if _drawn(j, flow_id) != st.session_state.get(DRAWN_KEY):
        st.rerun(scope="app")
    show_notices()  # what this panel's own run has to say ('Your progress is saved'); a whole run said the rest
    flow_state = j.flow(flow_id)
    if step_id not in {s.id for s in flow_state.steps}:
        st.rerun(scope="app")
    left, right = st.columns([1, 2], gap="large")
    with left:
        # open steps carry no icon: the radio's own circle already says 'not chosen'. A done or skipped step
        # says so in words too: the icon is decoration, hidden from screen readers (guide.ui.a11y)
        labels = {s.id: step_title(s.id) if s.status == "open" else
                  f"{STATUS_ICON[s.status]} {step_title(s.id)} ({_(STATUS_WORD[s.status])})"
                  for s in flow_state.steps}
        st.radio(_("Steps"), list(labels), format_func=labels.__getitem__, key="flows_step", on_change=_pick_step)
    with right:
        _step(j, j.step(step_id))


def _step(j: Journey, state: StepState) -> None:
    st.session_state.pop(REDRAW_KEY, None)  # this run draws the whole panel (or page): nothing more to redraw
    passed = st.session_state.pop(PASSED_KEY, None)
    if passed and passed != state.id:
        st.success(_("Check passed: '{title}' is done. Here is your next step.").format(title=step_title(passed)),
                   icon=":material/check_circle:")
    c = content()
    section, step = c.step_by_id[state.id][1:]
    st.caption(widgets.section_title(section))
    with st.container(border=True):
        widgets.step(step)
    here = f":small[[:material/link: {_('Link to this')}]({step_url(state.flow, state.id)})]"
    st.markdown(f"{STATUS_ICON[state.status]} " + _("Status of this step: {status}").format(
        status=_(STATUS_WORD[state.status])) + f" · {here}")
    questions = _questions(state)
    if questions:
        st.header(_("Self-check"), anchor=False)
        st.caption(_("Answer about your real account on ESEP; your answers fill in the same facts as the sandbox."))
        for q in questions:
            _question(q)
    _check(state.id)
    _actions(j, state, bool(questions))


def _questions(state: StepState) -> list[Question]:
    """The step's own questions, and one from elsewhere in the journey that can show it done (no dead end)."""
    return derived.questions(state)


def _answer(q: Question) -> None:
    chosen = st.session_state.get(f"flows_q_{q.id}")
    chosen_answer = next((a for a in q.answers if a.id == chosen), None)
    if chosen_answer is not None:
        answer(q.id, chosen_answer.id, apply_sets(get_case(), chosen_answer.sets, flows_of(content()).names))


def _question(q: Question) -> None:
    key = f"flows_q_{q.id}"
    now = derived.shown_answer(q, get_answers().get(q.id))
    if st.session_state.get(key) != now:
        st.session_state[key] = now  # the case may have changed in the sandbox since
    labels = {a.id: a.label for a in q.answers}
    st.radio(q.text, list(labels), format_func=labels.__getitem__, key=key, index=None, horizontal=True,
             on_change=_answer, args=(q,), help=q.help)


def _press_check(step_id: str) -> None:
    """'Check': when the case shows the step (its rules pass), the step is done and the next one opens;
    else the fixes show in place."""
    j = journey()
    state = j.step(step_id)
    results = {rid: derived.results()[rid] for rid in state.rules}
    verifiable = any(r.status != "not_applicable" for r in results.values()) or state.status == "done"
    if not state.failing and verifiable:
        progress = get_progress()
        if state.status != "done":
            progress = mark_done(progress, state)  # its rules pass: the case shows it (no blocker fails)
        elif state.mark == "skipped":
            progress = unmark(progress, step_id)
        if progress != get_progress():
            set_progress(progress)
        st.session_state[PASSED_KEY] = step_id
        st.session_state[REDRAW_KEY] = True
        nxt = journey().next_step
        if nxt is not None:
            _go(nxt.flow, nxt.id)
        return
    st.session_state[CHECKED_KEY] = {*st.session_state.get(CHECKED_KEY, set()), step_id}


@st.fragment
def _check(step_id: str) -> None:
    """'Check' and what it finds: pressing it reruns only this part (issue #16), the button and the fixes, not
    the step panel around it. A check that passed (the step is done, the next one opens) runs the whole page
    again, as a step done does."""
    if st.session_state.pop(REDRAW_KEY, False):
        st.rerun(scope="app")
    state = journey().step(step_id)
    checkable = bool(state.rules) or bool(state.step.shown_by)
    st.button(_("Check"), key="flows_check", icon=":material/fact_check:", on_click=_press_check, args=(state.id,),
              disabled=not checkable, help=None if checkable else _("This step has nothing to check."))
    if state.id not in st.session_state.get(CHECKED_KEY, set()):
        return
    failing = failing_findings(list(state.rules))
    if not failing and state.status != "done":
        st.info(_("Nothing to check yet: your case does not show this step yet. Answer the question above, or "
                  "do it in the practice sandbox."), icon=":material/hourglass_empty:")
    elif not failing:
        st.success(_("Check passed: nothing of this step is wrong in your case."), icon=":material/check:")
    for f in failing:
        show_finding(f)


def _mark_done(step_id: str) -> None:
    j = journey()
    try:
        set_progress(mark_done(get_progress(), j.step(step_id)))
    except StepBlocked:
        return  # the button was disabled; the case changed in between: the page says why on rerun
    nxt = journey().next_step
    if nxt is not None:
        _go(nxt.flow, nxt.id)


def _skip(step_id: str) -> None:
    set_progress(mark_skipped(get_progress(), step_id))
    st.session_state["flows_skipped_now"] = step_id


def _unmark(step_id: str) -> None:
    set_progress(unmark(get_progress(), step_id))


def _actions(j: Journey, state: StepState, answerable: bool) -> None:
    titles = {f.rule: f.title for f in failing_findings(list(state.skip_cost))}
    # 'Mark as done' only where the case cannot show the step here: no fact of it, or no question to answer
    markable = not state.step.case_can_show or not answerable
    with st.container(horizontal=True):
        if markable:
            st.button(_("Mark as done"), key="flows_done", type="primary", icon=":material/check:",
                      disabled=bool(state.blocking) or state.status == "done", on_click=_mark_done,
                      args=(state.id,))
        st.button(_("Skip for now"), key="flows_skip", icon=":material/skip_next:",
                  disabled=state.mark == "skipped", on_click=_skip, args=(state.id,))
        st.button(_("Undo my mark"), key="flows_unmark", icon=":material/undo:", disabled=state.mark is None,
                  on_click=_unmark, args=(state.id,))
        st.page_link(page_for("sandbox"), label=_("Do it in the practice sandbox"), icon=":material/science:",
                     query_params={"lang": lang(), "part": state.flow})
    notes = []  # one caption of one paragraph each (issue #16: one element, not one per note)
    if markable and state.status != "done":
        notes.append(_("Your case in this app has no fact that shows this step: mark it done yourself when you "
                       "have done it on ESEP.") if not state.step.case_can_show else
                     _("The practice sandbox shows this step done by itself. For your real account, mark it done "
                       "yourself when you have done it on ESEP."))
    if state.blocking:
        blockers = "; ".join(titles.get(r, r) for r in state.blocking)
        notes.append(_("You cannot mark this step done yet. First fix: {blockers}").format(blockers=blockers)
                     if markable else _("Not there yet. What stands in the way: {rule}").format(rule=blockers))
    skipped = state.mark == "skipped" or st.session_state.get("flows_skipped_now") == state.id
    if state.skip_cost and not skipped:
        later = "; ".join(titles.get(r, r) for r in state.skip_cost)
        notes.append(_("Skipping now leaves this for later: {problems}.").format(problems=later))
    if notes:
        st.caption("\n\n".join(notes))
    if skipped:
        cost = [titles[r] for r in state.skip_cost if r in titles]
        text = resolve_links(flows_of(content()).skip_cost)
        if cost:
            text = _("Skipping leaves this for later: {problems}.").format(problems="; ".join(cost)) + "\n\n" + text
        st.warning(text, icon=":material/skip_next:")
    nxt = j.next_step
    if nxt is not None and nxt.id != state.id:
        link_to_step(nxt, _("Next step: {title}").format(title=step_title(nxt.id)))
    elif nxt is None:
        st.success(_("Every step of the journey is done or skipped."), icon=":material/celebration:")
