// Live total of a count by category; the server computes it too (this is only a help).
(function () {
  "use strict";
  function parse(text) {
    var cleaned = String(text).replace(/[\s\u00a0\u202f]/g, "").replace(",", ".");
    if (cleaned === "") { return 0; }
    return /^-?\d+(\.\d+)?$/.test(cleaned) ? Number(cleaned) : NaN;
  }
  function update() {
    var output = document.getElementById("breakdown-total");
    if (!output) { return; }
    var total = 0;
    document.querySelectorAll("input[data-breakdown]").forEach(function (input) {
      total += parse(input.value);
    });
    output.textContent = isNaN(total) ? "?" : total.toLocaleString("fr-CA");
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("input[data-breakdown]").forEach(function (input) {
      input.addEventListener("input", update);
    });
  });
})();
