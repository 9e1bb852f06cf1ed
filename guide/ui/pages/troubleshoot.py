"""The helpdesk troubleshooter page: complaint -> a few questions -> findings -> summary, case file, e-mail.

Nothing typed here is stored on the server: answers live in this browser session and leave it only as
downloads. Names and free text are shown as plain text (st.code / st.text), never as Markdown or HTML.
"""

from __future__ import annotations

import datetime as dt

import streamlit as st

from ... import LANGUAGES
from ...content.loader import load_content
from ...content.symptoms import Question, Symptoms
from ...errors import CaseError
from ...i18n import country_name, language_name, problem_text
from ...steps.findings import diagnose, escape_markdown
from ...store.insights import path_key
from ...text import MAX_LONG, MAX_SHORT, clean
from ...troubleshoot.engine import DONT_KNOW, Given, Walk, diagnosis, symptoms_of, walk
from ...troubleshoot.handover import (
    OUTCOMES,
    Teacher,
    case_file,
    email,
    handover_case,
    judged,
    question_words,
    reply,
    route,
    summary,
)
from ...troubleshoot.matching import match
from ...troubleshoot.upload import MAX_BYTES, read_upload, symptom_of
from .. import observe, widgets
from ..common import _, lang, resolve_links

SYMPTOM_KEY = "ts_symptom"


def render() -> None:
    st.title(_("Troubleshooter"))
    st.caption(_("Start from the teacher's complaint, answer a few questions, and hand over a complete case. "
                 "Nothing you type here is stored on the server; the summary, case file and e-mail are downloads."))
    agent_lang, teacher_lang = _languages()
    complaint, upload = st.tabs([_("Start from a complaint"), _("Upload a case file")])
    with complaint:
        _complaint(agent_lang, teacher_lang)
    with upload:
        _upload(agent_lang)


def _languages() -> tuple[str, str]:
    here = lang()
    left, right = st.columns(2)
    options = list(LANGUAGES)
    with left:
        agent = st.selectbox(_("Language of the helpdesk agent (summary)"), options, index=options.index(here),
                             format_func=language_name, key="ts_agent_lang")
    with right:
        teacher = st.selectbox(_("Language of the teacher (advice and e-mail)"), options, index=options.index(here),
                               format_func=language_name, key="ts_teacher_lang")
    return agent, teacher


# -- step 1: the complaint ------------------------------------------------------------------------------

def _catalogue(language: str) -> Symptoms:
    return symptoms_of(load_content(language))


def _chosen(symptoms: Symptoms) -> str | None:
    if SYMPTOM_KEY not in st.session_state:
        asked = st.query_params.get("symptom")
        st.session_state[SYMPTOM_KEY] = asked if asked in symptoms.symptom_by_id else None
        if asked and asked not in symptoms.symptom_by_id:
            st.warning(_("The link asks for a complaint this troubleshooter does not know; pick one below."))
    return st.session_state[SYMPTOM_KEY]


def _pick(symptom_id: str | None) -> None:
    for key in [k for k in st.session_state if str(k).startswith("ts_q_")]:
        del st.session_state[key]
    st.session_state[SYMPTOM_KEY] = symptom_id
    observe.new_conversation()
    if symptom_id:
        st.query_params["symptom"] = symptom_id
    elif "symptom" in st.query_params:
        del st.query_params["symptom"]


def _complaint(agent_lang: str, teacher_lang: str) -> None:
    symptoms = _catalogue(agent_lang)
    chosen = _chosen(symptoms)
    if chosen is None:
        _symptom_list(symptoms, agent_lang)
        return
    symptom = symptoms.symptom_by_id[chosen]
    st.header(symptom.title)
    st.button(_("Choose another complaint"), key="ts_reset", on_click=_pick, args=(None,),
              icon=":material/arrow_back:")
    answers = _answers(symptoms, chosen)
    w = walk(symptoms, chosen, answers, dt.date.today())
    _questions(symptoms, w, agent_lang)
    if not w.done:
        st.info(_("Answer the question above; the findings appear when every needed fact is known."))
        return
    st.divider()
    _findings(w, agent_lang, teacher_lang)
    st.divider()
    _handover(w, answers, agent_lang, teacher_lang)


def _symptom_list(symptoms: Symptoms, agent_lang: str) -> None:
    st.header(_("What is the complaint?"))
    typed = st.text_input(_("Describe the problem in your own words"), key="ts_search",
                          placeholder=_("e.g. my partner is not in the co-founder list"), max_chars=MAX_SHORT)
    if typed and typed.strip():
        catalogues = [symptoms, *(_catalogue(x) for x in LANGUAGES if x != agent_lang)]
        found = match(typed, catalogues)
        if found:
            st.caption(_("Matching complaints:"))
            for m in found:
                st.button(symptoms.symptom_by_id[m.symptom].title, key=f"ts_match_{m.symptom}", on_click=_pick,
                          args=(m.symptom,), icon=":material/arrow_forward:", type="primary")
        else:
            st.warning(_("No complaint matches these words; pick one from the list below."))
    st.caption(_("Or pick the complaint from the list:"))
    left, right = st.columns(2)
    for i, s in enumerate(symptoms.symptoms):
        with left if i % 2 == 0 else right:
            st.button(s.title, key=f"ts_sym_{s.id}", on_click=_pick, args=(s.id,), use_container_width=True)


# -- step 2: the questions ------------------------------------------------------------------------------

def _key(symptom_id: str, question: Question, part: str = "") -> str:
    return f"ts_q_{symptom_id}_{question.id}{part}"


def _answers(symptoms: Symptoms, symptom_id: str) -> dict[str, Given]:
    """The answers given so far, read from the widgets' state (before they are drawn again)."""
    out: dict[str, Given] = {}
    for qid in symptoms.symptom_by_id[symptom_id].questions:
        q = symptoms.question_by_id[qid]
        if q.kind == "choice":
            picked = st.session_state.get(_key(symptom_id, q))
            if picked:
                out[qid] = Given(picked)
            continue
        typed = st.session_state.get(_key(symptom_id, q, "_value"))
        other = st.session_state.get(_key(symptom_id, q, "_other"))
        if isinstance(typed, str):
            typed = typed.strip()
        if typed is not None and typed != "":  # 0 projects is an answer
            out[qid] = Given(value=int(typed) if isinstance(typed, float) else typed)
        elif other:
            out[qid] = Given(other)
    return out


def _questions(symptoms: Symptoms, w: Walk, agent_lang: str) -> None:
    st.markdown("**" + _("Questions") + "**")
    sid = w.symptom.id
    dont_know = symptoms.handover.dont_know
    for number, q in enumerate(w.asked, 1):
        # the question names people the agent typed: escaped, so a name is never read as Markdown
        # (a no-break space after the number: not a Markdown list, and no backslash in the accessible name)
        label = f"{number}.\u00a0{question_words(symptoms, w, q.id, agent_lang, escape_markdown)}"
        hint = resolve_links(q.hint)
        labels = {a.id: a.label for a in q.answers} | {DONT_KNOW: dont_know}
        if q.kind == "choice":
            st.radio(label, [a.id for a in q.answers] + [DONT_KNOW], format_func=labels.__getitem__, index=None,
                     key=_key(sid, q), help=hint)
            continue
        if q.kind == "country":
            codes = sorted(_countries(), key=lambda c: country_name(c, lang()))
            st.selectbox(label, codes, index=None, format_func=lambda c: country_name(c, lang()),
                         key=_key(sid, q, "_value"), placeholder=_("Choose a country"), help=hint)
        elif q.kind == "number":
            st.number_input(label, min_value=0, step=1, value=None, key=_key(sid, q, "_value"), help=hint)
        elif q.kind == "date":
            st.date_input(label, value=None, key=_key(sid, q, "_value"), help=hint, format="DD-MM-YYYY")
        else:
            st.text_input(label, key=_key(sid, q, "_value"), help=hint, max_chars=MAX_SHORT)
        st.radio(_("Or:"), [a.id for a in q.answers] + [DONT_KNOW], format_func=labels.__getitem__, index=None,
                 key=_key(sid, q, "_other"), horizontal=True)


def _countries() -> list[str]:
    import pycountry

    return [c.alpha_2 for c in pycountry.countries]


# -- step 3: findings ----------------------------------------------------------------------------------

def _teacher_typed() -> Teacher:
    """What the agent typed in the hand-over form so far (the form is drawn below the findings)."""
    get = st.session_state.get
    return Teacher(get("ts_name", ""), get("ts_account", ""), get("ts_school", ""), get("ts_country"),
                   get("ts_tried", ""))


def _findings(w: Walk, agent_lang: str, teacher_lang: str) -> None:
    """The findings on screen, in the agent's language, judged on the case the hand-over saves: uploading
    the saved case file shows exactly these findings again."""
    words = load_content(agent_lang)
    agent = _catalogue(agent_lang)
    d = diagnosis(agent, w, agent_lang, words, case=handover_case(w, _teacher_typed()))
    st.header(_("Findings"))
    if not d.failing and not d.to_check:
        st.success(_("None of the checks for this complaint fails. Ask for a screenshot and hand the case over."))
    for f in d.failing:
        widgets.fix_card(f, words)
    if d.to_check:
        st.markdown("**" + agent.handover.to_check + "**")
        for item in d.to_check:
            st.markdown(f"- {resolve_links(agent.question_by_id[item.question.id].hint)}")
    passed = [f for f in d.findings if f.status == "pass"]
    if passed:
        with st.expander(_("Checked and fine ({n})").format(n=len(passed))):
            for f in passed:
                st.markdown(f"- {f.title}")


# -- step 4: handover ----------------------------------------------------------------------------------

def _handover(w: Walk, answers: dict[str, Given], agent_lang: str, teacher_lang: str) -> None:
    st.header(_("Hand over"))
    st.caption(_("Fill in what the ticket and the e-mail need. Stays in this browser tab; nothing is saved."))
    case_country = w.builder.data.get("person", {}).get("country")
    left, right = st.columns(2)
    with left:
        name = st.text_input(_("Teacher's name"), key="ts_name", max_chars=MAX_SHORT)
        account = st.text_input(_("Account ID"), key="ts_account", help=_("The number in the teacher's ESEP profile"), max_chars=MAX_SHORT)
        school = st.text_input(_("School"), key="ts_school", max_chars=MAX_SHORT)
    with right:
        codes = sorted(_countries(), key=lambda c: country_name(c, agent_lang))
        country = case_country or st.selectbox(
            _("Country of the school"), codes, index=None, format_func=lambda c: country_name(c, agent_lang),
            key="ts_country", placeholder=_("Choose a country"))
        if case_country:
            st.text_input(_("Country of the school"), country_name(case_country, agent_lang), disabled=True,
                          key="ts_country_known", max_chars=MAX_SHORT)
        tried = st.text_area(_("What the teacher already tried"), key="ts_tried", height=100, max_chars=MAX_LONG)
    if account.strip() and not account.strip().isdigit():
        st.warning(_("An account ID is a number, e.g. 2124634."))
    teacher = Teacher(name, account, school, country, tried)
    outcomes = _outcomes(w, answers, teacher, agent_lang)
    d = judged(w, answers, teacher, agent_lang)
    r = route(d, outcomes)
    # the NSO insights: rule and answer ids only, never what was typed (guide.store.insights)
    observe.troubleshooter([f.rule for f in d.failing], path_key(w.symptom.id, (
        (q.id, answers[q.id].answer or "value") for q in w.asked if q.id in answers)) if r.emails else None)
    text = summary(w, answers, teacher, agent_lang, teacher_lang, dt.date.today(), outcomes)
    case_yaml = case_file(w, answers, teacher, agent_lang)
    stem = f"etwinning-{w.symptom.id}-{dt.date.today().isoformat()}"

    if r.reply:
        answer = reply(w, answers, teacher, teacher_lang, outcomes)
        st.markdown("**" + _("Reply to the teacher") + "**")
        st.caption(_("The teacher can act on these fixes; in the teacher's language."))
        st.code(answer.text, language=None, wrap_lines=True)
        st.download_button(_("Download reply"), answer.text, file_name=f"{stem}-reply.txt", mime="text/plain",
                           key="ts_dl_reply", icon=":material/download:")
    for to in r.emails:
        mail = email(w, answers, teacher, teacher_lang, to, outcomes)
        heading = (_("E-mail to the National Support Organisation") if to == "nso"
                   else _("E-mail to ESEP's Contact and support team"))
        st.markdown("**" + heading + "**")
        if mail.to:
            st.caption(_("To: {address}").format(address=mail.to))
        else:
            st.caption(_("No public e-mail address is known here; send it through the contact page."))
        st.code(mail.text, language=None, wrap_lines=True)
        left, right = st.columns(2)
        if mail.to:
            left.link_button(_("Open in mail program"), mail.mailto, icon=":material/mail:")
        right.download_button(_("Download e-mail"), mail.text, file_name=f"{stem}-{to}-email.txt",
                              mime="text/plain", key=f"ts_dl_email_{to}", icon=":material/download:")
    if not r.reply and not r.emails:
        st.success(_("Every fix solved the problem: nothing to hand over."))
    st.markdown("**" + _("Summary for the ticket") + "**")
    st.code(text, language=None, wrap_lines=True)
    left, right = st.columns(2)
    left.download_button(_("Download summary"), text, file_name=f"{stem}-summary.txt", mime="text/plain",
                         key="ts_dl_summary", icon=":material/download:")
    right.download_button(_("Download case file"), case_yaml, file_name=f"{stem}.yaml",
                          mime="application/x-yaml", key="ts_dl_case", icon=":material/download:")


def _outcomes(w: Walk, answers: dict[str, Given], teacher: Teacher, agent_lang: str) -> dict[str, str]:
    """'Did this fix it?' for each fix: solved / not solved / not tried (the default)."""
    d = judged(w, answers, teacher, agent_lang)
    if not d.failing:
        return {}
    st.markdown("**" + _("Did this fix it?") + "**")
    words = symptoms_of(load_content(agent_lang)).handover.outcomes
    out: dict[str, str] = {}
    for f in d.failing:
        out[f.rule] = st.radio(clean(f.title), list(OUTCOMES), format_func=words.__getitem__, horizontal=True,
                               key=f"ts_outcome_{w.symptom.id}_{f.rule}")
    return out


# -- upload ------------------------------------------------------------------------------------------

def _upload(agent_lang: str) -> None:
    st.caption(_("A case file from a colleague, from the sandbox or from `diagnose` (YAML or JSON, at most {kb} KB).")
               .format(kb=MAX_BYTES // 1024))
    # up to the server's limit (server.maxUploadSize): a file over MAX_BYTES gets our own words for it, in the
    # reader's language, naming its size; the uploader's own refusal above that is translated by guide.ui.a11y
    uploaded = st.file_uploader(_("Case file"), type=["yaml", "yml", "json"], key="ts_upload")
    if uploaded is None:
        return
    try:
        case = read_upload(uploaded.name, uploaded.getvalue())
    except CaseError as exc:
        st.error(_("This file is not a valid case file. What is wrong:"))
        # in the page's language, each naming the file, line and field; plain text, never Markdown or HTML
        st.code("\n".join(problem_text(p, lang()) for p in exc.problems), language=None, wrap_lines=True)
        return
    words = load_content(agent_lang)
    saved_for = _catalogue(agent_lang).symptom_by_id.get(symptom_of(uploaded.getvalue()) or "")
    rule_ids = list(saved_for.rules) if saved_for else None
    findings = diagnose(case, agent_lang, words, rule_ids=rule_ids)
    failing = [f for f in findings if f.status == "fail"]
    if case.person.name:
        st.text(_("Teacher: {name}").format(name=clean(case.person.name)))
    if saved_for:
        st.caption(_("Saved by the troubleshooter for the complaint '{title}': its checks only.")
                   .format(title=saved_for.title))
    if failing:  # bad news is never a green box
        st.warning(_("{n} of {total} checks fail.").format(n=len(failing), total=len(findings)),
                   icon=":material/warning:")
    else:
        st.success(_("None of the {total} checks fails.").format(total=len(findings)), icon=":material/check:")
    for f in failing:
        widgets.fix_card(f, words)
