// Targets grid: a block copied from a spreadsheet (tab-separated) and pasted into a cell
// fills the cells to the right and below. Nothing is saved here: the grid's form is.
(function () {
  "use strict";

  function blockRows(text) {
    var lines = text.replace(/\r\n?/g, "\n").split("\n");
    while (lines.length && lines[lines.length - 1].trim() === "") { lines.pop(); }
    return lines.map(function (line) { return line.split("\t"); });
  }

  function say(status, filled, outside) {
    if (!status) { return; }
    var text = status.dataset.filled.replace("{filled}", filled);
    if (outside) { text += " " + status.dataset.outside.replace("{outside}", outside); }
    status.textContent = text;
  }

  document.addEventListener("DOMContentLoaded", function () {
    var grid = document.getElementById("target-grid");
    if (!grid) { return; }
    var status = document.getElementById("paste-status");
    var inputs = {};
    grid.querySelectorAll("input[data-row]").forEach(function (input) {
      inputs[input.dataset.row + ":" + input.dataset.col] = input;
    });
    grid.addEventListener("paste", function (event) {
      var start = event.target;
      if (!start.matches("input[data-row]")) { return; }
      var text = event.clipboardData ? event.clipboardData.getData("text/plain") : "";
      // A single value is pasted by the browser itself.
      if (text.indexOf("\t") < 0 && text.replace(/\r?\n$/, "").indexOf("\n") < 0) { return; }
      event.preventDefault();
      var top = Number(start.dataset.row);
      var left = Number(start.dataset.col);
      var filled = 0;
      var outside = 0;
      blockRows(text).forEach(function (values, r) {
        values.forEach(function (value, c) {
          var input = inputs[(top + r) + ":" + (left + c)];
          if (input && !input.disabled) {
            input.value = value.trim();
            input.classList.add("pasted");
            filled += 1;
          } else {
            outside += 1;
          }
        });
      });
      say(status, filled, outside);
    });
  });
})();
