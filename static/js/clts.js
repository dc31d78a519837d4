// What every page of the portal needs from script, in place of Bootstrap's 80 KB bundle (of which the portal used
// the menu's collapse and one dropdown). Pages work without it: the menu then stays closed on a phone only.
// - [data-bs-toggle="collapse"] opens and closes its target (the menu on a phone);
// - [data-bs-toggle="dropdown"] opens the menu beside it; a click elsewhere or Escape closes it;
// - a table that scrolls inside its own box (.table-responsive, sideways or down) can be scrolled from the keyboard
//   and is named;
// - a part of a page that htmx refreshes keeps what the reader chose in it (the block of a district, the earlier
//   record that is this child) when the refreshed part still offers it: on a slow link the answer to a request sent
//   before the choice can arrive after it, and must not silently undo it.
(function () {
  "use strict";

  function target(toggle) {
    var selector = toggle.getAttribute("data-bs-target") || toggle.getAttribute("href");
    return selector && selector.charAt(0) === "#" ? document.querySelector(selector) : null;
  }

  function setOpen(toggle, menu, open) {
    menu.classList.toggle("show", open);
    toggle.setAttribute("aria-expanded", open ? "true" : "false");
  }

  function closeDropdowns(except) {
    document.querySelectorAll('[data-bs-toggle="dropdown"][aria-expanded="true"]').forEach(function (toggle) {
      if (toggle !== except) setOpen(toggle, toggle.nextElementSibling, false);
    });
  }

  document.addEventListener("click", function (event) {
    var toggle = event.target.closest("[data-bs-toggle]");
    if (toggle && toggle.getAttribute("data-bs-toggle") === "collapse") {
      var panel = target(toggle);
      if (panel) setOpen(toggle, panel, !panel.classList.contains("show"));
      return;
    }
    if (toggle && toggle.getAttribute("data-bs-toggle") === "dropdown") {
      var menu = toggle.nextElementSibling;
      event.preventDefault();
      closeDropdowns(toggle);
      menu.setAttribute("data-bs-popper", "static");
      setOpen(toggle, menu, !menu.classList.contains("show"));
      return;
    }
    if (!event.target.closest(".dropdown-menu")) closeDropdowns(null);
  });

  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    var open = document.querySelector('[data-bs-toggle="dropdown"][aria-expanded="true"]');
    if (open) {
      closeDropdowns(null);
      open.focus();
    }
  });

  function nameScrollers() {
    document.querySelectorAll(".table-responsive").forEach(function (box) {
      var scrolls = box.scrollWidth > box.clientWidth || box.scrollHeight > box.clientHeight;
      if (!scrolls || box.hasAttribute("tabindex")) return;
      var table = box.querySelector("table");
      var caption = table && (table.querySelector("caption") || table.getAttribute("aria-label"));
      var heading = box.previousElementSibling;
      var name = caption ? (caption.textContent || caption) : heading && /^H[1-6]$/.test(heading.tagName) ? heading.textContent : "";
      box.setAttribute("tabindex", "0");
      box.setAttribute("role", "region");
      box.setAttribute("aria-label", (name || document.title).trim());
    });
  }

  function choices(box) {
    var chosen = [];
    var fields = box.matches("select, input") ? [box] : box.querySelectorAll("select, input[type=radio], input[type=checkbox]");
    fields.forEach(function (field) {
      if (field.tagName === "SELECT" && field.value) chosen.push({ name: field.name, value: field.value, select: true });
      else if (field.checked) chosen.push({ name: field.name, value: field.value });
    });
    return chosen;
  }

  document.addEventListener("htmx:beforeSwap", function (event) {
    event.detail.target.cltsChosen = choices(event.detail.target);
  });

  document.addEventListener("htmx:afterSwap", function (event) {
    var box = event.detail.target;
    (box.cltsChosen || []).forEach(function (choice) {
      var fields = box.matches("select") ? [box] : box.querySelectorAll("select, input[type=radio], input[type=checkbox]");
      fields.forEach(function (field) {
        if (field.name !== choice.name) return;
        if (choice.select && field.tagName === "SELECT") {
          if ([].some.call(field.options, function (option) { return option.value === choice.value; })) field.value = choice.value;
        } else if (!choice.select && field.value === choice.value) {
          field.checked = true;
        }
      });
    });
    box.cltsChosen = null;
  });

  function ready() {
    // Again once the fonts are in and on a turned phone: a table may only then outgrow its box.
    nameScrollers();
    window.addEventListener("load", nameScrollers);
    window.addEventListener("resize", nameScrollers);
    if (document.fonts) document.fonts.ready.then(nameScrollers);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", ready);
  else ready();
})();
