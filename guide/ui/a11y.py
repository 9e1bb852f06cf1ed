"""What the app adds to every page for screen readers and keyboards, where Streamlit itself falls short.

- The document's language: guide.server.lang serves the first load with the right `<html lang>`; after
  every run this script sets `document.documentElement.lang` to the session's language, so switching
  language is heard too (Streamlit's own index.html always says "en").
- Material icons are ligatures: their names ('menu_book') are text, read aloud as part of a link's or
  button's name. The script marks every icon `aria-hidden` as it appears; the words beside it stay.
- Toasts are dialogs without a name in Streamlit: their own words name them.
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
  [role="spinbutton"] {{ display: inline-block; min-height: 24px; min-width: 24px; line-height: 24px; }}
  /* captions and other faded text: Streamlit's 60% grey is below 4.5:1 on white; ours is 6.9:1 */
  [data-testid="stCaptionContainer"], [data-testid="stCaptionContainer"] p,
  [data-testid="stWidgetLabel"] [data-testid="stCaptionContainer"] {{ color: #5c5a58 !important; opacity: 1 !important; }}
  /* the script element: rendered (Streamlit skips what has no width) but takes no room */
  .st-key-doc_a11y {{ position: absolute !important; width: 1px !important; height: 1px !important; overflow: hidden; clip-path: inset(50%); }}
</style>
"""

#: Never a '<' followed by a letter, '/' or '!' in here (not even in a comment): Streamlit's sanitiser
#: (DOMPurify) then drops the whole script without a word. tests/test_a11y.py checks it.
_SCRIPT = """
<script>
(function () {
  var lang = %s;
  var doc = window.document;
  doc.documentElement.lang = lang;
  if (window.__guideA11y) { return; }
  window.__guideA11y = true;
  function each(root, selector, fn) {
    var found = root.querySelectorAll(selector);
    for (var i = 0; i < found.length; i++) { fn(found[i]); }
    if (root.matches && root.matches(selector)) { fn(root); }
  }
  function hideIcons(root) {
    each(root, '[data-testid="stIconMaterial"]:not([aria-hidden]), [data-testid="stIconEmoji"]:not([aria-hidden]),'
      + ' [aria-label$=" icon"]:not([aria-hidden])', function (icon) {
      icon.setAttribute('aria-hidden', 'true');
    });
    // the page list: Streamlit puts each group's heading inside its list; one group of links per heading
    each(doc, '[data-testid="stSidebarNavItems"]:not([role])', function (list) {
      list.setAttribute('role', 'none');
      for (var i = 0; i < list.children.length; i++) {
        var group = list.children[i];
        var head = group.querySelector('[data-testid="stNavSectionHeader"]');
        group.setAttribute('role', 'group');
        if (head) { group.setAttribute('aria-label', head.textContent.trim()); }
      }
    });
    // a toast is a dialog without a name in Streamlit: its own words name it
    each(root, '.stToast:not([aria-label])', function (toast) {
      toast.setAttribute('aria-label', toast.textContent.trim().slice(0, 200));
    });
    each(doc, '[data-testid="stSidebarNavItems"] li:not([role])', function (item) {
      item.setAttribute('role', 'none');
    });
  }
  hideIcons(doc);
  // React reuses elements (an icon span may get a new name in place), so after every batch of changes
  // the whole document is looked at once more; the selectors skip what is done already
  var queued = false;
  new MutationObserver(function (changes) {
    for (var i = 0; i < changes.length; i++) {
      var added = changes[i].addedNodes;
      for (var j = 0; j < added.length; j++) {
        if (added[j].nodeType === 1) { hideIcons(added[j]); }
      }
    }
    if (!queued) {
      queued = true;
      window.requestAnimationFrame(function () { queued = false; hideIcons(doc); });
    }
  }).observe(doc.body, {childList: true, subtree: true, characterData: true,
                        attributes: true, attributeFilter: ['aria-label', 'aria-hidden']});
})();
</script>
"""


def page_support(lang: str) -> None:
    """Styles and the language/icon script for this run (call once per run, before the page)."""
    code = lang if lang in LANGUAGES else LANGUAGES[0]
    st.html(_CSS)
    with st.container(key="doc_a11y"):
        st.html(_SCRIPT % json.dumps(code), unsafe_allow_javascript=True)
