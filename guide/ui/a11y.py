"""What the app adds to every page for screen readers and keyboards, where Streamlit itself falls short.

- The document's language: guide.server.lang serves the first load with the right `<html lang>`; after
  every run this script sets `document.documentElement.lang` to the session's language, so switching
  language is heard too (Streamlit's own index.html always says "en").
- Material icons are ligatures: their names ('menu_book') are text, read aloud as part of a link's or
  button's name. The script marks every icon `aria-hidden` as it appears; the words beside it stay.
- Focus is always clearly visible (a 3 px outline in a colour with 3:1 contrast on white and on the
  sidebar), and buttons, links and radio choices are at least 24 px tall (WCAG 2.2 target size).

The script is our own constant text with only the language code (checked against the languages found)
filled in; no user text ever reaches it.
"""

from __future__ import annotations

import json

import streamlit as st

from .. import LANGUAGES

FOCUS = "#1a4f8b"  # 8.6:1 on white, 7.6:1 on Streamlit's sidebar grey

_CSS = f"""
<style>
  /* focus clearly visible: one outline for every focusable thing, not only a faint background */
  a:focus-visible, button:focus-visible, [role="button"]:focus-visible, [role="tab"]:focus-visible,
  [role="radio"]:focus-visible, [role="checkbox"]:focus-visible, [role="option"]:focus-visible,
  input:focus-visible, textarea:focus-visible, summary:focus-visible, [tabindex]:focus-visible,
  label:focus-within {{
    outline: 3px solid {FOCUS} !important;
    outline-offset: 2px !important;
  }}
  /* targets at least 24 x 24 px */
  [data-testid="stSidebarNav"] a, [data-testid="stPageLink"] a, .stButton button, .stDownloadButton button,
  .stFormSubmitButton button, .stLinkButton a, [data-testid="stRadio"] label, [data-testid="stCheckbox"] label {{
    min-height: 24px;
  }}
  .st-key-doc_a11y {{ display: none; }}
</style>
"""

_SCRIPT = """
<script>
(function () {
  var lang = %s;
  var doc = window.document;
  doc.documentElement.lang = lang;
  if (window.__guideA11y) { return; }
  window.__guideA11y = true;
  function hideIcons(root) {
    var icons = (root.querySelectorAll ? root : doc).querySelectorAll(
      '[data-testid="stIconMaterial"]:not([aria-hidden]), [data-testid="stIconEmoji"]:not([aria-hidden])');
    for (var i = 0; i < icons.length; i++) { icons[i].setAttribute('aria-hidden', 'true'); }
  }
  hideIcons(doc);
  new MutationObserver(function (changes) {
    for (var i = 0; i < changes.length; i++) {
      var added = changes[i].addedNodes;
      for (var j = 0; j < added.length; j++) {
        if (added[j].nodeType === 1) { hideIcons(added[j]); }
      }
    }
  }).observe(doc.body, {childList: true, subtree: true});
})();
</script>
"""


def page_support(lang: str) -> None:
    """Styles and the language/icon script for this run (call once per run, before the page)."""
    code = lang if lang in LANGUAGES else LANGUAGES[0]
    st.html(_CSS)
    with st.container(key="doc_a11y"):
        st.html(_SCRIPT % json.dumps(code), unsafe_allow_javascript=True)
