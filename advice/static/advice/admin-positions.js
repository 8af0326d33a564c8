// A section or item added with "Add another" goes after the last one: its position is one
// more than the highest in its list (each added row counts up from the one before). Without
// JavaScript the position stays empty and the server puts the row last (advice/positions.py).
(function () {
  "use strict";
  document.addEventListener("formset:added", function (event) {
    var row = event.target;
    var field = row.querySelector('input[name$="-position"]');
    var group = row.closest(".inline-group");
    if (!field || !group || field.value) {
      return;
    }
    var highest = 0;
    group.querySelectorAll('input[name$="-position"]').forEach(function (input) {
      var value = parseInt(input.value, 10);
      if (input !== field && input.name.indexOf("__prefix__") === -1 && value > highest) {
        highest = value;
      }
    });
    field.value = highest + 1;
  });
})();
