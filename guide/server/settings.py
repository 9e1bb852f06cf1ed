"""The served app's settings, from environment variables. A bad value stops the start with a message
naming the variable, the value and what was expected."""

from __future__ import annotations

import ipaddress
import os
from dataclasses import dataclass

from ..logs import SettingError, format_from_env, level_from_env

TRUE = {"1", "true", "yes", "on"}
FALSE = {"0", "false", "no", "off"}


def parse_proxies(value: str) -> tuple[str, ...]:
    """'10.0.0.5, 10.1.0.0/16' -> ('10.0.0.5', '10.1.0.0/16'); anything that is not an address or a
    network is refused (uvicorn would silently treat it as a literal name that never matches)."""
    out = []
    for item in (part.strip() for part in value.split(",")):
        if not item:
            continue
        try:
            (ipaddress.ip_network(item, strict=False) if "/" in item else ipaddress.ip_address(item))
        except ValueError:
            raise SettingError(f"GUIDE_TRUSTED_PROXIES: {item!r} is not an IP address or network "
                               "(expected e.g. 10.0.0.5 or 10.0.0.0/8, comma-separated)") from None
        out.append(item)
    return tuple(out)


def _flag(name: str, default: bool) -> bool:
    value = os.environ.get(name, "").strip().lower()
    if not value:
        return default
    if value in TRUE | FALSE:
        return value in TRUE
    raise SettingError(f"{name}={value!r}: expected 1/0 (or true/false)")


@dataclass(frozen=True)
class ServerSettings:
    trusted_proxies: tuple[str, ...] = ()  # addresses whose X-Forwarded-For/-Proto are believed
    migrate_on_start: bool = True          # GUIDE_MIGRATE=0 when a job migrates before the rollout
    log_level: str = "INFO"
    log_format: str = "text"

    @classmethod
    def from_env(cls) -> ServerSettings:
        insights_key()  # a key too short stops the start here, with its name
        return cls(trusted_proxies=parse_proxies(os.environ.get("GUIDE_TRUSTED_PROXIES", "")),
                   migrate_on_start=_flag("GUIDE_MIGRATE", True),
                   log_level=level_from_env(), log_format=format_from_env())


INSIGHTS_KEY_MIN = 16  # characters: the key is typed by an operator, guessing it is also rate-limited


def insights_key(environ: dict[str, str] | None = None) -> str | None:
    """GUIDE_INSIGHTS_KEY: the key of the NSO insights page. Unset or empty: the page does not exist.
    A key shorter than INSIGHTS_KEY_MIN characters is refused (SettingError names the variable)."""
    raw = (os.environ if environ is None else environ).get("GUIDE_INSIGHTS_KEY", "").strip()
    if not raw:
        return None
    if len(raw) < INSIGHTS_KEY_MIN:
        raise SettingError(f"GUIDE_INSIGHTS_KEY: too short ({len(raw)} characters); expected at least "
                           f"{INSIGHTS_KEY_MIN}, e.g. from `python -c 'import secrets; print(secrets.token_urlsafe(24))'`")
    return raw
