"""The accessibility statement: what was checked and how, what Streamlit itself does not allow and how the
app works around it, and whom to tell about a barrier. The words and the check date are content
(content/<lang>/accessibility.yaml); this page only fills in the date and the NSO's address."""

from __future__ import annotations

import streamlit as st

from ...content.models import AccessibilityStatement
from ...content.nso import nso_for
from ...i18n import format_date
from ..common import content, lang


def render() -> None:
    statement: AccessibilityStatement = content().require("accessibility.yaml")
    st.title(statement.title)
    st.markdown(statement.intro)
    nso = nso_for("NL")
    values = {"date": format_date(statement.checked, lang()), "name": nso.name if nso else "",
              "email": nso.email if nso and nso.email else ""}
    for section in statement.sections:
        if section.id == "contact" and not values["email"]:
            continue
        st.header(section.heading, anchor=False)
        text = section.text
        for key, value in values.items():
            text = text.replace("{" + key + "}", value)
        st.markdown(text)
