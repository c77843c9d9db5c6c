/* Accessibility fixes for markup the theme and the bibliography extension
   generate, applied as soon as the page is parsed (tests/test_site_browser.py
   checks the result with axe-core).
   - The sidebar's expand/collapse toggles are <summary> elements holding only
     an icon; give each a name that says what it opens.
   - The search button's aria-label ("Search") differs from its visible text
     ("Search Ctrl+K"); let the visible text be its name.
   - Bibliography entries use the deprecated role doc-biblioentry inside a
     role="list"; make them list items. */
(function () {
  "use strict";
  function fix() {
    document.querySelectorAll("nav details > summary").forEach(function (summary) {
      if (summary.getAttribute("aria-label")) return;
      var link = summary.parentElement.parentElement.querySelector(":scope > a");
      var title = link ? link.textContent.trim() : "this section";
      summary.setAttribute("aria-label", "Show or hide the pages of " + title);
    });
    document.querySelectorAll("button.search-button__button[aria-label]").forEach(function (button) {
      button.removeAttribute("aria-label");
    });
    document.querySelectorAll("[role='list'] > [role='doc-biblioentry']").forEach(function (entry) {
      entry.setAttribute("role", "listitem");
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", fix);
  } else {
    fix();
  }
})();
