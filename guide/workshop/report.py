"""The workshop report a trainer downloads after closing: how many joined, how many reached each goal,
the staged trouble and how fast it was fixed, the most common blockers with their fixes, and the time
per part of the journey. One page of PDF (fpdf2, as the checklist export) and the same as Markdown, in
the trainer's language; participants' nicknames only when the trainer asks for them."""

from __future__ import annotations

import datetime as dt
import re
import statistics
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from ..checklist_export import find_font
from ..content.loader import load_content
from ..flows.goals import goal, scenario_of
from ..flows.journey import flows_of
from ..steps.findings import check, diagnose
from ..steps.registry import all_rules
from ..store.engine import Engine
from . import service, staging

Gettext = Callable[[str], str]
TOP_BLOCKERS = 5
_MD_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")


@dataclass(frozen=True)
class GoalLine:
    title: str
    reached: int
    of: int


@dataclass(frozen=True)
class FaultLine:
    kind: str              # 'flip:<name>' or 'scenario:<id>' (labelled by the caller's language)
    label: str
    staged: int
    fixed: int             # by the participants' own actions
    helped: int            # after a trainer command
    taken_back: int
    open: int
    median: dt.timedelta | None   # staging to fixed (fixed and helped)


@dataclass(frozen=True)
class BlockerLine:
    rule: str
    title: str
    participants: int
    fix: str               # plain text


@dataclass(frozen=True)
class PartLine:
    title: str
    finished: int
    median: dt.timedelta | None


@dataclass(frozen=True)
class Person:
    nickname: str
    reached: bool
    fixed: int
    staged: int


@dataclass(frozen=True)
class Report:
    title: str
    day: dt.date
    lang: str
    scenario: str
    joined: int
    goals: list[GoalLine]
    faults: list[FaultLine]
    blockers: list[BlockerLine]
    parts: list[PartLine]
    people: list[Person]
    trainer_actions: int


def plain(markdown: str) -> str:
    text = _MD_LINK.sub(r"\1", markdown)
    return " ".join(re.sub(r"[*`]|(?<!\w)_|_(?!\w)", "", text).split())


def _median(values: list[dt.timedelta]) -> dt.timedelta | None:
    return dt.timedelta(seconds=statistics.median(v.total_seconds() for v in values)) if values else None


def build(engine: Engine, workshop_id: str, key: str, lang: str, label: Callable[[str], str]) -> Report:
    """The report's figures from the store, content texts in `lang`; `label` names a staged fault."""
    content = load_content(lang)
    data = service.report_rows(engine, workshop_id, key)
    w = data.workshop
    rules = all_rules()
    goals: dict[str, list[bool]] = {}
    blockers: Counter[str] = Counter()
    example: dict[str, int] = {}
    people = []
    fixed_by: Counter[int] = Counter(f.participant_id for f in data.faults if f.outcome in ("fixed", "helped"))
    staged_for: Counter[int] = Counter(f.participant_id for f in data.faults)
    for i, row in enumerate(data.participants):
        results = check(row.case)
        scenario_id = row.scenario or w.scenario
        g = goal(content, scenario_id, row.case, results)
        goals.setdefault(scenario_id, []).append(bool(g and g.reached))
        for rid, r in results.items():
            if r.status == "fail" and rules[rid].severity == "blocker":
                blockers[rid] += 1
                example.setdefault(rid, i)
        people.append(Person(row.nickname, bool(g and g.reached), fixed_by[row.id], staged_for[row.id]))
    texts = content.rule_texts
    top = []
    for rid, n in sorted(blockers.items(), key=lambda kv: (-kv[1], kv[0]))[:TOP_BLOCKERS]:
        case = _anonymous(data.participants[example[rid]].case)
        finding = diagnose(case, lang, content, [rid], escape=lambda s: s)[0]
        top.append(BlockerLine(rid, texts[rid].title if rid in texts else rid, n, plain(finding.fix)))
    faults = []
    for kind in dict.fromkeys(f.kind for f in reversed(data.faults)):  # in the order they were staged
        mine = [f for f in data.faults if f.kind == kind]
        outcomes = Counter(f.outcome for f in mine)
        faults.append(FaultLine(kind, label(kind), len(mine), outcomes["fixed"], outcomes["helped"],
                                outcomes["taken_back"], outcomes[None],
                                _median([f.took for f in mine if f.took is not None])))
    parts = []
    for flow in flows_of(content).flows:
        spans = []
        for row in data.participants:
            times = row.parts.get(flow.id, {})
            if "since" in times and "done" in times:
                spans.append(dt.datetime.fromisoformat(times["done"]) - dt.datetime.fromisoformat(times["since"]))
        parts.append(PartLine(flow.title, len(spans), _median(spans)))
    scenario = scenario_of(content, w.scenario)
    goal_lines = [GoalLine(s.title if (s := scenario_of(content, sid)) else sid, sum(v), len(v))
                  for sid, v in goals.items()]
    return Report(w.title, w.day, lang, scenario.title if scenario else w.scenario, len(data.participants),
                  goal_lines, faults, top, parts, people, data.trainer_actions)


def _anonymous(case):  # a Case
    """The case a fix is written for, without what identifies the teacher (name, e-mail addresses)."""
    new = case.model_copy(deep=True)
    new.person.name = ""
    if new.eu_login is not None:
        new.eu_login.email = "…"
    for account in new.accounts:
        account.email = "…"
    return new


def minutes(delta: dt.timedelta | None, _: Gettext) -> str:
    if delta is None:
        return "–"
    seconds = int(delta.total_seconds())
    if seconds < 60:
        return _("{s} s").format(s=seconds)
    return _("{m} min {s} s").format(m=seconds // 60, s=seconds % 60)


def _sections(report: Report, _: Gettext, names: bool) -> list[tuple[str, list[str]]]:
    """The report as (heading, lines): one source for the Markdown and the PDF."""
    out: list[tuple[str, list[str]]] = []
    out.append((_("In short"), [
        _("Date: {day} · exercise: {scenario}").format(day=report.day.isoformat(), scenario=report.scenario),
        _("Participants who joined: {n}. Trainer actions on the timeline: {k}.").format(
            n=report.joined, k=report.trainer_actions)]))
    out.append((_("Goals reached"), [_("{title}: {reached} of {of}").format(title=g.title, reached=g.reached, of=g.of)
                                     for g in report.goals] or [_("Nobody joined.")]))
    if report.faults:
        out.append((_("Staged trouble"), [
            _("{label}: staged {n} times; fixed by them {fixed}, after a trainer command {helped}, taken back "
              "{back}, still open {open}; median time to fix {median}").format(
                label=f.label, n=f.staged, fixed=f.fixed, helped=f.helped, back=f.taken_back, open=f.open,
                median=minutes(f.median, _)) for f in report.faults]))
    out.append((_("Most common blockers, with their fixes"), [
        _("{title} (participants: {n}): {fix}").format(title=b.title, n=b.participants, fix=b.fix)
        for b in report.blockers] or [_("No blockers left at the end.")]))
    out.append((_("Time per part of the journey (median)"), [
        _("{part}: {median} (finished by: {n})").format(part=p.title, median=minutes(p.median, _),
                                                                      n=p.finished)
        for p in report.parts if p.finished] or [_("No participant finished a part during the workshop.")]))
    if names:
        out.append((_("Participants"), ["; ".join(
            _("{nickname}: goal {goal}, {fixed} of {staged} staged faults fixed").format(
                nickname=p.nickname, goal=_("reached") if p.reached else _("not yet"), fixed=p.fixed,
                staged=p.staged) for p in report.people)]))
    return out


def to_markdown(report: Report, _: Gettext, names: bool = False) -> str:
    from ..text import clean

    lines = [f"# {_('Workshop report')}: {clean(report.title)}", ""]
    for heading, items in _sections(report, _, names):
        lines += [f"## {heading}", ""] + [f"- {clean(item)}" for item in items] + [""]
    if not names:
        lines.append(_("Participants' nicknames are left out."))
    return "\n".join(lines).rstrip() + "\n"


def to_pdf(report: Report, _: Gettext, names: bool = False) -> bytes:
    """One A4 page: the font shrinks until everything fits (raises PdfFontMissing without a font)."""
    for size in (10.0, 9.0, 8.0, 7.0, 6.0, 5.0):
        pdf = _pdf(report, _, names, size)
        if pdf.page == 1 or size == 5.0:
            return bytes(pdf.output())
    raise AssertionError("unreachable")


def _pdf(report: Report, _: Gettext, names: bool, size: float):  # an FPDF
    from fpdf import FPDF

    from ..text import clean

    font = find_font()
    pdf = FPDF(format="A4")
    pdf.set_title(_("Workshop report") + ": " + clean(report.title))
    pdf.set_creator("eTwinning onboarding assistant")
    pdf.set_lang(report.lang)
    pdf.add_font("body", "", str(font))
    bold = font.with_name(font.name.replace("DejaVuSans.ttf", "DejaVuSans-Bold.ttf"))
    pdf.add_font("body", "B", str(bold if bold.is_file() else font))
    pdf.set_margins(15, 12, 15)
    pdf.set_auto_page_break(True, margin=12)
    pdf.add_page()
    width = pdf.w - pdf.l_margin - pdf.r_margin
    line = size * 0.5
    pdf.set_font("body", "B", size + 6)
    pdf.multi_cell(width, line + 3, _("Workshop report") + ": " + clean(report.title), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(1)
    for heading, items in _sections(report, _, names):
        pdf.set_font("body", "B", size + 1.5)
        pdf.multi_cell(width, line + 1.5, heading, new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("body", "", size)
        for item in items:
            pdf.set_x(pdf.l_margin + 3)
            pdf.multi_cell(width - 3, line, "• " + clean(item), new_x="LMARGIN", new_y="NEXT", align="L")
        pdf.ln(1.5)
    if not names:
        pdf.set_font("body", "", size - 1)
        pdf.multi_cell(width, line, _("Participants' nicknames are left out."), new_x="LMARGIN", new_y="NEXT")
    return pdf


def label_for(kind: str, lang: str, _: Gettext) -> str:
    """A staged fault's name in `lang` (without the UI): the flip's words, or 'Scenario: <title>'."""
    if kind.startswith(staging.FLIP):
        found = staging.FLIPS.get(kind.removeprefix(staging.FLIP))
        return _(found.label) if found else kind
    scenario = scenario_of(load_content(lang), kind.removeprefix(staging.SCENARIO))
    return _("Scenario: {title}").format(title=scenario.title if scenario else kind)
