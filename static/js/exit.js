// "Exit this page": leave at once for a neutral site, and keep this page out of the
// browser's back history. The button is a plain link, so it works without this script;
// the script adds the keyboard shortcut (Shift three times within a second) and uses
// location.replace so Back does not return here.
(function () {
  "use strict";
  var link = document.querySelector("[data-exit-page]");
  if (!link) return;
  document.documentElement.classList.add("has-exit-shortcut");

  function leave(event) {
    if (event) event.preventDefault();
    document.body.style.visibility = "hidden";
    document.title = "Loading…";
    window.location.replace(link.href);
  }

  link.addEventListener("click", leave);

  var presses = [];
  document.addEventListener("keyup", function (event) {
    if (event.key !== "Shift") {
      presses = [];
      return;
    }
    var now = Date.now();
    presses = presses.filter(function (time) { return now - time < 1000; });
    presses.push(now);
    if (presses.length >= 3) leave();
  });
})();
