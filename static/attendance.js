// The attendance sheet, faster with the keyboard: P, L, E or A marks the focused row
// and moves to the next one; "Mark everyone present" fills unmarked rows without
// saving, so the trainer can still change a few before saving. Without this script
// the same button saves with every unmarked row present.
(function () {
  "use strict";
  var form = document.querySelector("form.attendance-sheet");
  if (!form) return;
  var rows = Array.prototype.slice.call(form.querySelectorAll("tr.attendance-row"))
    .filter(function (r) { return r.querySelector("input[type=radio]"); });

  function focusRow(row) {
    var target = row.querySelector("input[type=radio]:checked") || row.querySelector("input[type=radio]");
    if (target) target.focus();
  }

  form.addEventListener("keydown", function (ev) {
    if (ev.ctrlKey || ev.metaKey || ev.altKey) return;
    var el = ev.target;
    if (!el || el.type !== "radio") return;
    var key = (ev.key || "").toUpperCase();
    var row = el.closest("tr");
    var radio = row && row.querySelector("input[type=radio][data-key='" + key + "']");
    if (!radio) return;
    ev.preventDefault();
    radio.checked = true;
    var next = rows[rows.indexOf(row) + 1];
    if (next) focusRow(next); else radio.focus();
  });

  var markAll = form.querySelector("[data-mark-all]");
  if (markAll) {
    markAll.addEventListener("click", function (ev) {
      ev.preventDefault();
      var value = markAll.getAttribute("data-mark-all");
      rows.forEach(function (row) {
        if (row.querySelector("input[type=radio]:checked")) return;
        var radio = row.querySelector("input[type=radio][value='" + value + "']");
        if (radio) radio.checked = true;
      });
      markAll.textContent = "Everyone unmarked is now present: save to keep it";
    });
  }
})();
