"""Page stub: replaced by its owner."""

import streamlit as st

from ..common import _


def render() -> None:
    st.title(_("sandbox"))
