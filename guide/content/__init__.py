"""Content: the handbook, fixes and troubleshooter texts as validated YAML per language."""

from .loader import Content, load_all, load_content

__all__ = ["Content", "load_all", "load_content"]
