// Progressive enhancement only: every page works without this file.
// When a form comes back with problems, move focus to the error summary (the NHS pattern), so
// keyboard and screen reader users hear what to fix first.
document.addEventListener("DOMContentLoaded", function () {
  var summary = document.querySelector(".nhsuk-error-summary");
  if (summary) {
    summary.focus();
  }
});
