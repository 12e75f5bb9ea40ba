/* A form marked data-unsaved-warning asks before the page is left with changes not yet saved
   (the browser's own "leave site?" dialog). Submitting the form, or restoring every value, clears the warning. */
(function () {
  function snapshot(form) {
    var data = [];
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || el.type === "file" || el.type === "submit" || el.type === "button" || el.name === "csrfmiddlewaretoken") return;
      data.push(el.name + "=" + ((el.type === "checkbox" || el.type === "radio") ? el.checked : el.value));
    });
    return data.join("&");
  }
  var forms = [];
  var leaving = false;
  document.querySelectorAll("form[data-unsaved-warning]").forEach(function (form) {
    form.dataset.initial = snapshot(form);
    forms.push(form);
  });
  // bubbling listener: runs after confirm.js (capture), so a submit held for the confirmation modal doesn't count
  document.addEventListener("submit", function (event) {
    if (!event.defaultPrevented && forms.indexOf(event.target) !== -1) leaving = true;
  });
  window.jingpinDirtyForms = function () {
    return forms.filter(function (form) { return snapshot(form) !== form.dataset.initial; });
  };
  window.addEventListener("beforeunload", function (event) {
    if (leaving || !window.jingpinDirtyForms().length) return;
    event.preventDefault();
    event.returnValue = "";
  });
})();
