/* Searchable selects: a <select data-autocomplete-url> (holding only the chosen option) gets a search box in
   front of it. Typing asks the URL for ?q=… (debounced 250 ms) and lists the matches; choosing one puts it into the
   select, which the form posts as before. Keyboard: ↑/↓ to move, Enter to choose, Esc to close. */
(function () {
  var seq = 0;
  function enhance(select) {
    if (select.dataset.autocompleteReady) return;
    select.dataset.autocompleteReady = "1";
    var id = select.id || ("ac-" + (++seq));
    var wrap = document.createElement("div");
    wrap.className = "autocomplete position-relative";
    var input = document.createElement("input");
    input.type = "search";
    input.className = "form-control" + (select.classList.contains("form-select-sm") ? " form-control-sm" : "");
    input.placeholder = select.dataset.placeholder || "输入搜索…";
    input.autocomplete = "off";
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    var list = document.createElement("ul");
    list.className = "autocomplete-list list-group position-absolute w-100 shadow-sm d-none";
    list.id = id + "-list";
    list.setAttribute("role", "listbox");
    input.setAttribute("aria-controls", list.id);
    // the label keeps pointing at what the user types into; the select stays for the form
    var label = document.querySelector('label[for="' + id + '"]');
    select.id = id + "-value";
    input.id = id;
    if (!label) { input.setAttribute("aria-label", select.getAttribute("aria-label") || input.placeholder); }
    var chosen = select.options[select.selectedIndex];
    input.value = chosen && chosen.value ? chosen.text : "";
    var emptyText = select.options.length && select.options[0].value === "" ? select.options[0].text : "";
    if (emptyText && emptyText !== "---------") input.placeholder = emptyText + "（输入名称或编号搜索）";
    select.classList.add("d-none");
    select.setAttribute("aria-hidden", "true");
    select.tabIndex = -1;
    select.parentNode.insertBefore(wrap, select);
    wrap.appendChild(input);
    wrap.appendChild(list);
    wrap.appendChild(select);

    var timer = null, active = -1, items = [];
    function close() { list.classList.add("d-none"); input.setAttribute("aria-expanded", "false"); active = -1; }
    function choose(item) {
      select.innerHTML = "";
      if (emptyText || !select.required) select.add(new Option(emptyText || "", ""));
      if (item) { select.add(new Option(item.text, item.id, true, true)); input.value = item.text; }
      else { select.value = ""; input.value = ""; }
      select.dispatchEvent(new Event("change", {bubbles: true}));
      close();
    }
    function render(results) {
      items = results;
      list.innerHTML = "";
      if (!results.length) {
        var none = document.createElement("li");
        none.className = "list-group-item small text-muted";
        none.textContent = "没有匹配的结果";
        list.appendChild(none);
      }
      results.forEach(function (item, i) {
        var li = document.createElement("li");
        li.className = "list-group-item list-group-item-action small";
        li.id = id + "-opt-" + i;
        li.setAttribute("role", "option");
        li.textContent = item.text;
        li.addEventListener("mousedown", function (e) { e.preventDefault(); choose(item); });
        list.appendChild(li);
      });
      list.classList.remove("d-none");
      input.setAttribute("aria-expanded", "true");
      active = -1;
    }
    function search() {
      var url = select.dataset.autocompleteUrl + "?q=" + encodeURIComponent(input.value.trim());
      var mine = ++seq;
      input.dataset.pending = "1";
      fetch(url, {headers: {"Accept": "application/json"}, credentials: "same-origin"})
        .then(function (r) { return r.json(); })
        .then(function (data) { if (mine === seq) { render(data.results || []); } })
        .finally(function () { delete input.dataset.pending; });
    }
    input.addEventListener("input", function () {
      clearTimeout(timer);
      if (input.value.trim() === "") { choose(null); return; }
      timer = setTimeout(search, 250);
    });
    input.addEventListener("focus", function () { if (!input.value) { clearTimeout(timer); timer = setTimeout(search, 250); } });
    input.addEventListener("blur", function () { setTimeout(close, 150); });
    input.addEventListener("keydown", function (e) {
      var options = list.querySelectorAll("[role=option]");
      if (e.key === "ArrowDown" || e.key === "ArrowUp") {
        if (!options.length) return;
        e.preventDefault();
        active = (active + (e.key === "ArrowDown" ? 1 : -1) + options.length) % options.length;
        options.forEach(function (o, i) { o.classList.toggle("active", i === active); });
        input.setAttribute("aria-activedescendant", options[active].id);
      } else if (e.key === "Enter" && active >= 0 && !list.classList.contains("d-none")) {
        e.preventDefault();
        choose(items[active]);
      } else if (e.key === "Escape") { close(); }
    });
  }
  function init(root) { (root || document).querySelectorAll("select[data-autocomplete-url]").forEach(enhance); }
  document.addEventListener("DOMContentLoaded", function () { init(document); });
  document.addEventListener("htmx:afterSwap", function (e) { init(e.target); });
})();
