"""Domain search over the content of one language (no streamlit): see index.py."""

from .index import Hit, Index, build_index, index_for, search

__all__ = ["Hit", "Index", "build_index", "index_for", "search"]
