"""What the app adds to every page for screen readers and keyboards, where Streamlit itself falls short.

- The document's language: guide.server.lang serves the first load with the right `<html lang>`; the
  script follows the address bar's `?lang=` (every run of the app keeps it there) and sets
  `document.documentElement.lang` to it, so switching language is heard too (Streamlit's own index.html
  always says "en").
- Material icons are ligatures: their names ('menu_book') are text, read aloud as part of a link's or
  button's name. The script marks every icon `aria-hidden` as it appears; the words beside it stay.
- Toasts are dialogs without a name in Streamlit: their own words name them.
- Streamlit's own words ('Skip to main content', 'Link to heading', 'No results' ...) are English and
  cannot be configured: the script puts them in the session's language (STREAMLIT_WORDS, through the
  catalog) wherever they appear as text, a name, a placeholder or a title.
- Focus is always clearly visible (a 3 px outline in a colour with 3:1 contrast on white and on the
  sidebar), and buttons, links and radio choices are at least 24 px tall (WCAG 2.2 target size).

The styles and the script come with the page itself (guide.server.lang puts them into the page shell that
every first load and reload gets), not as elements of every run: a run draws only the page (issue #16). They
are our own constant text with the catalog's words of every language filled in, made once per process; no
user text ever reaches them.
"""

from __future__ import annotations

import functools
import json

from streamlit import config

from .. import LANGUAGES
from ..i18n import N_, format_number, translator

#: Streamlit's fixed English words, as its front end writes them, and our words for them (catalog msgids)
STREAMLIT_WORDS = {
    "Skip to main content": N_("Skip to main content"),
    "Main menu": N_("Main menu"),
    "Link to heading": N_("Link to heading"),
    "Choose an option": N_("Choose an option"),
    "No results": N_("No results"),
    "Drag and drop file here": N_("Drag and drop file here"),
    "Browse files": N_("Browse files"),
    "Upload": N_("Upload"),
    "Add files": N_("Add files"),
    "file upload": N_("file upload"),
    "Remove {name}": N_("Remove {name}"),  # an uploaded file's delete button (the name is the file's)
    "Press Enter to apply": N_("Press Enter to apply"),
    "Press Enter to submit form": N_("Press Enter to submit form"),
    "Close": N_("Close"),
    "Open": N_("Open"),
}
#: ... and the uploader's refusal of a file over the server's limit (server.maxUploadSize), '1.0MB' as it writes it
#: (in its tooltip, and in the alert that screen readers hear)
UPLOAD_TOO_BIG = {"File must be {mb:.1f}MB or smaller.": N_("The file may be at most {mb} MB."),
                  "Error: File must be {mb:.1f}MB or smaller.": N_("Error: the file may be at most {mb} MB.")}
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
</style>
"""

#: Never a '<' followed by a letter, '/' or '!' in here (not even in a comment): inside the page's <script>
#: element that would end it or start markup. tests/test_a11y.py checks it.
_SCRIPT = """
<script>
(function () {
  var WORDS = %s;  // {language: {Streamlit's English words: ours}}
  var doc = window.document;
  // the page's language: the address bar's ?lang= (the app keeps it there), else what the page was served in
  function follow() {
    var asked = new URLSearchParams(window.location.search).get('lang'), now = doc.documentElement.lang;
    var lang = Object.prototype.hasOwnProperty.call(WORDS, asked) ? asked
      : Object.prototype.hasOwnProperty.call(WORDS, now) ? now : %s;
    if (now !== lang) { doc.documentElement.lang = lang; }
    window.__guideWords = WORDS[lang];
  }
  function each(root, selector, fn) {
    var found = root.querySelectorAll(selector);
    for (var i = 0; i < found.length; i++) { fn(found[i]); }
    if (root.matches && root.matches(selector)) { fn(root); }
  }
  function hideIcons(root) {
    follow();
    each(root, '[data-testid="stIconMaterial"]:not([aria-hidden]), [data-testid="stIconEmoji"]:not([aria-hidden]),'
      + ' [aria-label$=" icon"]:not([aria-hidden])', function (icon) {
      icon.setAttribute('aria-hidden', 'true');
    });
    // an icon button's own 'add icon' beside its icon: the button's name (aria-label) says what it does
    each(root, 'button[aria-label] span:not([aria-hidden])', function (span) {
      if (!span.children.length && / icon$/.test(span.textContent)) { span.setAttribute('aria-hidden', 'true'); }
    });
    // the page list: Streamlit puts each group's heading inside its list; one group of links per heading
    each(doc, '[data-testid="stSidebarNavItems"]:not([role])', function (list) {
      list.setAttribute('role', 'none');
      for (var i = 0; i < list.children.length; i++) {
        var group = list.children[i];
        var head = group.querySelector('[data-testid="stNavSectionHeader"]');
        group.setAttribute('role', 'group');
        if (head) { group.setAttribute('aria-label', words(head)); }
      }
    });
    // a toast is a dialog without a name in Streamlit: its own words name it
    each(root, '.stToast:not([aria-label])', function (toast) {
      toast.setAttribute('aria-label', words(toast).slice(0, 200));
    });
    each(doc, '[data-testid="stSidebarNavItems"] li:not([role])', function (item) {
      item.setAttribute('role', 'none');
    });
    translate(root);
  }
  // an element's text without its icons' ligature names ('expand_more')
  function words(el) {
    var copy = el.cloneNode(true);
    each(copy, '[data-testid="stIconMaterial"], [aria-hidden="true"], [aria-label$=" icon"]', function (icon) {
      icon.remove();
    });
    return copy.textContent.trim();
  }
  // Streamlit's own English words, in the page's language: as text, and as a name, placeholder or title.
  // `shown` remembers what each word was put in, so that switching language finds it again.
  var ATTRS = ['aria-label', 'placeholder', 'title'];
  var shown = {};
  function english(text) {
    return Object.prototype.hasOwnProperty.call(shown, text) ? shown[text] : text;
  }
  function wanted(text) {
    var words = window.__guideWords || {}, original = english(text);
    if (!Object.prototype.hasOwnProperty.call(words, original) || words[original] === text) { return null; }
    shown[words[original]] = original;
    return words[original];
  }
  function translate(root) {
    // an alert React wrote in pieces ('Error: ' + its message): the whole, in the first piece
    each(root, '[role="alert"]', function (el) {
      var parts = el.childNodes, now = !el.children.length && parts.length > 1 && wanted(el.textContent.trim());
      if (!now) { return; }
      for (var i = 0; i < parts.length; i++) { parts[i].nodeValue = i === 0 ? now : ''; }
    });
    // an uploaded file's delete button is named 'Remove ' + the file's name: the file's name kept as text
    each(root, '[data-testid="stFileChipDeleteBtn"] button[aria-label]', function (el) {
      var label = el.getAttribute('aria-label'), name = el.getAttribute('data-guide-file');
      if (label.indexOf('Remove ') === 0) { name = label.slice(7); el.setAttribute('data-guide-file', name); }
      if (name === null) { return; }
      var now = ((window.__guideWords || {})['Remove {name}'] || 'Remove {name}').replace('{name}', function () {
        return name;
      });
      if (label !== now) { el.setAttribute('aria-label', now); }
    });
    var walker = doc.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) {
      var node = walker.currentNode, text = node.nodeValue.trim(), now = text && wanted(text);
      if (now) { node.nodeValue = node.nodeValue.replace(text, now); }
    }
    for (var a = 0; a < ATTRS.length; a++) {
      each(root, '[' + ATTRS[a] + ']', function (el) {
        var now = wanted(el.getAttribute(ATTRS[a]));
        if (now) { el.setAttribute(ATTRS[a], now); }
      });
    }
  }
  // React reuses elements (an icon span may get a new name in place), so after every batch of changes
  // the whole document is looked at once more; the selectors skip what is done already
  var queued = false;
  function later() {
    if (!queued) {
      queued = true;
      window.requestAnimationFrame(function () { queued = false; hideIcons(doc); });
    }
  }
  // Streamlit changes the address (?lang=) with the history API, which tells nobody: it tells us now
  ['pushState', 'replaceState'].forEach(function (name) {
    var original = window.history[name];
    window.history[name] = function () {
      var result = original.apply(this, arguments);
      later();
      return result;
    };
  });
  window.addEventListener('popstate', later);
  hideIcons(doc);
  new MutationObserver(function (changes) {
    for (var i = 0; i < changes.length; i++) {
      var change = changes[i], added = change.addedNodes;
      for (var j = 0; j < added.length; j++) {
        if (added[j].nodeType === 1) { hideIcons(added[j]); }
      }
      var target = change.type === 'characterData' ? change.target.parentElement : change.target;
      if (change.type !== 'childList' && target && target.nodeType === 1) { hideIcons(target); }
    }
    later();
  }).observe(doc.body, {childList: true, subtree: true, characterData: true,
                        attributes: true, attributeFilter: ['aria-label', 'aria-hidden', 'placeholder', 'title']});
})();
</script>
"""


@functools.cache
def shell_parts() -> tuple[bytes, bytes]:
    """What the page shell gets (guide.server.lang): the styles for its head and the script for the end of its
    body, with the catalog's words of every language; made once per process."""
    return _CSS.encode(), _script().encode()


def _script() -> str:
    """The support script: Streamlit's words in every language (from the catalog only) and the upload limit."""
    mb = float(config.get_option("server.maxUploadSize"))
    by_lang = {}
    for code in LANGUAGES:
        gettext = translator(code).gettext
        words = {english: gettext(msgid) for english, msgid in STREAMLIT_WORDS.items()}
        for english, msgid in UPLOAD_TOO_BIG.items():
            words[english.format(mb=mb)] = gettext(msgid).format(
                mb=format_number(int(mb), code) if mb.is_integer() else mb)
        by_lang[code] = words
    return _SCRIPT % (_script_json(by_lang), json.dumps(LANGUAGES[0]))


def _script_json(value: object) -> str:
    """JSON that is safe inside the script: no '<' (no way out of the element)."""
    return json.dumps(value, ensure_ascii=False).replace("<", "\\u003c")
