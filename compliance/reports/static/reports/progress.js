// Polls a report's status while it is being built, then reloads to show the download link.
(function () {
  "use strict";
  var box = document.getElementById("report-progress");
  if (!box || box.dataset.finished === "true") {
    return;
  }
  var bar = box.querySelector("[data-role=bar]");
  var percent = box.querySelector("[data-role=percent]");
  var status = box.querySelector("[data-role=status]");
  var delay = 1000;

  function show(data) {
    if (bar) { bar.value = data.progress; }
    if (percent) { percent.textContent = data.progress + "%"; }
    if (status) { status.textContent = data.status_label; }
  }

  function poll() {
    fetch(box.dataset.statusUrl, {headers: {"Accept": "application/json"}, credentials: "same-origin"})
      .then(function (response) {
        if (!response.ok) { throw new Error(response.status); }
        return response.json();
      })
      .then(function (data) {
        show(data);
        if (data.finished) {
          window.location.reload();
          return;
        }
        window.setTimeout(poll, delay);
      })
      .catch(function () {
        // A lost connection: try again, more slowly.
        delay = Math.min(delay * 2, 15000);
        window.setTimeout(poll, delay);
      });
  }

  window.setTimeout(poll, delay);
})();
