/*
 * A report's page while the report is on its way (templates/reports/pages/status.html): asks
 * how far it has got (reports:report-progress, JSON, through static/js/progress-poll.js) and
 * updates the page in place. The page never reloads itself, which would throw keyboard focus
 * back to the top (WCAG 2.2.1, F41).
 *
 * The live region (role=status) is told of what matters, not of every per cent: the job
 * starting, each new stage ("Laying out page 3" and "Laying out page 4" are one stage; a
 * stage's later counts at most every 10 seconds), and the report ready (its links) or failed.
 * The progress bar follows silently. Without JavaScript, or when asking fails, the page's
 * "Check progress" link reloads it when the reader chooses.
 */
(function () {
  "use strict";

  var STAGE_SECONDS = 10;
  var root = document.getElementById("report-progress");
  var region = document.getElementById("report-status");
  if (!root || !region || !window.fetch || !window.pollProgress) {
    return;
  }
  var url = root.getAttribute("data-progress-url");
  var interval = Number(root.getAttribute("data-interval")) || 2000;
  var bar = document.getElementById("report-progress-bar");
  var percent = document.getElementById("report-progress-percent");
  var check = document.getElementById("report-check");
  var details = document.getElementById("report-details");
  var said = { status: root.getAttribute("data-status"), text: region.textContent.trim(), at: Date.now() };

  function stage(text) {
    return text.replace(/\d[\d,.]*/g, "#");
  }

  function say(status, text) {
    var paragraph = document.createElement("p");
    paragraph.textContent = text;
    region.replaceChildren(paragraph);
    said = { status: status, text: text, at: Date.now() };
  }

  function finish(answer) {
    // Focus inside what goes away (the "Start generating" button) moves to the result instead
    // of falling to the top of the page.
    var focusWasInside = root.contains(document.activeElement);
    region.innerHTML = answer.result;
    details.innerHTML = answer.details;
    root.remove();
    if (focusWasInside) {
      region.focus();
    }
  }

  function show(answer) {
    bar.value = answer.progress;
    bar.textContent = answer.progress + "%";
    percent.textContent = answer.progress + "%";
    if (!answer.pending) {
      finish(answer);
      return false;
    }
    if (
      answer.status !== said.status ||
      (answer.text !== said.text &&
        (stage(answer.text) !== stage(said.text) || Date.now() - said.at >= STAGE_SECONDS * 1000))
    ) {
      say(answer.status, answer.text);
    }
    return true;
  }

  window.pollProgress(url, interval, check, show);
})();
