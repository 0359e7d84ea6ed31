// Ask before leaving a form with unsaved changes (forms marked data-unsaved-warning).
(function () {
  "use strict";
  var dirty = false;
  function markDirty() { dirty = true; }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form[data-unsaved-warning]").forEach(function (form) {
      form.addEventListener("input", markDirty);
      form.addEventListener("change", markDirty);
      form.addEventListener("submit", function () { dirty = false; });
    });
    var summary = document.querySelector(".form-error-summary");
    if (summary) { summary.focus(); }
  });
  window.addEventListener("beforeunload", function (event) {
    if (!dirty) { return; }
    event.preventDefault();
    event.returnValue = "";
  });
})();
