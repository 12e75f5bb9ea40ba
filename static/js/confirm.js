/* Irreversible actions ask first: a form (or its submit button) with data-confirm="…" opens the shared
   Bootstrap modal (#confirm-modal) with that text and, when data-confirm-detail names an element, its content
   (e.g. the warnings before publishing). 确定 submits the form as the user meant to; 取消 changes nothing.
   An action the server validates first (core/confirm.py) comes back with a 请确认 section whose form carries
   data-confirm-open: the modal opens on it at once with the section's text and summary; 确定 posts it
   (confirmed=1), 取消 leaves the page as it is, the section still on it. */
(function () {
  var pending = null;
  function modal() { return document.getElementById("confirm-modal"); }
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var button = event.submitter;
    var text = (button && button.dataset.confirm) || form.dataset.confirm;
    if (!text || form.dataset.confirmed === "1" || !modal() || typeof bootstrap === "undefined") return;
    event.preventDefault();
    var el = modal();
    el.querySelector("[data-confirm-text]").textContent = text;
    var detailId = (button && button.dataset.confirmDetail) || form.dataset.confirmDetail;
    var detail = el.querySelector("[data-confirm-detail]");
    var source = detailId && document.getElementById(detailId);
    detail.innerHTML = source ? source.innerHTML : "";
    detail.classList.toggle("d-none", !source);
    pending = {form: form, button: button};
    bootstrap.Modal.getOrCreateInstance(el).show();
  }, true);
  function openStep() {
    var form = document.querySelector("form[data-confirm-open]");
    if (!form || !modal() || typeof bootstrap === "undefined") return;
    var section = form.closest("[data-testid=confirm-step]") || form.parentNode;
    var el = modal();
    var text = section.querySelector("[data-confirm-step-text]");
    var summary = section.querySelector("[data-confirm-step-summary]");
    el.querySelector("[data-confirm-text]").textContent = text ? text.textContent : "";
    var detail = el.querySelector("[data-confirm-detail]");
    detail.innerHTML = summary ? summary.outerHTML : "";
    detail.classList.toggle("d-none", !summary);
    pending = {form: form, button: null};
    bootstrap.Modal.getOrCreateInstance(el).show();
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", openStep);
  } else {
    openStep();
  }
  document.addEventListener("click", function (event) {
    if (!event.target.closest("[data-confirm-ok]") || !pending) return;
    var form = pending.form, button = pending.button;
    pending = null;
    bootstrap.Modal.getOrCreateInstance(modal()).hide();
    form.dataset.confirmed = "1";
    if (button && form.requestSubmit) { form.requestSubmit(button); } else { form.submit(); }
    delete form.dataset.confirmed;
  });
})();
