// A prepared export's page (templates/indicators/export_detail.html): asks the export's state
// every few seconds and updates the progress, the message and the download link. Without this
// script the page's « Refresh » link does the same.
(function () {
  "use strict";
  const box = document.getElementById("export-progress");
  if (!box) return;
  const url = box.dataset.statusUrl;
  const every = (parseInt(box.dataset.pollSeconds, 10) || 2) * 1000;
  const bar = document.getElementById("export-bar");
  const rows = document.getElementById("export-rows");
  const message = document.getElementById("export-message");
  const refresh = document.getElementById("export-refresh");
  const download = document.getElementById("export-download");

  function show(state) {
    bar.value = state.percent;
    bar.textContent = state.percent + " %";
    rows.textContent = state.progress;
    message.textContent = state.message;
    message.classList.remove("alert-info", "alert-success", "alert-danger");
    if (state.status === "failed") message.classList.add("alert-danger");
    else if (state.status === "ready") message.classList.add("alert-success");
    else message.classList.add("alert-info");
    if (state.finished && refresh) refresh.classList.add("d-none");
    if (state.download_url && download) {
      download.href = state.download_url;
      download.classList.remove("d-none");
    }
  }

  function poll() {
    fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) throw new Error(response.status);
        return response.json();
      })
      .then(function (state) {
        show(state);
        if (!state.finished) window.setTimeout(poll, every);
      })
      .catch(function () {
        window.setTimeout(poll, every * 3);
      });
  }
  window.setTimeout(poll, every);
})();
