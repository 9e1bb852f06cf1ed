"""The accessibility statement: what was checked and how, what Streamlit itself does not allow and how
the app works around it, and whom to tell about a barrier. Every word through the catalog."""

from __future__ import annotations

import streamlit as st

from ...content.nso import nso_for
from ..common import _

#: When the checks below last ran against this text (tests/test_a11y_browser.py keeps them true in CI).
CHECKED = "2026-11-30"
AXE_VERSION = "4.12"


def render() -> None:
    st.title(_("Accessibility"))
    st.markdown(_("We want every teacher to be able to use this assistant: with a screen reader, with the "
                  "keyboard only, on a phone, zoomed in. We aim for WCAG 2.2 level AA, the standard behind "
                  "EN 301 549 that Dutch public bodies follow."))

    st.header(_("How we check"), anchor=False)
    st.markdown("\n".join([
        "- " + _("Automated checks with axe-core {version} in the Chromium browser, on every page and in the "
                 "states that matter (fixes shown, a form with an error, the trainer board, the "
                 "troubleshooter's hand-over), in Dutch and in English. They run with every change to the "
                 "app.").format(version=AXE_VERSION),
        "- " + _("A test that uses the keyboard only (Tab, Shift+Tab, Enter and Space) through a whole "
                 "part of the guided flows, and in the troubleshooter up to a complaint's first question."),
        "- " + _("A test that every page says which language it is in, also after switching language."),
    ]))

    st.header(_("Results"), anchor=False)
    st.markdown(_("Last checked on {date}: no serious or critical problems found by axe-core on any page or "
                  "state checked, in Dutch and in English; the keyboard-only walk passes.").format(date=CHECKED))
    st.markdown(_("Automated checks find only part of the problems. Nobody with a disability has tested the "
                  "app yet; we have not had an audit by an expert. Until then we call the app "
                  "**partly compliant**."))

    st.header(_("Known limitations"), anchor=False)
    st.markdown(_("The app is built with Streamlit. Some things Streamlit does not let us change; this is "
                  "what we do about them:"))
    st.markdown("\n".join("- " + line for line in [
        _("Streamlit says every page is in English. The server corrects this before the page reaches you, "
          "and the page corrects it again when you switch language."),
        _("Some of Streamlit's own words are always in English: 'Skip to main content', 'Main menu', "
          "'Link to heading', 'Choose an option', 'No results' in lists, and the names of the parts of a "
          "date field. They cannot be translated."),
        _("Streamlit reads the names of its icons aloud ('menu_book icon') and presents the page list as a "
          "broken list. A small script on every page hides the icons from screen readers and groups the "
          "pages under their headings. Without JavaScript the app does not work at all."),
        _("Short messages after an action ('saved') disappear after a few seconds."),
        _("Links in texts, such as those to the handbook, open in a new tab."),
    ]))

    st.header(_("Contact"), anchor=False)
    nso = nso_for("NL")
    if nso is not None and nso.email:
        st.markdown(_("Did you run into a barrier, or do you need a text in another form? Write to "
                      "{name} at [{email}](mailto:{email}) and tell us which page and what happened.").format(
                          name=nso.name, email=nso.email))
