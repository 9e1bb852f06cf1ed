"""'Insights' for NSO operators: where teachers get stuck, from anonymous counts (guide.store.insights).

The page exists only while GUIDE_INSIGHTS_KEY is set (guide.ui.app.pages). The operator types the key into
a form (never a URL parameter); it is compared in constant time, and wrong keys count against the client
like wrong codes (guide.store.ratelimit). The session keeps only the key's hash, so a changed key signs
everybody out. Every count under 5 is shown as '< 5', in the tables, the charts and the CSV files alike:
the charts get only the shown values, never the exact small ones.
"""

from __future__ import annotations

import csv
import datetime as dt
import hmac
import io
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import altair as alt
import streamlit as st
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from ...content.loader import load_content
from ...flows.journey import flows_of
from ...flows.observe import part_ids
from ...server.settings import insights_key
from ...steps.findings import fill
from ...store import insights, ratelimit
from ...store.engine import run
from ...store.tokens import hash_secret
from ...text import clean
from ...troubleshoot.engine import DONT_KNOW, symptoms_of
from .. import identity
from ..common import N_, _, content, lang

log = logging.getLogger(__name__)
SIGNED_IN_KEY = "_insights_key_hash"   # the hash of the key this session signed in with (never the key)
PERIOD_DAYS = 30
TOP = 10
SOURCE_WORDS = {"sandbox": N_("Practice sandbox"), "selfcheck": N_("Self-checks"),
                "workshop": N_("Workshop sandboxes"), "troubleshooter": N_("Troubleshooter")}
UNREACHABLE = N_("The store cannot be reached just now. Try again in a few minutes.")


def render() -> None:
    st.title(_("Insights"))
    key = insights_key()
    if key is None:  # the key was removed while this page was open
        st.error(_("This page is switched off."))
        return
    if not _signed_in(key):
        _sign_in(key)
        return
    st.caption(_("Where teachers get stuck, from anonymous counts: no names, e-mail addresses or typed text "
                 "are kept for this. Counts under 5 are shown as '< 5'."))
    start, end = _period()
    if start is None or end is None:
        return
    try:
        _figures(start, end)
    except SQLAlchemyError:
        log.exception("reading insights failed")
        st.error(_(UNREACHABLE))
        return
    if st.button(_("Sign out"), key="insights_sign_out", icon=":material/logout:"):
        st.session_state.pop(SIGNED_IN_KEY, None)
        st.rerun()


# -- the key ---------------------------------------------------------------------------------------------

def _signed_in(key: str) -> bool:
    held = st.session_state.get(SIGNED_IN_KEY)
    return isinstance(held, str) and hmac.compare_digest(held, hash_secret(key))


def _sign_in(key: str) -> None:
    st.write(_("This page is for the National Support Organisation. Type the insights key your operator set "
               "up (GUIDE_INSIGHTS_KEY)."))
    with st.form("insights_key", clear_on_submit=True):
        typed = st.text_input(_("Insights key"), type="password", key="insights_key_typed", max_chars=200)
        submitted = st.form_submit_button(_("Open the insights"), type="primary")
    if not submitted:
        return
    def work(session: Session) -> bool:
        ratelimit.check(session, bucket)
        good = hmac.compare_digest(hash_secret(typed or ""), hash_secret(key))
        if not good:
            ratelimit.record_failure(session, bucket)
        return good

    try:
        engine = identity.engine()
        bucket = ratelimit.client_bucket(engine, identity.current(), identity.client_address())
        good = run(engine, work)
    except ratelimit.RateLimited:
        st.error(_("Too many wrong keys. Wait a quarter of an hour and try again."))
        return
    except SQLAlchemyError:
        log.exception("checking the insights key failed")
        st.error(_(UNREACHABLE))
        return
    if not good:
        st.error(_("This key is not right."))
        return
    st.session_state[SIGNED_IN_KEY] = hash_secret(key)
    st.rerun()


# -- the period ------------------------------------------------------------------------------------------

def _period() -> tuple[dt.date | None, dt.date | None]:
    today = dt.date.today()
    left, right = st.columns(2)
    start = left.date_input(_("From"), value=today - dt.timedelta(days=PERIOD_DAYS - 1), max_value=today,
                            key="insights_from", format="YYYY-MM-DD")
    end = right.date_input(_("To"), value=today, key="insights_to", format="YYYY-MM-DD")
    if not isinstance(start, dt.date) or not isinstance(end, dt.date):
        st.error(_("Choose both dates of the period."))
        return None, None
    if start > end:
        st.error(_("The period starts after it ends: choose a 'From' date on or before the 'To' date."))
        return None, None
    return start, end


# -- tables, charts, CSV ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class Column:
    name: str        # the heading in the operator's language
    count: bool = False  # a count: shown as '< 5' under 5


def _cell(value: object, column: Column) -> str:
    if column.count and isinstance(value, int):
        return insights.shown(value)
    return "" if value is None else str(value)


def _rows(columns: Sequence[Column], rows: Sequence[Sequence[object]]) -> list[dict[str, str]]:
    return [{c.name: _cell(v, c) for c, v in zip(columns, row, strict=True)} for row in rows]


def _csv(columns: Sequence[Column], rows: Sequence[Sequence[object]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([c.name for c in columns])
    for row in rows:
        writer.writerow([_cell(v, c) for c, v in zip(columns, row, strict=True)])
    return out.getvalue()


def _beside(chart: Any, height: int, summary: str, columns: Sequence[Column],
            rows: Sequence[Sequence[object]], name: str, key: str) -> None:
    """A chart (with `summary` as its text alternative), and beside it its table and a CSV download of the
    same (shown) values."""
    left, right = st.columns(2, gap="large")
    with left:  # padding: the axis titles at the chart's edge are drawn whole
        chart = chart.properties(padding={"left": 12, "top": 8, "right": 8, "bottom": 8},
                                 autosize=alt.AutoSizeParams(type="fit", contains="padding"))
        st.altair_chart(chart, width="stretch", height=height, alt=summary, key=f"insights_chart_{key}")
    with right:
        st.dataframe(_rows(columns, rows), hide_index=True, width="stretch")
        st.download_button(_("Download CSV"), _csv(columns, rows), file_name=f"insights-{name}.csv",
                           mime="text/csv", key=f"insights_csv_{key}", icon=":material/download:")


def _band(count: int) -> str:
    return _("under 5") if 0 < count < insights.SMALL else _("5 or more")


def _height(bars: int) -> int:
    return 44 * bars + 70


#: the longest a bar's label may be drawn (px, then '…'; the table beside has the whole title): a half-width
#: column on a laptop is ~330 px, and the bars need the rest
LABEL_LIMIT = 130


def _room(values: Sequence[object]) -> Any:
    """An x scale from 0 with room after the longest bar for the figure printed after it ('112')."""
    return alt.Scale(domain=[0, max([1.0, *(float(v) for v in values if isinstance(v, (int, float)))]) * 1.25])


def _bars(labels: Sequence[str], counts: Sequence[int], axis: str) -> Any:
    """Horizontal bars of counts; a count under 5 is drawn at 5 in a lighter colour and labelled '< 5' (the
    chart's data holds only what the table shows)."""
    data = [{"item": label, "value": max(n, insights.SMALL) if n < insights.SMALL else n,
             "shown": insights.shown(n), "band": _band(n)} for label, n in zip(labels, counts, strict=True)]
    order = list(labels)
    base = alt.Chart(alt.Data(values=data)).encode(
        y=alt.Y("item:N", sort=order, title=None, axis=alt.Axis(labelLimit=LABEL_LIMIT)),
        x=alt.X("value:Q", title=axis, scale=_room([d["value"] for d in data])),
        tooltip=[alt.Tooltip("item:N", title=axis), alt.Tooltip("shown:N", title=_("Count"))])
    bars = base.mark_bar().encode(color=alt.Color(  # grey: under 5, drawn at 5 and labelled '< 5'
        "band:N", scale=alt.Scale(domain=[_("5 or more"), _("under 5")], range=["#a84300", "#c9c9c9"]),
        legend=None))
    text = base.mark_text(align="left", dx=4, color="#262730").encode(text="shown:N")
    return alt.layer(bars, text)


def _part_titles() -> dict[str, str]:
    return {f.id: f.title for f in flows_of(content()).flows}


def _figures(start: dt.date, end: dt.date) -> None:
    engine = identity.engine()
    c = content()
    parts = part_ids(c)
    titles = _part_titles()

    st.header(_("Rules that fail most"), anchor=False)
    st.caption(_("How many sessions met each rule failing (blockers and warnings), per place in the app. "
                 "In the troubleshooter: per conversation."))
    found = insights.failing_rules(engine, start, end)
    texts = c.rule_texts
    tabs = st.tabs([_(SOURCE_WORDS[s]) for s in insights.SOURCES])
    for source, tab in zip(insights.SOURCES, tabs, strict=True):
        with tab:
            rows = [(r.rule, texts[r.rule].title if r.rule in texts else r.rule, r.count)
                    for r in found if r.source == source]
            if not rows:
                st.write(_("Nothing counted in this period."))
                continue
            top = rows[:TOP]
            _beside(_bars([t for _r, t, _n in top], [n for _r, _t, n in top], _("Sessions")), _height(len(top)),
                    _("Bar chart: the {n} rules that failed most ({where}); the table beside it has the figures.")
                    .format(n=len(top), where=_(SOURCE_WORDS[source])),
                    [Column(_("Title")), Column(_("Sessions"), count=True), Column(_("Rule"))],
                    [(t, n, r) for r, t, n in rows], f"rules-{source}", f"rules_{source}")

    st.header(_("How far learners get"), anchor=False)
    st.caption(_("Per part of the journey: how often it was started (a first step done) and finished (every "
                 "step done or skipped), in the sandbox, the guided flows and workshops together."))
    funnel = insights.funnel(engine, start, end, parts)
    if not any(f.started or f.done for f in funnel):
        st.write(_("Nothing counted in this period."))
    else:
        started, finished = _("Started"), _("Finished")
        data = [{"part": titles.get(f.part, f.part), "measure": measure,
                 "value": max(n, insights.SMALL) if 0 < n < insights.SMALL else n, "shown": insights.shown(n)}
                for f in funnel for measure, n in ((started, f.started), (finished, f.done))]
        order = [titles.get(p, p) for p in parts]
        chart = alt.Chart(alt.Data(values=data)).mark_bar().encode(
            x=alt.X("part:N", sort=order, title=None,  # every part named, none hidden as overlapping
                    axis=alt.Axis(labelAngle=-45, labelLimit=170, labelOverlap=False)),
            xOffset=alt.XOffset("measure:N", sort=[started, finished]),
            y=alt.Y("value:Q", title=_("Learners")),
            color=alt.Color("measure:N", sort=[started, finished], title=None,
                            scale=alt.Scale(range=["#a84300", "#1f5f8b"]), legend=alt.Legend(orient="bottom")),
            tooltip=[alt.Tooltip("part:N", title=_("Part")), alt.Tooltip("measure:N", title=" "),
                     alt.Tooltip("shown:N", title=_("Count"))])
        labels = chart.mark_text(dy=-6, color="#262730").encode(text="shown:N")
        _beside(alt.layer(chart, labels), 400,
                _("Bar chart: per part of the journey, how often it was started and finished; the table beside "
                  "it has the figures."),
                [Column(_("Part")), Column(started, count=True), Column(finished, count=True)],
                [(titles.get(f.part, f.part), f.started, f.done) for f in funnel], "funnel", "funnel")

    st.header(_("Time per part in workshops"), anchor=False)
    st.caption(_("The median time participants took for a part, from the moment it was their current part "
                 "until it was finished, in whole minutes. Shown from 5 participants on."))
    times = insights.part_times(engine, start, end, parts)
    if not times:
        st.write(_("Nothing counted in this period."))
    else:
        data = [{"part": titles.get(t.part, t.part), "value": t.median or 0,
                 "shown": _("{n} min").format(n=_minutes(t.median)) if t.median is not None
                 else _("fewer than 5 participants")} for t in times]
        order = [titles.get(t.part, t.part) for t in times]
        base = alt.Chart(alt.Data(values=data)).encode(
            y=alt.Y("part:N", sort=order, title=None, axis=alt.Axis(labelLimit=LABEL_LIMIT)),
            x=alt.X("value:Q", title=_("Median (minutes)"), scale=_room([d["value"] for d in data])),
            tooltip=[alt.Tooltip("part:N", title=_("Part")), alt.Tooltip("shown:N", title=_("Median"))])
        chart = alt.layer(base.mark_bar(color="#a84300"),
                          base.mark_text(align="left", dx=4, color="#262730").encode(text="shown:N"))
        _beside(chart, _height(len(data)),
                _("Bar chart: the median minutes per part in workshops; the table beside it has the figures."),
                [Column(_("Part")), Column(_("Participants"), count=True), Column(_("Median (minutes)"))],
                [(titles.get(t.part, t.part), t.participants, _minutes(t.median) if t.median is not None else "")
                 for t in times], "time-per-part", "times")

    st.header(_("Troubleshooter paths that ended in an escalation"), anchor=False)
    st.caption(_("The complaint and the answers given, when the hand-over ended with an e-mail to the NSO or "
                 "to ESEP support."))
    paths = insights.escalations(engine, start, end)
    if not paths:
        st.write(_("Nothing counted in this period."))
        return
    words = [_path_words(p) for p in paths]
    shortlist = list(zip(words, paths, strict=True))[:TOP]
    _beside(_bars([f"{i}. {w[0]}" for i, (w, _p) in enumerate(shortlist, 1)], [p.count for _w, p in shortlist],
                  _("Conversations")), _height(len(shortlist)),
            _("Bar chart: the troubleshooter paths that ended in an escalation most often, numbered as in the "
              "table beside it."),
            [Column(_("Number")), Column(_("Complaint")), Column(_("Answers")), Column(_("Path (ids)")),
             Column(_("Conversations"), count=True)],
            [(i, w[0], w[1], p.key, p.count) for i, (w, p) in enumerate(zip(words, paths, strict=True), 1)],
            "escalations", "escalations")


def _minutes(median: float | None) -> str:
    if median is None:
        return ""
    return str(int(median)) if float(median).is_integer() else f"{median:.1f}"


def _path_words(path: insights.Path) -> tuple[str, str]:
    """(complaint title, 'question: answer → ...') in the operator's language; ids where content has none."""
    symptoms = symptoms_of(load_content(lang()))
    symptom = symptoms.symptom_by_id.get(path.complaint)
    title = symptom.title if symptom else path.complaint
    steps = []
    for qid, aid in path.steps:
        q = symptoms.question_by_id.get(qid)
        if q is None:
            steps.append(f"{qid}: {aid}")
            continue
        labels = {a.id: a.label for a in q.answers} | {DONT_KNOW: symptoms.handover.dont_know}
        answer = labels.get(aid, _("(typed in)") if aid == "value" else aid)
        steps.append(f"{clean(fill(q.text, symptoms.slots, lang(), {}, escape=clean))} {answer}")
    return title, " → ".join(steps)
