"""Entry point. `python -m guide serve` (what `make run` and the container run), `streamlit run app.py` and
`uvicorn app:app` all serve the ASGI app below (guide/ui/server.py),
whose middleware hands each browser its key (guide.ui.identity_routes); Streamlit then runs this same
file as the page script (`__main__`) on every rerun. Thin: everything lives in guide.ui."""

import streamlit as st

if __name__ == "__main__":
    from guide.ui.app import main

    main()
else:
    from guide.ui.server import app_options  # probes, migrations, headers, proxies, browser key, errors

    app = st.App(__file__, **app_options())
