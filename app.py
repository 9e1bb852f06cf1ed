"""Streamlit entry point: `streamlit run app.py` (or `make run`). Thin: everything lives in guide.ui."""

from guide.ui.app import main

main()
