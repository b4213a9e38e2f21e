/*
 * Phasebook: tables you can read on a phone and work with on a findings page. Offline, no
 * dependencies but tablesort (npm, vendored and published with the site when present).
 *
 * - Every cell of a Phasebook table (`.pb-table`) gets its column's header as `data-label`:
 *   on a narrow screen phasebook.css shows each row as a card, each value under its label.
 * - Findings tables (`.pb-findings`) sort by a click on a column header (tablesort; numeric
 *   columns, `th.pb-num`, by number; a severity cell sorts by its `data-sort` rank), and get a
 *   filter box above them: rows whose text holds what is typed, of the chosen severity.
 * - A table still too wide for its column scrolls inside its box: the box becomes a named,
 *   focusable region, so it can be scrolled from the keyboard too (WCAG 2.1.1).
 *
 * Runs on every page Material shows: on `document$` when the theme has it (instant
 * navigation swaps pages without loading scripts again), else once the page has loaded.
 * Only text is read and written (textContent, attributes): nothing from a page becomes markup.
 */
(function () {
  "use strict";

  var numberSortAdded = false;
  var DATE = /^\s*\d{4}-\d{2}-\d{2}\s*$/;

  function addNumberSort() {
    if (numberSortAdded || typeof window.Tablesort !== "function") return;
    numberSortAdded = true;
    var value = function (text) {
      var number = parseFloat(String(text).replace(/[^0-9.\-]/g, ""));
      return isNaN(number) ? -Infinity : number;
    };
    // tablesort's sort functions compare b with a (it reverses the result for ascending).
    window.Tablesort.extend("number", function () { return false; }, function (a, b) {
      return value(b) - value(a);
    });
  }

  function headers(table) {
    var row = table.tHead && table.tHead.rows[table.tHead.rows.length - 1];
    return row ? Array.prototype.slice.call(row.cells) : [];
  }

  function label(table) {
    if (table.hasAttribute("data-pb-labelled")) return;
    table.setAttribute("data-pb-labelled", "");
    var names = headers(table).map(function (th) { return th.textContent.trim(); });
    Array.prototype.forEach.call(table.tBodies, function (body) {
      Array.prototype.forEach.call(body.rows, function (row) {
        var column = 0;
        Array.prototype.forEach.call(row.cells, function (cell) {
          var span = cell.colSpan || 1;
          if (span === 1 && names[column] && !cell.hasAttribute("data-label")) {
            cell.setAttribute("data-label", names[column]);
          }
          // A date never breaks at its hyphens: the column grows by a few characters instead.
          if (DATE.test(cell.textContent)) cell.classList.add("pb-date");
          column += span;
        });
      });
    });
  }

  function sortable(table) {
    if (typeof window.Tablesort !== "function" || table.hasAttribute("data-pb-sortable")) return;
    table.setAttribute("data-pb-sortable", "");
    addNumberSort();
    headers(table).forEach(function (th) {
      if (th.classList.contains("pb-num") && !th.hasAttribute("data-sort-method")) {
        th.setAttribute("data-sort-method", "number");
      }
    });
    new window.Tablesort(table);
  }

  function filterable(wrapper, table) {
    if (wrapper.previousElementSibling
        && wrapper.previousElementSibling.classList.contains("pb-filter")) return;
    var rows = Array.prototype.slice.call(table.tBodies[0] ? table.tBodies[0].rows : []);
    if (rows.length < 2) return;
    var texts = rows.map(function (row) { return row.textContent.toLowerCase(); });
    var severities = rows.map(function (row) {
      var mark = row.querySelector(".pb-severity");
      return mark ? mark.textContent.trim().toLowerCase() : "";
    });

    var box = document.createElement("div");
    box.className = "pb-filter";
    var input = document.createElement("input");
    input.type = "search";
    input.className = "pb-filter__text";
    input.placeholder = "Filter rows";
    input.setAttribute("aria-label", "Filter the rows of the table below by their text");
    box.appendChild(input);

    var select = null;
    var present = [];
    severities.forEach(function (sev) {
      if (sev && present.indexOf(sev) < 0) present.push(sev);
    });
    if (present.length > 1) {
      select = document.createElement("select");
      select.className = "pb-filter__severity";
      select.setAttribute("aria-label", "Show only rows of this severity");
      [""].concat(present).forEach(function (sev) {
        var option = document.createElement("option");
        option.value = sev;
        option.textContent = sev ? sev : "every severity";
        select.appendChild(option);
      });
      box.appendChild(select);
    }
    var count = document.createElement("span");
    count.className = "pb-filter__count";
    count.setAttribute("aria-live", "polite");
    box.appendChild(count);

    function apply() {
      var words = input.value.toLowerCase().split(/\s+/).filter(Boolean);
      var sev = select ? select.value : "";
      var shown = 0;
      rows.forEach(function (row, index) {
        var keep = (!sev || severities[index] === sev) && words.every(function (word) {
          return texts[index].indexOf(word) >= 0;
        });
        row.hidden = !keep;
        if (keep) shown += 1;
      });
      count.textContent = shown === rows.length
        ? rows.length + " rows" : shown + " of " + rows.length + " rows";
    }
    input.addEventListener("input", apply);
    if (select) select.addEventListener("change", apply);
    wrapper.parentNode.insertBefore(box, wrapper);
    apply();
  }

  // The boxes that scroll a table sideways: Phasebook's wrapper and Material's inside it.
  function scrollable(wrapper) {
    var boxes = [wrapper].concat(
      Array.prototype.slice.call(wrapper.querySelectorAll(".md-typeset__scrollwrap")));
    boxes.forEach(function (box) {
      if (box.scrollWidth > box.clientWidth + 1 && !box.hasAttribute("tabindex")) {
        box.setAttribute("tabindex", "0");
        box.setAttribute("role", "region");
        box.setAttribute("aria-label", "Table (scrolls sideways)");
      }
    });
  }

  function checkScrolling() {
    var wrappers = document.querySelectorAll(".md-content .pb-table");
    Array.prototype.forEach.call(wrappers, scrollable);
  }

  function setUp() {
    var wrappers = document.querySelectorAll(".md-content .pb-table");
    Array.prototype.forEach.call(wrappers, function (wrapper) {
      var table = wrapper.querySelector("table");
      if (!table) return;
      label(table);
      if (wrapper.classList.contains("pb-findings")) {
        sortable(table);
        filterable(wrapper, table);
      }
    });
    // After the theme has wrapped the tables and the page is laid out.
    window.requestAnimationFrame(checkScrolling);
  }

  if (typeof window.document$ !== "undefined" && window.document$
      && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(setUp);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUp);
  } else {
    setUp();
  }
  var resized = null;
  window.addEventListener("resize", function () {
    window.clearTimeout(resized);
    resized = window.setTimeout(checkScrolling, 200);
  });
})();
