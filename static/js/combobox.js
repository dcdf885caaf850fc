/* City search boxes with suggestions: the ARIA 1.2 combobox pattern over a listbox that htmx
   fills from /cities/suggest/ (debounced by the input's hx-trigger). Arrow keys move through
   the suggestions, Enter opens the highlighted city, Escape closes the list; typing and
   submitting the form work as before, with or without this script. */
(function () {
  "use strict";

  function optionsOf(list) {
    return Array.prototype.slice.call(list.querySelectorAll('[role="option"]'));
  }

  function setUp(input) {
    var list = document.getElementById(input.getAttribute("aria-controls"));
    var status = document.getElementById(input.dataset.comboboxStatus || "");
    if (!list || input._combobox) return;
    input._combobox = true;
    var active = -1;

    function isOpen() { return input.getAttribute("aria-expanded") === "true"; }

    function open(show) {
      input.setAttribute("aria-expanded", show ? "true" : "false");
      list.hidden = !show;
    }

    function highlight(index) {
      var items = optionsOf(list);
      active = index;
      items.forEach(function (item, i) {
        item.setAttribute("aria-selected", i === index ? "true" : "false");
      });
      if (index >= 0 && items[index]) {
        input.setAttribute("aria-activedescendant", items[index].id);
        items[index].scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function choose(item) {
      if (item && item.dataset.href) window.location.assign(item.dataset.href);
    }

    function announce(count) {
      if (!status) return;
      if (!input.value.trim()) status.textContent = "";
      else if (count === 1) status.textContent = status.dataset.labelOne;
      else if (count > 1) status.textContent = status.dataset.labelSome.replace("%(count)s", count);
      else status.textContent = status.dataset.labelNone;
    }

    input.addEventListener("keydown", function (event) {
      var items = optionsOf(list);
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        if (!items.length) return;
        event.preventDefault();
        open(true);
        var step = event.key === "ArrowDown" ? 1 : -1;
        highlight((active + step + items.length + (active < 0 && step < 0 ? 1 : 0)) % items.length);
      } else if (event.key === "Enter") {
        if (isOpen() && active >= 0 && items[active]) {
          event.preventDefault();
          choose(items[active]);
        }
      } else if (event.key === "Escape") {
        if (isOpen()) {
          event.preventDefault();
          open(false);
          highlight(-1);
        }
      }
    });
    // A press on an option must not blur the input first (that would close the list).
    list.addEventListener("mousedown", function (event) { event.preventDefault(); });
    list.addEventListener("click", function (event) {
      choose(event.target.closest('[role="option"]'));
    });
    input.addEventListener("blur", function () { open(false); highlight(-1); });
    input.addEventListener("focus", function () { if (optionsOf(list).length) open(true); });
    document.addEventListener("htmx:afterSwap", function (event) {
      if (event.detail.target !== list) return;
      var count = optionsOf(list).length;
      highlight(-1);
      open(count > 0 && document.activeElement === input);
      announce(count);
    });
  }

  function setUpAll(root) {
    (root || document).querySelectorAll("[data-combobox]").forEach(setUp);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", function () { setUpAll(); });
  else setUpAll();
})();
