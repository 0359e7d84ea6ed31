// Entry grid /saisie/<period>/: one table body (tbody.entry-row) per indicator.
// - A row is saved on its own when the person leaves it, by a POST to its data-row-url; the
//   server answers JSON: the row's new HTML, its state and the period's progress.
// - Arrows and Enter move between cells (inputs marked data-cell: the same data-cell is the
//   same column), Tab follows the reading order, Escape undoes the cell.
// - Ctrl+V of a block copied from a spreadsheet fills the cells to the right and below; each
//   row is then saved and checked by the server (the kind's rule).
// - « Save all rows » posts every changed row in one request; a link followed while rows
//   are being saved waits for them, so the next page (« À saisir ») reads them.
// Without this script the page is a plain form that saves every row at once.
(function () {
  "use strict";

  var form, live, saving = [];

  function rows() { return Array.prototype.slice.call(form.querySelectorAll("tbody.entry-row")); }

  function cells(row) {
    var list = Array.prototype.slice.call(row.querySelectorAll("[data-cell]"));
    return list.sort(function (a, b) { return Number(a.dataset.cell) - Number(b.dataset.cell); });
  }

  function rowOf(element) { return element && element.closest ? element.closest("tbody.entry-row") : null; }

  function announce(text) {
    live.textContent = "";
    window.setTimeout(function () { live.textContent = text; }, 50);
  }

  function fields(row, data) {
    row.querySelectorAll("input, select, textarea").forEach(function (field) {
      if (!field.name || field.disabled) { return; }
      if ((field.type === "checkbox" || field.type === "radio") && !field.checked) { return; }
      data.append(field.name, field.value);
    });
    return data;
  }

  function csrfData() {
    var data = new FormData();
    data.append("csrfmiddlewaretoken", form.querySelector("input[name=csrfmiddlewaretoken]").value);
    return data;
  }

  function setProgress(progress) {
    var text = document.getElementById("grid-progress");
    var bar = document.getElementById("grid-progress-bar");
    if (!progress || !text) { return; }
    text.textContent = text.dataset.template.replace("{saved}", progress.saved).replace("{total}", progress.total);
    if (bar) { bar.max = progress.total; bar.value = progress.saved; }
  }

  function setStatus(row, text, failed) {
    var status = row.querySelector(".entry-row-status");
    if (!status) { return; }
    status.textContent = text;
    status.classList.toggle("text-danger", !!failed);
  }

  function statusText(row) {
    var status = row.querySelector(".entry-row-status");
    return row.dataset.code + " : " + (status ? status.textContent.trim() : "");
  }

  // The server's answer for a row. Typed again while it was being saved: only its version and
  // state are taken (what was typed stays, saved when the row is left). Else the row is
  // replaced, the focus kept where it was, or put on the first error.
  function apply(row, html) {
    var table = document.createElement("table");
    table.innerHTML = html.trim();
    var fresh = table.querySelector("tbody.entry-row");
    var focused = row.contains(document.activeElement) ? document.activeElement : null;
    delete row.dataset.saving;
    if (row.dataset.dirty) {
      row.querySelector("input[name$='-version']").value = fresh.querySelector("input[name$='-version']").value;
      row.querySelector(".entry-state").replaceWith(fresh.querySelector(".entry-state"));
      row.classList.toggle("has-value", fresh.classList.contains("has-value"));
      return row;
    }
    row.replaceWith(fresh);
    var target = focused && focused.id ? document.getElementById(focused.id) : null;
    if (fresh.classList.contains("is-failed") && (focused || document.activeElement === document.body)) {
      target = fresh.querySelector(".is-invalid, .entry-confirm input") || target || cells(fresh)[0];
    }
    if (target) { target.focus(); }
    return fresh;
  }

  function save(row) {
    if (row.dataset.saving) { return row.saving; }
    row.dataset.saving = "1";
    row.dataset.dirty = "";
    setStatus(row, form.dataset.savingText, false);
    var done = fetch(row.dataset.rowUrl, {
      method: "POST",
      body: fields(row, csrfData()),
      credentials: "same-origin",
      headers: { "Accept": "application/json", "X-Requested-With": "fetch" }
    }).then(function (response) {
      return response.json();
    }).then(function (result) {
      var fresh = apply(row, result.html);
      setProgress(result.progress);
      announce(statusText(fresh));
      return fresh;
    }).catch(function () {
      delete row.dataset.saving;
      row.dataset.dirty = "1";
      setStatus(row, form.dataset.failedText, true);
      announce(row.dataset.code + " : " + form.dataset.failedText);
      return row;
    }).then(function (result) {
      saving = saving.filter(function (item) { return item !== done; });
      return result;
    });
    row.saving = done;
    saving.push(done);
    return done;
  }

  function markChanged(row) {
    row.dataset.dirty = "1";
    if (row.classList.contains("has-value")) { row.classList.add("is-changed"); }
  }

  // --- Moving between cells ------------------------------------------------------------------

  function show(cell) {
    var details = cell.closest("details");
    if (details && !details.open) { details.open = true; }
    cell.focus();
    if (cell.select && cell.type === "text") { cell.select(); }
  }

  function below(cell, step) {
    var all = rows(), index = all.indexOf(rowOf(cell)) + step;
    for (; index >= 0 && index < all.length; index += step) {
      var list = cells(all[index]);
      var same = list.filter(function (item) { return item.dataset.cell === cell.dataset.cell; })[0];
      if (same || list.length) { return same || list[0]; }
    }
    return null;
  }

  function beside(cell, step) {
    var list = cells(rowOf(cell)), index = list.indexOf(cell) + step;
    return index >= 0 && index < list.length ? list[index] : null;
  }

  function atEdge(cell, step) {
    if (cell.type !== "text" && cell.tagName !== "TEXTAREA") { return true; }
    var end = step < 0 ? 0 : cell.value.length;
    return cell.selectionStart === cell.selectionEnd && cell.selectionStart === end;
  }

  function undo(cell) {
    if (cell.type === "checkbox") {
      cell.checked = cell.defaultChecked;
    } else if (cell.tagName === "SELECT") {
      Array.prototype.forEach.call(cell.options, function (option) { option.selected = option.defaultSelected; });
    } else {
      cell.value = cell.defaultValue;
    }
  }

  function onKey(event) {
    var cell = event.target, row = rowOf(cell), next = null;
    if (!row || !cell.matches("input, select, textarea")) { return; }
    if (event.key === "Escape") {
      undo(cell);
      event.preventDefault();
      return;
    }
    if (event.key === "Enter" && !cell.hasAttribute("data-cell") && cell.tagName !== "TEXTAREA") {
      event.preventDefault();
      if (row.dataset.dirty) { save(row); }
      return;
    }
    if (!cell.hasAttribute("data-cell") || event.altKey || event.ctrlKey || event.metaKey) { return; }
    var multiline = cell.tagName === "TEXTAREA";
    if (event.key === "Enter" && !multiline) {
      next = below(cell, event.shiftKey ? -1 : 1);
      if (!next && row.dataset.dirty) { save(row); }
    } else if ((event.key === "ArrowDown" || event.key === "ArrowUp") && !multiline) {
      next = below(cell, event.key === "ArrowDown" ? 1 : -1);
    } else if (event.key === "ArrowRight" || event.key === "ArrowLeft") {
      var step = event.key === "ArrowRight" ? 1 : -1;
      if (!atEdge(cell, step)) { return; }
      next = beside(cell, step);
    } else {
      return;
    }
    event.preventDefault();
    if (next) { show(next); }
  }

  // --- Pasting a block from a spreadsheet ----------------------------------------------------

  function choose(select, text) {
    var wanted = text.trim().toLowerCase();
    var option = Array.prototype.filter.call(select.options, function (item) {
      return item.value && (item.value === wanted || item.text.toLowerCase().indexOf(wanted) === 0);
    })[0];
    select.value = option ? option.value : "";
  }

  function fill(cell, text) {
    if (cell.type === "checkbox") { return false; }
    if (cell.tagName === "SELECT") { choose(cell, text); } else { cell.value = text.trim(); }
    var details = cell.closest("details");
    if (details) { details.open = true; }
    return true;
  }

  function onPaste(event) {
    var cell = event.target, start = rowOf(cell);
    var text = (event.clipboardData || window.clipboardData).getData("text");
    if (!start || !cell.hasAttribute("data-cell") || !/[\t\n]/.test(text.replace(/\s+$/, ""))) { return; }
    event.preventDefault();
    var lines = text.replace(/\r/g, "").replace(/\n$/, "").split("\n");
    var all = rows(), first = all.indexOf(start), touched = [];
    lines.forEach(function (line, down) {
      var row = all[first + down];
      if (!row) { return; }
      var list = cells(row);
      var same = list.filter(function (item) { return item.dataset.cell === cell.dataset.cell; })[0];
      var index = list.indexOf(same);
      if (index < 0) { return; }
      line.split("\t").forEach(function (value, right) {
        var target = list[index + right];
        if (target && fill(target, value)) { markChanged(row); if (touched.indexOf(row) < 0) { touched.push(row); } }
      });
    });
    announce(form.dataset.pastedText);
    touched.forEach(function (row) { if (row !== start) { save(row); } });
    if (touched.indexOf(start) >= 0) { markChanged(start); }
  }

  // --- Saving everything, leaving the page ---------------------------------------------------

  function settle() { return Promise.all(saving.slice()); }

  function saveAll(event) {
    event.preventDefault();
    settle().then(function () {
      var dirty = rows().filter(function (row) { return row.dataset.dirty; });
      if (!dirty.length) { return null; }
      var data = csrfData();
      dirty.forEach(function (row) { fields(row, data); row.dataset.dirty = ""; setStatus(row, form.dataset.savingText, false); });
      return fetch(window.location.href, { method: "POST", body: data, credentials: "same-origin" })
        .then(function (response) { return response.text(); })
        .then(function (html) { refresh(html, dirty); });
    }).catch(function () {
      announce(form.dataset.failedText);
    });
  }

  function refresh(html, posted) {
    var page = new DOMParser().parseFromString(html, "text/html");
    posted.forEach(function (row) {
      var fresh = page.getElementById(row.id);
      if (fresh) { row.replaceWith(document.importNode(fresh, true)); }
    });
    var progress = page.getElementById("grid-progress-bar");
    if (progress) { setProgress({ saved: progress.getAttribute("value"), total: progress.getAttribute("max") }); }
    var message = page.querySelector(".alert");
    announce(message ? message.textContent.trim() : "");
  }

  function leave(event) {
    var link = event.target.closest && event.target.closest("a[href]");
    if (!link || event.defaultPrevented || event.ctrlKey || event.metaKey || event.shiftKey || link.target) { return; }
    var dirty = rows().filter(function (row) { return row.dataset.dirty; });
    if (!dirty.length && !saving.length) { return; }
    event.preventDefault();
    dirty.forEach(save);
    settle().then(function () { window.location.href = link.href; });
  }

  document.addEventListener("DOMContentLoaded", function () {
    form = document.querySelector("form.entry-grid");
    if (!form) { return; }
    form.classList.add("js-on");
    live = document.getElementById("grid-live");
    form.addEventListener("input", function (event) { var row = rowOf(event.target); if (row) { markChanged(row); } });
    form.addEventListener("change", function (event) { var row = rowOf(event.target); if (row) { markChanged(row); } });
    form.addEventListener("focusout", function (event) {
      var row = rowOf(event.target);
      if (row && row.dataset.dirty && !(event.relatedTarget && row.contains(event.relatedTarget))) { save(row); }
    });
    form.addEventListener("keydown", onKey);
    form.addEventListener("paste", onPaste);
    form.addEventListener("submit", saveAll);
    document.addEventListener("click", leave);
    var summary = document.getElementById("error-summary");
    if (summary) { summary.focus(); }
  });

  // Back to this page from the browser's cache: read the saved values again.
  window.addEventListener("pageshow", function (event) { if (event.persisted) { window.location.reload(); } });
})();
