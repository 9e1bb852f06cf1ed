"""Faults with a message, not a hang (shared/reviews/security.md D4): a database that stops answering
(its process stopped, a network that drops packets) costs a call the configured timeout and an error,
and the same engine works again when the database answers again, without a restart.

The hung database is a real PostgreSQL behind a TCP relay that can freeze: connections stay open and
nothing comes back, exactly what a SIGSTOPped server looks like to the app.
"""

from __future__ import annotations

import contextlib
import socket
import threading
from collections.abc import Callable
from typing import Any

import pytest
from pg import fresh_database
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from guide.store import learners
from guide.store.engine import dispose_all, get_engine, make_engine
from guide.store.settings import SettingError, connect_timeout, pool_size, statement_timeout

HANG = 60  # seconds: far beyond the 2 s limits below; a call still waiting then is hung for good


class FreezingRelay:
    """127.0.0.1:<port> -> the database; freeze() stops every byte in both directions (and new
    connections get no answer), thaw() lets them flow again."""

    def __init__(self, upstream: tuple[str, int]):
        self.upstream = upstream
        self.flowing = threading.Event()
        self.flowing.set()
        self.server = socket.socket()
        self.server.bind(("127.0.0.1", 0))
        self.server.listen(64)
        self.port = self.server.getsockname()[1]
        self.sockets: list[socket.socket] = [self.server]
        threading.Thread(target=self._accept, daemon=True).start()

    def freeze(self) -> None:
        self.flowing.clear()

    def thaw(self) -> None:
        self.flowing.set()

    def close(self) -> None:
        self.flowing.set()
        for s in self.sockets:
            with contextlib.suppress(OSError):
                s.close()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.server.accept()
            except OSError:
                return
            self.sockets.append(client)
            threading.Thread(target=self._connect, args=(client,), daemon=True).start()

    def _connect(self, client: socket.socket) -> None:
        self.flowing.wait()
        upstream = socket.create_connection(self.upstream)
        self.sockets.append(upstream)
        for a, b in ((client, upstream), (upstream, client)):
            threading.Thread(target=self._pump, args=(a, b), daemon=True).start()

    def _pump(self, src: socket.socket, dst: socket.socket) -> None:
        try:
            while True:
                data = src.recv(65536)
                if not data:
                    break
                self.flowing.wait()
                dst.sendall(data)
        except OSError:
            pass
        for s in (src, dst):
            with contextlib.suppress(OSError):
                s.shutdown(socket.SHUT_RDWR)


@pytest.fixture
def relay_url(monkeypatch):
    monkeypatch.setenv("GUIDE_DB_STATEMENT_TIMEOUT", "2")
    monkeypatch.setenv("GUIDE_DB_CONNECT_TIMEOUT", "2")
    url = make_url(fresh_database())
    relay = FreezingRelay((url.host or "127.0.0.1", url.port or 5432))
    yield relay, url.set(host="127.0.0.1", port=relay.port).render_as_string(hide_password=False)
    relay.close()
    dispose_all()


def _finishes(fn: Callable[[], Any]) -> tuple[bool, Any]:
    """(finished within HANG seconds, its result or exception)."""
    out: list[Any] = []

    def target() -> None:
        try:
            out.append(fn())
        except Exception as exc:  # handed to the test
            out.append(exc)

    t = threading.Thread(target=target, daemon=True)
    t.start()
    t.join(HANG)
    return (not t.is_alive()), (out[0] if out else None)


def test_a_hung_database_gives_an_error_and_the_same_engine_recovers(relay_url):
    relay, url = relay_url
    engine = get_engine(url)
    saved, _creds = learners.create(engine)  # a pooled connection now exists
    relay.freeze()
    done, result = _finishes(lambda: learners.load(engine, saved.id))
    assert done, "a call on a hung database never came back"
    assert isinstance(result, SQLAlchemyError), result
    done, result = _finishes(lambda: learners.create(engine))  # a new connection gets no answer either
    assert done and isinstance(result, SQLAlchemyError), result
    relay.thaw()
    back = learners.load(engine, saved.id)  # the same engine: no restart
    assert back is not None and back.id == saved.id


def test_the_waits_are_configurable(monkeypatch):
    monkeypatch.setenv("GUIDE_DB_CONNECT_TIMEOUT", "3")
    monkeypatch.setenv("GUIDE_DB_STATEMENT_TIMEOUT", "7.5")
    monkeypatch.setenv("GUIDE_DB_POOL_SIZE", "4")
    assert (connect_timeout(), statement_timeout(), pool_size()) == (3, 7.5, 4)
    engine = make_engine(fresh_database())
    try:
        assert engine.pool.size() == 4
        with engine.connect() as conn:
            assert conn.exec_driver_sql("SHOW statement_timeout").scalar() == "7500ms"
    finally:
        engine.dispose()
    monkeypatch.setenv("GUIDE_DB_STATEMENT_TIMEOUT", "soon")
    with pytest.raises(SettingError, match="GUIDE_DB_STATEMENT_TIMEOUT='soon': expected a number from 1 to 300"):
        statement_timeout()


def test_the_defaults_are_a_few_seconds(monkeypatch):
    for name in ("GUIDE_DB_CONNECT_TIMEOUT", "GUIDE_DB_STATEMENT_TIMEOUT", "GUIDE_DB_POOL_SIZE"):
        monkeypatch.delenv(name, raising=False)
    assert connect_timeout() == 5 and statement_timeout() == 5 and pool_size() == 10


def test_a_page_on_a_hung_database_says_so_in_dutch_and_works_again(relay_url, monkeypatch):
    from apptest_tools import open_page

    from guide.i18n import translator

    relay, url = relay_url
    monkeypatch.setenv("GUIDE_DATABASE_URL", url)
    get_engine(url)  # migrated while the database answers
    relay.freeze()
    nl = translator("nl").gettext

    def join():
        at = open_page("workshop", "nl").run()
        at.text_input[0].set_value("ABCDEF")
        at.text_input[1].set_value("Ann")
        next(b for b in at.button if b.label == nl("Join")).click()
        return at.run()

    done, at = _finishes(join)
    assert done, "the page waited for the hung database for good"
    assert not isinstance(at, Exception) and not at.exception, at
    unreachable = "The workshop store cannot be reached just now. Nothing is lost: try again in a few minutes."
    assert nl(unreachable) in [e.value for e in at.error]
    relay.thaw()
    at = join()  # the same process, no restart: the store answers again ('no workshop has this code')
    assert [e.value for e in at.error] == [nl("No open workshop has this code. Check it with your trainer.")]
