// Registration of a rescue: add and remove child rows without reloading, and show only the place fields
// that apply (home state or another state). Without this script every field shows and one child row is sent.
(function () {
  "use strict";

  function toggleRegion(select, scope, inside, outside) {
    if (!select) return;
    var home = select.getAttribute("data-home-state");
    var isHome = !select.value || select.value === home;
    scope.querySelectorAll(inside).forEach(function (el) { el.hidden = !isHome; });
    if (outside) scope.querySelectorAll(outside).forEach(function (el) { el.hidden = isHome; });
  }

  function refreshRescue(form) {
    toggleRegion(form.querySelector("select[name='rescue-state']"), form, ".in-home-state", ".outside-home-state");
  }

  function refreshRow(row) {
    toggleRegion(row.querySelector("select[name$='-home_state']"), row, ".child-in-home-state", null);
  }

  function renumber(form) {
    var n = 0;
    form.querySelectorAll("#child-rows .child-row").forEach(function (row) {
      if (row.hidden) return;
      n += 1;
      row.querySelector(".child-number").textContent = n;
    });
    form.querySelectorAll("#child-rows .child-row .remove-child").forEach(function (button) {
      button.hidden = n < 2;
    });
  }

  function atLimit(form) {
    var total = parseInt(form.querySelector("input[name='children-TOTAL_FORMS']").value, 10);
    var max = parseInt(form.querySelector("input[name='children-MAX_NUM_FORMS']").value, 10);
    return total >= max;
  }

  function addRow(form) {
    var total = form.querySelector("input[name='children-TOTAL_FORMS']");
    var index = parseInt(total.value, 10);
    if (atLimit(form)) return;
    var html = document.getElementById("child-row-template").innerHTML.replace(/__prefix__/g, String(index));
    var holder = document.createElement("div");
    holder.innerHTML = html.trim();
    var row = holder.firstElementChild;
    document.getElementById("child-rows").appendChild(row);
    total.value = String(index + 1);
    // The server refuses a form with more rows than this; the button says so before the officer types them.
    if (atLimit(form)) {
      document.getElementById("add-child").disabled = true;
      document.getElementById("child-limit").hidden = false;
    }
    if (window.htmx) window.htmx.process(row);
    refreshRow(row);
    renumber(form);
    var name = row.querySelector("input[name$='-name']");
    if (name) name.focus();
  }

  function removeRow(form, row) {
    row.querySelector(".delete-flag").value = "on";
    row.hidden = true;
    renumber(form);
  }

  document.addEventListener("DOMContentLoaded", function () {
    var form = document.getElementById("rescue-form");
    if (!form) return;
    refreshRescue(form);
    form.querySelectorAll(".child-row").forEach(function (row) {
      if (row.querySelector(".delete-flag").value === "on") row.hidden = true;
      refreshRow(row);
    });
    renumber(form);
    document.getElementById("add-child").addEventListener("click", function () { addRow(form); });
    // The header's language buttons switch through the form's own button on this page, so what is typed is kept
    // (the server shows the form again in the other language and registers nothing).
    var headerSwitch = document.getElementById("language-switch");
    var formSwitch = form.querySelector("#form-language button");
    if (headerSwitch && formSwitch) {
      headerSwitch.addEventListener("submit", function (event) {
        if (event.submitter && event.submitter.value === formSwitch.value) {
          event.preventDefault();
          formSwitch.click();
        }
      });
    }
    form.addEventListener("click", function (event) {
      var button = event.target.closest(".remove-child");
      if (button) removeRow(form, button.closest(".child-row"));
    });
    form.addEventListener("change", function (event) {
      if (event.target.name === "rescue-state") refreshRescue(form);
      if (/-home_state$/.test(event.target.name)) refreshRow(event.target.closest(".child-row"));
      // Look for earlier records of this child when one of its fields changes (not when a match is chosen).
      // Done here rather than with an htmx trigger filter, which htmx evaluates as code and CSP forbids.
      var row = event.target.closest(".child-row");
      if (row && !event.target.closest(".matches") && window.htmx) {
        var matches = row.querySelector(".matches");
        if (matches) window.htmx.trigger(matches, "match-check");
      }
    });
  });
})();
