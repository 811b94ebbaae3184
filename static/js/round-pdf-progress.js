/*
 * The planning round page's plan PDFs (templates/reports/links/round_plan_pdfs.html), while
 * some are on their way: asks for the counts (reports:round-plan-pdfs, JSON) and updates them
 * in place (static/js/progress-poll.js asks), as static/js/report-progress.js does for one
 * report. The page never reloads itself, which would throw keyboard focus back to the top
 * (WCAG 2.2.1, F41).
 *
 * The live region (role=status) is told of what matters, not of every PDF made: a failure, all
 * of them ready, and otherwise the counts at most every 30 seconds. The progress bar follows
 * silently. Without JavaScript, or when asking fails, the "Check progress" link reloads the
 * page when the reader chooses.
 */
(function () {
  "use strict";

  var SAY_EVERY_SECONDS = 30;
  var root = document.getElementById("plan-pdfs-progress");
  var region = document.getElementById("plan-pdfs-status");
  if (!root || !region || !window.fetch || !window.pollProgress) {
    return;
  }
  var url = root.getAttribute("data-progress-url");
  var interval = Number(root.getAttribute("data-interval")) || 3000;
  var bar = document.getElementById("plan-pdfs-bar");
  var check = document.getElementById("plan-pdfs-check");
  var said = {
    text: root.getAttribute("data-text"),
    failed: Number(root.getAttribute("data-failed")),
    at: Date.now()
  };

  function say(answer) {
    var paragraph = document.createElement("p");
    paragraph.textContent = answer.text;
    region.replaceChildren(paragraph);
    said = { text: answer.text, failed: answer.failed, at: Date.now() };
  }

  function show(answer) {
    if (bar) {
      bar.max = answer.published;
      bar.value = answer.done;
      bar.textContent = answer.done + " of " + answer.published;
    }
    if (!answer.pending) {
      say(answer);
      root.remove();
      return false;
    }
    if (
      answer.text !== said.text &&
      (answer.failed !== said.failed ||
        Date.now() - said.at >= SAY_EVERY_SECONDS * 1000)
    ) {
      say(answer);
    }
    return true;
  }

  window.pollProgress(url, interval, check, show);
})();
