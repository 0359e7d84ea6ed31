// « Imprimer »: buttons marked data-print open the browser's print dialog. Without script,
// they stay hidden (the browser's own Print command works the same).
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("button[data-print]").forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function () { window.print(); });
    });
  });
})();
