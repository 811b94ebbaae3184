/*
 * Asking how far something on its way has got, again and again, for a page that updates itself
 * in place (static/js/report-progress.js: one report; static/js/round-pdf-progress.js: the plan
 * PDFs of a planning round).
 *
 * pollProgress(url, interval, check, show) asks `url` for JSON every `interval` ms and gives
 * each answer to show(answer), which returns true to be asked again. When asking fails (signed
 * out, the site restarting, the network gone) the page's "Check progress" link (`check`,
 * hidden while asking works) is offered, and it asks less and less often, up to once a minute.
 */
(function () {
  "use strict";

  window.pollProgress = function (url, interval, check, show) {
    var failures = 0;

    function answered(answer) {
      failures = 0;
      check.hidden = true;
      if (show(answer)) {
        window.setTimeout(ask, interval);
      }
    }

    function failed() {
      failures += 1;
      check.hidden = false;
      window.setTimeout(ask, Math.min(interval * Math.pow(2, failures), 60000));
    }

    function ask() {
      fetch(url, { credentials: "same-origin", cache: "no-store", headers: { Accept: "application/json" } })
        .then(function (response) {
          if (!response.ok) {
            throw new Error(response.status);
          }
          return response.json();
        })
        .then(answered, failed);
    }

    check.hidden = true;
    window.setTimeout(ask, interval);
  };
})();
