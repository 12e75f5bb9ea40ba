/* A table that scrolls sideways (phone) can be reached and scrolled with the keyboard. */
(function () {
  function mark() {
    document.querySelectorAll(".table-responsive").forEach(function (box) {
      if (box.scrollWidth > box.clientWidth && !box.hasAttribute("tabindex")) {
        box.tabIndex = 0;
        box.setAttribute("role", "region");
        var caption = box.querySelector("caption, h2, h3");
        box.setAttribute("aria-label", caption ? caption.textContent.trim() : "表格（可左右滚动）");
      }
    });
  }
  document.addEventListener("DOMContentLoaded", mark);
  window.addEventListener("load", mark);
  window.addEventListener("resize", mark);
  document.addEventListener("htmx:afterSettle", mark);
})();
