"""The app starts in both languages (AppTest, the real Streamlit runtime). Owner of per-page tests: UI."""

import pytest
from streamlit.testing.v1 import AppTest


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_app_starts(lang):
    at = AppTest.from_file("../app.py", default_timeout=60)
    at.query_params["lang"] = lang
    at.run()
    assert not at.exception
