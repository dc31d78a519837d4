// The import's progress bar: polls the job's small JSON endpoint every two seconds while it runs, and reloads the
// page once when the job has finished (so the counts and errors appear). Without JavaScript the page still shows
// where the job stands on each reload.
(function () {
  "use strict";
  var box = document.getElementById("progress-box");
  if (!box || box.classList.contains("d-none")) return;
  var bar = document.getElementById("progress-bar");
  var text = document.getElementById("progress-text");
  var status = document.getElementById("job-status");
  function poll() {
    fetch(box.dataset.url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) { return response.json(); })
      .then(function (job) {
        bar.style.width = job.percent + "%";
        bar.textContent = job.percent + "%";
        document.getElementById("progress").setAttribute("aria-valuenow", job.percent);
        text.firstChild.textContent = job.rows_done + " / " + job.rows_total + " ";
        status.textContent = job.status_label;
        if (job.working) {
          window.setTimeout(poll, 2000);
        } else {
          bar.style.width = "100%";
          bar.textContent = "100%";
          bar.classList.remove("progress-bar-animated");
          window.setTimeout(function () { window.location.assign(job.url); }, 400);
        }
      })
      .catch(function () { window.setTimeout(poll, 5000); });
  }
  window.setTimeout(poll, 1000);
})();
