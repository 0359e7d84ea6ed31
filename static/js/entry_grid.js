// Entry grid: each row (fieldset.entry-row) is saved on its own, when the person leaves it
// or presses Enter, by a POST to its data-row-url; the server answers the row's new HTML.
// Without this script the page is a plain form that saves every row at once.
(function () {
  "use strict";

  function rowData(row, form) {
    var data = new FormData();
    data.append("csrfmiddlewaretoken", form.querySelector("input[name=csrfmiddlewaretoken]").value);
    row.querySelectorAll("input, select, textarea").forEach(function (field) {
      if (!field.name || field.disabled) { return; }
      if ((field.type === "checkbox" || field.type === "radio") && !field.checked) { return; }
      data.append(field.name, field.value);
    });
    return data;
  }

  function firstInput(row) {
    return row && row.querySelector("input:not([type=hidden]), select, textarea");
  }

  function nextRow(row) {
    var next = row.nextElementSibling;
    while (next && !next.classList.contains("entry-row")) { next = next.nextElementSibling; }
    return next;
  }

  function setStatus(row, text, failed) {
    var status = row.querySelector(".entry-row-status");
    if (!status) { return; }
    status.textContent = text;
    status.classList.toggle("text-danger", !!failed);
    status.classList.remove("text-success");
  }

  function save(row, form, moveOn) {
    if (row.dataset.saving) { return Promise.resolve(row); }
    row.dataset.saving = "1";
    row.dataset.dirty = "";
    setStatus(row, form.dataset.savingText, false);
    return fetch(row.dataset.rowUrl, {
      method: "POST",
      body: rowData(row, form),
      credentials: "same-origin",
      headers: { "Accept": "application/json", "X-Requested-With": "fetch" }
    }).then(function (response) {
      return response.json();
    }).then(function (result) {
      var holder = document.createElement("div");
      holder.innerHTML = result.html.trim();
      var fresh = holder.firstElementChild;
      var hadFocus = row.contains(document.activeElement);
      row.replaceWith(fresh);
      bind(fresh, form);
      if (result.state === "error") {
        var wrong = fresh.querySelector(".is-invalid") || firstInput(fresh);
        if ((moveOn || hadFocus) && wrong) { wrong.focus(); }
      } else if (moveOn) {
        var target = firstInput(nextRow(fresh));
        if (target) { target.focus(); }
      }
      return fresh;
    }).catch(function () {
      delete row.dataset.saving;
      row.dataset.dirty = "1";
      setStatus(row, form.dataset.failedText, true);
      return row;
    });
  }

  function bind(row, form) {
    function dirty() { row.dataset.dirty = "1"; }
    row.addEventListener("input", dirty);
    row.addEventListener("change", dirty);
    row.addEventListener("focusout", function (event) {
      if (row.dataset.dirty && !(event.relatedTarget && row.contains(event.relatedTarget))) {
        save(row, form, false);
      }
    });
    row.addEventListener("keydown", function (event) {
      if (event.key !== "Enter" || event.target.tagName === "TEXTAREA" ||
          event.target.tagName === "BUTTON" || event.target.tagName === "SUMMARY") { return; }
      event.preventDefault();
      if (row.dataset.dirty) {
        save(row, form, true);
      } else {
        var target = firstInput(nextRow(row));
        if (target) { target.focus(); }
      }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var form = document.querySelector("form.entry-grid");
    if (!form) { return; }
    form.querySelectorAll(".entry-row").forEach(function (row) { bind(row, form); });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var pending = Array.prototype.filter.call(form.querySelectorAll(".entry-row"), function (row) {
        return row.dataset.dirty;
      });
      pending.reduce(function (chain, row) {
        return chain.then(function () { return save(row, form, false); });
      }, Promise.resolve());
    });
    var summary = document.getElementById("error-summary");
    if (summary) { summary.focus(); }
  });
})();
