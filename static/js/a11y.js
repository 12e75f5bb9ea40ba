/* A table that scrolls (sideways on a phone, or down inside a box of fixed height) can be reached and scrolled with
   the keyboard. */
(function () {
  function mark() {
    document.querySelectorAll(".table-responsive").forEach(function (box) {
      var scrolls = box.scrollWidth > box.clientWidth || box.scrollHeight > box.clientHeight;
      if (scrolls && !box.hasAttribute("tabindex")) {
        box.tabIndex = 0;
        box.setAttribute("role", "region");
        var caption = box.querySelector("caption, h2, h3");
        box.setAttribute("aria-label", caption ? caption.textContent.trim() : "表格（可滚动）");
      }
    });
  }
  document.addEventListener("DOMContentLoaded", mark);
  window.addEventListener("load", mark);
  window.addEventListener("resize", mark);
  document.addEventListener("htmx:afterSettle", mark);
})();

/* A form that came back with errors: focus its linked error summary (so a phone shows it and a screen reader reads
   it); a link in it moves the focus to its field, not just the scroll position. */
(function () {
  function focusSummary() {
    var summary = document.querySelector("[data-error-summary]");
    if (!summary) return;
    summary.focus({ preventScroll: true });
    // not smooth (the page opens there), with a little room above it
    var top = window.scrollY + summary.getBoundingClientRect().top - 16;
    window.scrollTo({ top: Math.max(0, top), behavior: "instant" });
  }
  document.addEventListener("DOMContentLoaded", focusSummary);
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("[data-error-link]");
    if (!link) return;
    var field = document.getElementById(link.getAttribute("href").slice(1));
    if (!field) return;
    event.preventDefault();
    var visible = field.offsetParent !== null ? field : field.closest("div") || field;
    visible.scrollIntoView({ block: "center", behavior: "instant" });
    field.focus({ preventScroll: true });
  });
})();
