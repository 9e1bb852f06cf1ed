"""Entry point. `streamlit run app.py` (or `make run`) and `uvicorn app:app` both serve the ASGI app below,
whose middleware hands each browser its key (guide.ui.identity_routes); Streamlit then runs this same
file as the page script (`__main__`) on every rerun. Thin: everything lives in guide.ui."""

import streamlit as st

if __name__ == "__main__":
    from guide.ui.app import main

    main()
else:
    from guide.ui.identity_routes import identity_middleware

    app = st.App(__file__, middleware=identity_middleware())
