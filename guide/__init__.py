"""eTwinning onboarding assistant: the handbook as content, the case, its rules and their fixes."""

from pathlib import Path

__version__ = "0.1.0"

#: Root of the content tree (content/<lang>/, content/scenarios/). Overridable for tests and deployments.
ROOT = Path(__file__).resolve().parent.parent
CONTENT_DIR = ROOT / "content"
LANGUAGES = ("nl", "en")
DEFAULT_LANGUAGE = "nl"
