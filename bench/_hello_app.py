"""The baseline: a hello-world Streamlit app with a page's worth of the same kinds of widgets (a radio, a
text box, a button), served the same way as the app, so ratios show what the app itself adds."""

import streamlit as st

st.title("Hello")
step = st.radio("Steps", ["one", "two", "three"], key="flows_step")
name = st.text_input("Name", key="q")
if st.button("Check", key="flows_check"):
    st.success(f"Hello {name or 'world'}, step {step}")
