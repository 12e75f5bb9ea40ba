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
