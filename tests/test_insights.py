"""NSO insights (issue 15, item 3): anonymous counts kept as teachers work, and the operator's page.

- The counts over a seeded store, on SQLite and PostgreSQL: rules per source, the funnel per part, the
  median time per part, the escalated troubleshooter paths; only the chosen period counts.
- Counts under 5 read '< 5' on the page and in its CSV files.
- Nothing personal is kept: a sandbox, a troubleshooter conversation and a workshop seat driven with a
  distinctive name, e-mail address and free text leave none of it in any column of the insights tables.
- The page exists only with GUIDE_INSIGHTS_KEY; a wrong key is refused (and rate-limited), the right one
  opens it; the key is never in the address bar or the log.
"""

from __future__ import annotations

import datetime as dt
import logging

import pytest
import streamlit as st
from apptest_tools import by_key, choose_screen, open_page, shown, walk
from dbs import BACKENDS, db_url, engine, url_for  # noqa: F401 - the fixtures
from insights_seed import DAY, seed
from sqlalchemy import inspect, select, text
from streamlit.util import calc_hash

from guide.store import insights
from guide.store.engine import dispose_all, get_engine, run
from guide.store.models import InsightCount, Participant, PartTimer
from guide.workshop import service

KEY = "operator-key-0123456789"
PERIOD = (DAY, DAY + dt.timedelta(days=2))


# -- the store, on both databases -----------------------------------------------------------------------

def test_the_counts_over_a_seeded_period(engine):  # noqa: F811
    seed(engine)
    rules = {(r.source, r.rule): r.count for r in insights.failing_rules(engine, *PERIOD)}
    assert rules[("sandbox", "project.cofounder_not_contact")] == 12   # the 100 of the day before do not count
    assert rules[("sandbox", "school.not_validated")] == 3
    assert rules[("troubleshooter", "eu_login.unconfirmed")] == 6
    ordered = [r.rule for r in insights.failing_rules(engine, *PERIOD) if r.source == "sandbox"]
    assert ordered == ["project.cofounder_not_contact", "profile.not_available", "school.not_validated"]
    assert insights.failing_rules(engine, DAY, DAY)[0].count == 5   # one day of the period

    funnel = {f.part: (f.started, f.done) for f in insights.funnel(engine, *PERIOD, ["account", "profile", "rooms"])}
    assert funnel == {"account": (40, 31), "profile": (29, 22), "rooms": (0, 0)}

    times = {t.part: t for t in insights.part_times(engine, *PERIOD, ["account", "profile", "partners"])}
    assert (times["account"].participants, times["account"].median) == (9, 8)      # 6 6 6 8 [8] 8 8 11 11
    assert (times["profile"].participants, times["profile"].median) == (6, 12)     # 9 9 12 | 12 12 20
    assert (times["partners"].participants, times["partners"].median) == (3, None)  # too few for a median

    paths = insights.escalations(engine, *PERIOD)
    assert [(p.complaint, p.count) for p in paths] == [
        ("cannot_log_in", 7), ("registration_not_approved", 5), ("two_accounts", 2)]
    assert paths[0].steps == (("has_eu_login", "yes"), ("eu_login_confirmed", "no"))
    assert insights.escalations(engine, DAY, DAY) == []   # all on the period's last day


def test_counts_add_up_in_one_row_per_day_and_only_ids_are_accepted(engine):  # noqa: F811
    now = dt.datetime(2026, 11, 3, 10, 0)
    insights.record(engine, "sandbox", [("rule", "profile.not_available"), ("rule", "profile.not_available")], now=now)
    insights.record(engine, "sandbox", [("rule", "profile.not_available")], now=now)
    rows = run(engine, lambda s: [(r.day, r.source, r.kind, r.key, r.count) for r in s.scalars(select(InsightCount))])
    assert rows == [(now.date(), "sandbox", "rule", "profile.not_available", 3)]
    for source, kind, key in (("sandbox", "rule", "Jan Jansen"), ("sandbox", "rule", "jan@example.org"),
                              ("sandbox", "rule", "x" * 401), ("email", "rule", "profile.not_available"),
                              ("sandbox", "name", "profile.not_available")):
        with pytest.raises(insights.InsightError):
            insights.record(engine, source, [(kind, key)], now=now)


def test_small_counts_read_under_5():
    assert [insights.shown(n) for n in (0, 1, 4, 5, 12)] == ["0", "< 5", "< 5", "5", "12"]


def test_median_of_a_histogram():
    assert insights.median_of({}) is None
    assert insights.median_of({3: 1}) == 3
    assert insights.median_of({2: 1, 10: 1}) == 6
    assert insights.median_of({1: 5, 100: 4}) == 1


def test_a_workshop_part_is_timed_and_only_its_minutes_are_kept(engine):  # noqa: F811
    info, key = service.create(engine, "Onboarding", "en", "blank-start", dt.date.today())
    seat, _token = service.join(engine, info.join_code, "Quirinus Zebrawing", "tester")
    joined = run(engine, lambda s: s.scalar(select(Participant.joined_at).where(Participant.id == seat.id)))
    # first change: still in 'account'; the part's clock started when they joined
    insights.record(engine, "workshop", [], insights.Timing(seat.id, "account", "account", frozenset()),
                    now=joined + dt.timedelta(minutes=3))
    # 'account' done after 12 minutes and a bit: 12 whole minutes, and 'profile' starts now
    done_at = joined + dt.timedelta(minutes=12, seconds=40)
    insights.record(engine, "workshop", [("done", "account")],
                    insights.Timing(seat.id, "account", "profile", frozenset({"account"})), now=done_at)
    counts = run(engine, lambda s: {(r.kind, r.key): r.count for r in s.scalars(select(InsightCount))})
    assert counts == {("minutes", "account/12"): 1, ("done", "account"): 1}
    timers = run(engine, lambda s: [(t.part, t.started_at) for t in s.scalars(select(PartTimer))])
    assert timers == [("profile", done_at)]
    # a part that takes all day counts as MAX_MINUTES
    insights.record(engine, "workshop", [], insights.Timing(seat.id, "profile", "partners", frozenset({"profile"})),
                    now=done_at + dt.timedelta(days=1))
    counts = run(engine, lambda s: {(r.kind, r.key): r.count for r in s.scalars(select(InsightCount))})
    assert counts[("minutes", f"profile/{insights.MAX_MINUTES}")] == 1
    # the participant's timers go with the participant; the anonymous counts stay
    service.forget_participant(engine, seat.id)
    assert run(engine, lambda s: s.scalar(text("SELECT count(*) FROM part_timers"))) == 0
    assert run(engine, lambda s: s.scalar(text("SELECT count(*) FROM insight_counts"))) == 3


# -- the page (AppTest, the whole app) -------------------------------------------------------------------

@pytest.fixture
def downloads(monkeypatch):
    """What the page hands to st.download_button (file name -> data), passed on to the real one."""
    real = st.download_button
    seen: dict[str, str] = {}

    def spy(label, data, *args, **kwargs):
        seen[kwargs.get("file_name", "")] = data
        return real(label, data, *args, **kwargs)

    monkeypatch.setattr(st, "download_button", spy)
    return seen


def _sign_in(at, key: str):
    at.text_input(key="insights_key_typed").input(key)
    next(b for b in at.button if b.label in ("Open the insights", "Open de inzichten")).click()
    return at.run()


def _period(at):
    at.date_input(key="insights_from").set_value(PERIOD[0]).run()
    return at.date_input(key="insights_to").set_value(PERIOD[1]).run()


def _table(at, first_column: str) -> list[dict[str, str]]:
    frame = next(df.value for df in at.dataframe if df.value.columns[0] == first_column)
    return frame.to_dict("records")


def test_without_a_key_there_is_no_insights_page(app_db, monkeypatch):
    monkeypatch.delenv("GUIDE_INSIGHTS_KEY", raising=False)
    from guide.ui.app import pages

    assert "insights" not in [p.url_path for p in pages()]
    at = open_page("insights", "en").run()
    assert not at.exception
    assert "Insights" not in [t.value for t in at.title]
    assert not [n for n in walk(at.main) if getattr(n, "key", None) == "insights_key_typed"]
    monkeypatch.setenv("GUIDE_INSIGHTS_KEY", "short")   # too short to be a key: no page either
    assert "insights" not in [p.url_path for p in pages()]


def test_a_wrong_key_is_refused_and_the_right_one_shows_the_figures(app_db, monkeypatch, caplog, downloads):
    monkeypatch.setenv("GUIDE_INSIGHTS_KEY", KEY)
    seed(app_db)
    caplog.set_level(logging.DEBUG)
    at = open_page("insights", "en").run()
    assert [t.value for t in at.title] == ["Insights"] and not at.dataframe
    _sign_in(at, "operator-key-012345678X")
    assert [e.value for e in at.error] == ["This key is not right."]
    assert not at.dataframe and "Rules that fail most" not in shown(at)

    _sign_in(at, KEY)
    assert not at.exception and not at.error
    _period(at)
    assert not at.exception, [e.value for e in at.exception]
    rules = _table(at, "Title")
    assert [(r["Rule"], r["Sessions"]) for r in rules] == [
        ("project.cofounder_not_contact", "12"), ("profile.not_available", "8"), ("school.not_validated", "< 5")]
    funnel = _table(at, "Part")
    assert funnel[0] == {"Part": "EU Login and account", "Started": "40", "Finished": "31"}
    assert {"Part": "TwinSpace", "Started": "< 5", "Finished": "< 5"} in funnel
    times = next(df.value for df in at.dataframe if "Median (minutes)" in df.value.columns).to_dict("records")
    assert times[0] == {"Part": "EU Login and account", "Participants": "9", "Median (minutes)": "8"}
    assert {"Part": "Partners", "Participants": "< 5", "Median (minutes)": ""} in times
    paths = _table(at, "Number")
    assert [(p["Path (ids)"], p["Conversations"]) for p in paths][-1] == (
        "two_accounts/both_emails_known=old_unknown/main_account_id=value", "< 5")
    assert "(typed in)" in paths[-1]["Answers"]

    csv = downloads["insights-rules-sandbox.csv"]
    assert csv.splitlines()[0] == "Title,Sessions,Rule"
    assert "Your school is not 'eTwinning Validated',< 5,school.not_validated" in csv
    assert ",3," not in csv
    assert "TwinSpace,< 5,< 5" in downloads["insights-funnel.csv"]
    assert "< 5" in downloads["insights-escalations.csv"].splitlines()[-1]
    assert set(downloads) >= {"insights-rules-selfcheck.csv", "insights-rules-workshop.csv",
                              "insights-rules-troubleshooter.csv", "insights-time-per-part.csv"}

    # the key: never in the address bar, the session or the log
    assert KEY not in str(dict(at.query_params))
    assert KEY not in str([at.session_state[k] for k in at.session_state])
    assert KEY not in caplog.text and "operator-key-012345678X" not in caplog.text


def _charts(at) -> list[tuple[dict, list[dict]]]:
    """Every chart on the page: its Vega-Lite spec and the rows Streamlit sends with it."""
    import json

    import pyarrow as pa

    return [(json.loads(n.proto.spec), pa.ipc.open_stream(n.proto.data.data).read_all().to_pylist())
            for n in walk(at.main) if getattr(n, "type", "") == "vega_lite_chart"]


def test_every_figure_and_every_part_name_fits_in_its_chart(app_db, monkeypatch):
    # Seen in the browser: the longest bar's figure ('112') was cut at the chart's edge, and the funnel hid
    # five of its seven part names as 'overlapping'.
    monkeypatch.setenv("GUIDE_INSIGHTS_KEY", KEY)
    seed(app_db)
    at = open_page("insights", "en").run()
    _sign_in(at, KEY)
    _period(at)
    charts = _charts(at)
    assert len(charts) >= 4
    bars = [(spec, rows) for spec, rows in charts if spec["layer"][0]["encoding"]["x"]["type"] == "quantitative"]
    assert bars, "no horizontal bar chart"
    for spec, rows in bars:  # room after the longest bar for the figure printed after it
        assert {layer["mark"]["type"] for layer in spec["layer"]} == {"bar", "text"}
        top = spec["layer"][0]["encoding"]["x"].get("scale", {}).get("domain", [0, 0])[1]
        assert top >= 1.2 * max(r["value"] for r in rows), (top, rows)
    funnel = next(spec for spec, rows in charts if spec["layer"][0]["encoding"]["x"].get("field") == "part")
    assert funnel["layer"][0]["encoding"]["x"]["axis"]["labelOverlap"] is False


def test_the_period_must_start_before_it_ends(app_db, monkeypatch):
    monkeypatch.setenv("GUIDE_INSIGHTS_KEY", KEY)
    at = _sign_in(open_page("insights", "en").run(), KEY)
    at.date_input(key="insights_from").set_value(DAY).run()
    at.date_input(key="insights_to").set_value(DAY - dt.timedelta(days=1)).run()
    assert [e.value for e in at.error] == [
        "The period starts after it ends: choose a 'From' date on or before the 'To' date."]
    assert not at.dataframe


def test_wrong_keys_are_rate_limited(app_db, monkeypatch):
    monkeypatch.setenv("GUIDE_INSIGHTS_KEY", KEY)
    at = open_page("insights", "en").run()
    for _ in range(10):
        _sign_in(at, "not-the-key-at-all-00")
    _sign_in(at, KEY)   # even the right key waits now
    assert [e.value for e in at.error] == ["Too many wrong keys. Wait a quarter of an hour and try again."]
    assert "Rules that fail most" not in shown(at)


def test_the_page_in_dutch(app_db, monkeypatch):
    monkeypatch.setenv("GUIDE_INSIGHTS_KEY", KEY)
    seed(app_db)
    at = _period(_sign_in(open_page("insights", "nl").run(), KEY))
    assert not at.exception
    headers = [h.value for h in at.header]
    assert headers == ["Regels die het vaakst falen", "Hoe ver leerders komen", "Tijd per onderdeel in workshops",
                       "Probleemoplosser-paden die op een escalatie uitkwamen"]
    assert _table(at, "Titel")[-1]["Sessies"] == "< 5"


# -- nothing personal is kept ----------------------------------------------------------------------------

NAME, EMAIL, FREE_TEXT = "Quirinus Zebrawing", "quokka.zebrawing@example.org", "Zebrawing tried everything twice"
TRACES = ("zebrawing", "quokka", "quirinus", "example.org", "twice", "9876543210")


def _join_and_tick_available(e, title: str, nickname: str) -> None:
    """A participant joins a new workshop under `nickname` and ticks 'Available for eTwinning project' in their
    sandbox (one sandbox action in their seat)."""
    info, _key = service.create(e, title, "en", "cofounder-not-a-contact", dt.date.today())
    ws = open_page("workshop", "en", code=info.join_code).run()
    ws.text_input[1].input(nickname)
    next(b for b in ws.button if b.label == "Join").click().run()
    ws._page_hash = calc_hash("sandbox")
    ws.query_params["part"] = "profile"
    ws.run()
    choose_screen(ws, "set_available")
    by_key(ws, "sb_set_available_available").set_value(True)
    by_key(ws, "sb_set_available_submit").click()
    ws.run()
    assert not ws.exception, [x.value for x in ws.exception]


def _every_value(e) -> list[str]:
    """Every value of every column of the insights tables, as text."""
    out = []
    with e.connect() as conn:
        for table in ("insight_counts", "part_timers"):
            columns = [c["name"] for c in inspect(conn).get_columns(table)]
            for row in conn.execute(text(f"SELECT {', '.join(columns)} FROM {table}")):
                out.extend(str(v).lower() for v in row)
    return out


@pytest.mark.parametrize("backend", BACKENDS)
def test_what_people_type_never_reaches_the_insights(backend, tmp_path, monkeypatch):
    url = url_for(backend, tmp_path)
    monkeypatch.setenv("GUIDE_DATABASE_URL", url)
    e = get_engine(url)
    try:
        # a learner in the sandbox: their e-mail address, then the same refused action twice
        sb = open_page("sandbox", "en", part="account").run()
        sb.text_input(key="sb_create_eu_login_email").input(EMAIL)
        next(b for b in sb.button if b.key == "sb_create_eu_login_submit").click().run()
        choose_screen(sb, "join_etwinning")
        for _ in range(2):
            next(b for b in sb.button if b.key == "sb_join_etwinning_submit").click().run()
        sb.run()  # a rerun without a change writes nothing
        assert not sb.exception, [x.value for x in sb.exception]

        # a helpdesk conversation with the teacher's name, address, account id and what they tried
        ts = open_page("troubleshoot", "en").run()
        ts.button(key="ts_sym_cannot_log_in").click().run()
        sym = "ts_q_cannot_log_in_"
        ts.radio(key=sym + "has_eu_login").set_value("yes").run()
        ts.radio(key=sym + "eu_login_confirmed").set_value("yes").run()
        ts.text_input(key=sym + "eu_login_email_value").input(EMAIL).run()
        ts.radio(key=sym + "has_account").set_value("yes").run()
        ts.text_input(key=sym + "account_email_value").input(EMAIL).run()
        ts.radio(key=sym + "login_still_fails").set_value("fails").run()
        ts.text_input(key="ts_name").input(NAME).run()
        ts.text_input(key="ts_account").input("9876543210").run()
        ts.text_area(key="ts_tried").input(FREE_TEXT).run()
        assert not ts.exception, [x.value for x in ts.exception]

        # a workshop participant with a distinctive nickname acts in their seat
        _join_and_tick_available(e, "Zebrawing workshop", NAME)

        counts = run(e, lambda s: {(r.source, r.kind, r.key): r.count for r in s.scalars(select(InsightCount))})
        # what was counted: ids only ...
        assert counts[("sandbox", "rule", "eu_login.unconfirmed")] == 1     # once, though refused twice
        assert counts[("sandbox", "started", "account")] == 1
        assert counts[("troubleshooter", "escalated", "cannot_log_in/has_eu_login=yes/eu_login_confirmed=yes/"
                       "eu_login_email=value/has_account=yes/account_email=value/login_still_fails=fails")] == 1
        assert counts[("troubleshooter", "rule", "account.login_problem")] == 1
        assert any(source == "workshop" for source, _k, _key in counts)
        assert run(e, lambda s: s.scalar(text("SELECT count(*) FROM part_timers"))) == 1
        # ... and nothing anybody typed, in any column
        values = _every_value(e)
        assert values
        assert not [v for v in values for trace in TRACES if trace in v]
    finally:
        dispose_all()


def test_a_participants_action_retried_after_a_database_error_is_still_counted(app_db, monkeypatch):
    """A workshop action's counts go in its own transaction; when the database makes the store try that
    transaction again (a PostgreSQL serialization failure, SQLite 'database is locked'), the counts of the
    try that is kept are there: the session marks them counted only once they are committed."""
    import sqlite3

    from sqlalchemy.exc import OperationalError

    from guide.ui import observe

    real, tries = observe.in_action, []

    def lost_at_commit(conn, before, after):  # the first try counts, then its transaction is lost
        marks = real(conn, before, after)
        tries.append(conn)
        if len(tries) == 1:
            raise OperationalError("COMMIT", {}, sqlite3.OperationalError("database is locked"))
        return marks

    monkeypatch.setattr(observe, "in_action", lost_at_commit)
    e = app_db
    _join_and_tick_available(e, "Retry workshop", "Ann")
    assert len(tries) == 2, "the store tried the action's transaction again"
    counts = run(e, lambda s: {(r.source, r.kind, r.key): r.count for r in s.scalars(select(InsightCount))})
    workshop = {key: n for key, n in counts.items() if key[0] == "workshop"}
    assert workshop and set(workshop.values()) == {1}, counts   # counted once: neither lost nor twice
    assert run(e, lambda s: s.scalar(text("SELECT count(*) FROM part_timers"))) == 1
    assert run(e, lambda s: s.scalar(select(Participant.actions))) == 1
