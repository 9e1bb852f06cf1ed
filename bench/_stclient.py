"""A browser-less Streamlit client: speaks the app's own websocket protocol (`/_stcore/stream`, protobuf
BackMsg out, ForwardMsg in), like the browser does. Opens a page, sets widgets by key (or label) and
presses buttons, fills forms (a widget drawn in a fragment reruns that fragment only, as in the
browser), reruns a fragment as its `run_every` timer does in the browser, and times
each rerun from the BackMsg to the server's `script_finished`.

`browser_key=True` sends the app's browser cookie, as every browser does after its first page (the
app hands one out with the page; guide.ui.identity_routes): the app then finds the person by it on every
run, as it does for real users."""

from __future__ import annotations

import asyncio
import secrets
import time
from dataclasses import dataclass, field

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState

FINISHED = {ForwardMsg.FINISHED_SUCCESSFULLY, ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY}


class ClientError(RuntimeError):
    pass


@dataclass
class Widget:
    kind: str       # the Element oneof: "radio", "button", "text_input", ...
    id: str
    label: str
    proto: object
    fragment: str = ""  # the fragment the widget is drawn in: changing it reruns that fragment only


@dataclass
class Session:
    """One browser tab."""

    base: str                   # http://host:port
    timeout: float = 120.0
    ws: object = None
    widgets: dict[str, Widget] = field(default_factory=dict)   # by user key (the id's last part)
    exceptions: list[str] = field(default_factory=list)
    page_hash: str = ""
    states: dict[str, WidgetState] = field(default_factory=dict)
    browser_key: bool = False
    all_widgets: list[Widget] = field(default_factory=list)          # this page's widgets, in order
    fragments: dict[str, float] = field(default_factory=dict)         # fragment id -> run_every seconds
    texts: list[str] = field(default_factory=list)                    # this page's Markdown and alerts, in order
    deltas: list[str] = field(default_factory=list)   # the last rerun's elements: the fragment of each ('' = none)
    blocks: list[str] = field(default_factory=list)   # ... and its blocks (containers, forms, expanders)

    async def connect(self) -> None:
        url = self.base.replace("http://", "ws://") + "/_stcore/stream"
        headers = {"Cookie": f"guide_browser={secrets.token_urlsafe(24)}"} if self.browser_key else None
        self.ws = await websockets.connect(url, subprotocols=["streamlit"], max_size=None, open_timeout=self.timeout,
                                           ping_interval=None, additional_headers=headers)

    async def close(self) -> None:
        if self.ws is not None:
            await self.ws.close()

    def _send_rerun(self, page_name: str, query: str, extra: list[WidgetState], fragment: str = "",
                    auto: bool = True) -> bytes:
        msg = BackMsg()
        rs = msg.rerun_script
        rs.query_string = query
        rs.page_name = page_name
        rs.page_script_hash = self.page_hash if not page_name else ""
        if fragment:
            rs.fragment_id = fragment
            rs.is_auto_rerun = auto  # a run_every timer; a widget of the fragment is not
        for state in [*self.states.values(), *extra]:
            rs.widget_states.widgets.append(state)
        return msg.SerializeToString()

    async def rerun(self, page_name: str = "", query: str = "", extra: list[WidgetState] = (),
                    fragment: str = "", auto: bool = True) -> float:
        """Send a rerun (of the whole page, or of one fragment) and read until it finished; returns the
        seconds it took."""
        started = time.perf_counter()
        self.deltas.clear()
        self.blocks.clear()
        if not fragment:
            self.all_widgets.clear()
            self.texts.clear()
        else:  # the fragment draws its widgets again: those it does not draw now are gone from the page
            self.widgets = {k: w for k, w in self.widgets.items() if w.fragment != fragment}
        await self.ws.send(self._send_rerun(page_name, query, list(extra), fragment, auto))
        deadline = started + self.timeout
        announced: dict[str, float] = {}
        while True:
            left = deadline - time.perf_counter()
            if left <= 0:
                raise ClientError("timeout waiting for script_finished")
            raw = await asyncio.wait_for(self.ws.recv(), left)
            msg = ForwardMsg()
            msg.ParseFromString(raw)
            kind = msg.WhichOneof("type")
            if kind == "new_session":
                self.page_hash = msg.new_session.page_script_hash or self.page_hash
                if not fragment:  # a fragment's run keeps the rest of the page
                    self.widgets.clear()
            elif kind == "auto_rerun":
                self.fragments[msg.auto_rerun.fragment_id] = announced[msg.auto_rerun.fragment_id] = \
                    msg.auto_rerun.interval
            elif kind == "page_info_changed" or kind == "navigation":
                if kind == "navigation" and msg.navigation.page_script_hash:
                    self.page_hash = msg.navigation.page_script_hash
            elif kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
                self.deltas.append(msg.delta.fragment_id)
                self._element(msg.delta.new_element, msg.delta.fragment_id)
            elif kind == "delta" and msg.delta.WhichOneof("type") == "add_block":
                self.blocks.append(msg.delta.fragment_id)
            elif kind == "script_finished":
                if msg.script_finished == ForwardMsg.FINISHED_SUCCESSFULLY:  # a whole run (also one a fragment
                    self.fragments = announced  # asked for) announces every fragment, with its id as it is now
                if msg.script_finished in FINISHED:
                    return time.perf_counter() - started
                if msg.script_finished == ForwardMsg.FINISHED_WITH_COMPILE_ERROR:
                    raise ClientError("compile error")

    def _element(self, element, fragment: str = "") -> None:
        kind = element.WhichOneof("type")
        if kind == "exception":
            self.exceptions.append(element.exception.message or element.exception.type)
            return
        proto = getattr(element, kind, None)
        if kind == "markdown":
            self.texts.append(element.markdown.body)
        elif kind == "progress":
            self.texts.append(element.progress.text)
        elif kind == "toast":
            self.texts.append(element.toast.body)
        elif kind == "alert":
            self.texts.append(element.alert.body)
        elif kind == "page_link":
            self.texts.append(element.page_link.label)
        wid = getattr(proto, "id", "") if proto is not None else ""
        if wid and isinstance(wid, str):
            key = wid.split("-", 2)[-1]  # $$ID-<hash>-<user key> (a key may hold a "-")
            self.widgets[key] = widget = Widget(kind, wid, getattr(proto, "label", ""), proto, fragment)
            self.all_widgets.append(widget)

    def labelled(self, label: str) -> Widget:
        """The first widget on the page with this label (for widgets without a key, e.g. in a form)."""
        for w in self.all_widgets:
            if w.label == label:
                return w
        raise ClientError(f"no widget labelled {label!r} on the page (have: {[w.label for w in self.all_widgets]})")

    def widget(self, key: str) -> Widget:
        try:
            return self.widgets[key]
        except KeyError:
            raise ClientError(f"no widget with key {key!r} on the page (have: {sorted(self.widgets)})") from None

    # -- what a user does -----------------------------------------------------------------------------
    async def open(self, page: str, query: str = "") -> float:
        self.states.clear()
        return await self.rerun(page_name=page, query=query)

    async def set_text(self, key: str, value: str, query: str = "") -> float:
        w = self.widget(key)
        self.states[key] = WidgetState(id=w.id, string_value=value)
        return await self.rerun(query=query, fragment=w.fragment, auto=False)

    async def choose(self, key: str, index: int, query: str = "") -> float:
        """A radio or selectbox: the option at `index` (as the browser sends it: the shown option text)."""
        w = self.widget(key)
        self.states[key] = WidgetState(id=w.id, string_value=w.proto.options[index])
        return await self.rerun(query=query, fragment=w.fragment, auto=False)

    async def choose_label(self, key: str, label: str, query: str = "") -> float:
        """A radio or selectbox: the option shown as `label`."""
        w = self.widget(key)
        if label not in w.proto.options:
            raise ClientError(f"{key}: no option {label!r} (have: {list(w.proto.options)})")
        return await self.choose(key, list(w.proto.options).index(label), query)

    async def press(self, key: str, query: str = "") -> float:
        w = self.widget(key)
        return await self.rerun(query=query, extra=[WidgetState(id=w.id, trigger_value=True)], fragment=w.fragment,
                                auto=False)

    def fill(self, w: Widget, value: str) -> None:
        """Type into a text field of a form: sent with the form's submit, as the browser does (no rerun)."""
        self.states[w.id] = WidgetState(id=w.id, string_value=value)

    async def submit(self, w: Widget, query: str = "") -> float:
        """Press a form's submit button: the form's fields go with it; they are cleared afterwards."""
        took = await self.rerun(query=query, extra=[WidgetState(id=w.id, trigger_value=True)], fragment=w.fragment,
                                auto=False)
        return took

    async def submit_form(self, action: str, fields: dict[str, str], query: str = "") -> float:
        """A sandbox screen: its fields (sb_<action>_<field>) typed, its submit (sb_<action>_submit) pressed."""
        for name, value in fields.items():
            self.fill(self.widget(f"{action}_{name}"), value)
        return await self.submit(self.widget(f"{action}_submit"), query)

    async def tick(self, fragment: str | None = None) -> float:
        """One refresh of a fragment with `run_every` (the first one on the page by default)."""
        fid = fragment or next(iter(self.fragments))
        return await self.rerun(fragment=fid)
