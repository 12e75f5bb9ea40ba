/* Small behaviours declared in the markup, so that no page needs an inline event handler (the
   Content-Security-Policy blocks them, core/csp.py):
   - data-autosubmit on a form control: changing it submits its form (e.g. the dashboard's year selects);
   - data-history-back on a link: goes back one page (the link's href is where it goes without history). */
(function () {
  document.addEventListener("change", function (event) {
    var control = event.target.closest && event.target.closest("[data-autosubmit]");
    if (!control || !control.form) return;
    if (control.form.requestSubmit) { control.form.requestSubmit(); } else { control.form.submit(); }
  });
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("[data-history-back]");
    if (!link || window.history.length < 2) return;
    event.preventDefault();
    window.history.back();
  });
})();

/* Lists as cards on a phone (static/css/app.css, "table-cards"): a list table keeps its markup; this labels
   every cell with its column header (data-label) and gives it its place on the card from the header's
   data-card: "status" and "action" first, "title" (default: the first column) as the card's heading, "key"
   fields shown, "more" fields behind 展开. Unmarked columns: a header containing 状态 is the status, 操作 the
   action (the first of each), the first three others are key and the rest are more. A row with more fields gets a 展开 button
   (hidden on a wider screen, where the table stays as it is). */
(function () {
  function headerCells(table) {
    var rows = table.tHead ? table.tHead.rows : [];
    if (!rows.length) return [];
    var cells = [];
    Array.prototype.forEach.call(rows[rows.length - 1].cells, function (th) {
      for (var i = 0; i < (th.colSpan || 1); i++) cells.push(th);
    });
    return cells;
  }
  function roles(headers) {
    var keys = 0;
    var status = headers.some(function (th) { return th.getAttribute("data-card") === "status"; });
    return headers.map(function (th, index) {
      var role = th.getAttribute("data-card");
      var text = th.textContent.replace(/[▲▼]/g, "").trim();
      if (!role) {
        if (index === 0) role = "title";
        else if (!status && text.indexOf("状态") >= 0) { role = "status"; status = true; }
        else if (text === "操作" || (text === "" && index === headers.length - 1)) role = "action";
        else role = keys++ < 3 ? "key" : "more";
      }
      return { role: role, label: th.getAttribute("data-label") || text };
    });
  }
  function cardify(table) {
    var columns = roles(headerCells(table));
    if (!columns.length) return;
    Array.prototype.forEach.call(table.tBodies, function (tbody) {
      Array.prototype.forEach.call(tbody.rows, function (tr) {
        if (tr.cells.length === 1 && tr.cells[0].colSpan > 1) { tr.classList.add("card-note"); return; }
        var column = 0, hasMore = false;
        Array.prototype.forEach.call(tr.cells, function (cell) {
          var info = columns[Math.min(column, columns.length - 1)];
          column += cell.colSpan || 1;
          if (!cell.hasAttribute("data-label")) cell.setAttribute("data-label", info.label);
          var role = cell.getAttribute("data-card") || info.role;
          cell.classList.add("card-" + role);
          if (role === "more") hasMore = true;
          if (!cell.textContent.trim() && !cell.querySelector("input, select, button, a, img")) cell.classList.add("card-blank");
        });
        if (hasMore) {
          var toggle = tr.insertCell(-1);
          toggle.className = "card-toggle";
          toggle.innerHTML = '<button type="button" class="btn btn-link btn-sm p-0" aria-expanded="false">展开</button>';
        }
      });
    });
    table.classList.add("table-cards-ready");
  }
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest(".card-toggle button");
    if (!button) return;
    var open = button.closest("tr").classList.toggle("card-open");
    button.setAttribute("aria-expanded", open ? "true" : "false");
    button.textContent = open ? "收起" : "展开";
  });
  function init() { Array.prototype.forEach.call(document.querySelectorAll("table.table-cards"), cardify); }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init); else init();
  document.addEventListener("htmx:afterSwap", function (event) {
    Array.prototype.forEach.call(event.target.querySelectorAll("table.table-cards:not(.table-cards-ready)"), cardify);
  });
})();

/* A wide month grid (data-scroll-to-current) opens scrolled so that its current month (th[data-current]) and
   the months before it are in view: on a phone the months needing action come first, not January. */
(function () {
  function scroll() {
    Array.prototype.forEach.call(document.querySelectorAll("table[data-scroll-to-current]"), function (table) {
      var box = table.parentElement, current = table.querySelector("thead th[data-current]");
      if (!current || box.scrollWidth <= box.clientWidth) return;
      box.scrollLeft = Math.max(0, current.offsetLeft + current.offsetWidth - box.clientWidth + 8);
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", scroll); else scroll();
})();
