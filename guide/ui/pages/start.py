"""The start page, 'Where am I?': progress per part of the journey and the ONE next step, with a link to it."""

from __future__ import annotations

import streamlit as st

from ...flows.journey import Journey, flows_of
from ..common import _, content, resolve_links
from .flows import (
    STATUS_ICON,
    STATUS_WORD,
    failing_findings,
    journey,
    link_to_step,
    show_finding,
    sidebar_progress,
    step_title,
)


def render() -> None:
    j = journey()
    sidebar_progress(j)
    flows = flows_of(content())
    st.title(_("Where am I?"))
    st.markdown(resolve_links(flows.start_intro))
    st.progress(j.done_count / j.total if j.total else 0.0,
                text=_("Your journey: {done} of {total} steps done").format(done=j.done_count, total=j.total))
    _next_step(j)
    st.header(_("The journey"), anchor=False)
    for f in j.flows:
        with st.container(border=True):
            icon = STATUS_ICON[f.status]
            count = _("{done} of {total} steps done").format(done=f.done_count, total=len(f.steps))
            st.markdown(f"{icon} **{f.flow.title}** — {_(STATUS_WORD[f.status])} ({count})")
            first = next((s for s in f.steps if s.status == "open"), f.steps[0])
            link_to_step(first, _("Open this part"))
    st.header(_("Two ways to tell the assistant where you stand"), anchor=False)
    st.markdown(resolve_links(flows.ways_to_fill))
    left, right = st.columns(2)
    with left:
        st.page_link(_sandbox_page(), label=_("Practise in the sandbox"), icon=":material/science:")
    with right:
        nxt = j.next_step or j.steps[0]
        link_to_step(nxt, _("Self-check in the guided flows"))


def _sandbox_page() -> st.Page:
    from ..app import page_for

    return page_for("sandbox")


def _next_step(j: Journey) -> None:
    nxt = j.next_step
    with st.container(border=True):
        if nxt is None:
            st.success(_("Every step of the journey is done or skipped."), icon=":material/celebration:")
            return
        flow = j.flow(nxt.flow).flow

        heading = _("Your next step")  # outside the f-string: the catalog's extraction does not look inside one
        st.markdown(f"**{heading}** · {flow.title}")
        st.header(step_title(nxt.id), anchor=False)
        if nxt.blocking:
            for f in failing_findings(list(nxt.blocking)):
                show_finding(f)
        link_to_step(nxt, _("Go to this step"))
