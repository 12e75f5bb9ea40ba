/* Irreversible actions ask first: a form (or its submit button) with data-confirm="…" opens the shared
   Bootstrap modal (#confirm-modal) with that text and, when data-confirm-detail names an element, its content
   (e.g. the warnings before publishing). 确定 submits the form as the user meant to; 取消 changes nothing. */
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
