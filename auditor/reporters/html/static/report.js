/* auditor HTML report: filters, the finding popover, sortable tables and long-cell toggles.
 * No framework and no data of its own: everything is read from the page, and text is only ever
 * written with textContent, so nothing from the tables can become markup or script.
 * Without this script the page stays complete: every finding is listed under its project's table. */
(function () {
  "use strict";

  var doc = document;
  doc.documentElement.classList.remove("no-js");
  doc.documentElement.classList.add("js");

  var pop = doc.getElementById("pop");
  var anchor = null;
  var refocusing = false;

  function each(selector, action, root) {
    Array.prototype.forEach.call((root || doc).querySelectorAll(selector), action);
  }

  function ids(element) {
    return (element.getAttribute("data-f") || "").split(" ").filter(Boolean);
  }

  function childText(element, selector) {
    var child = element.querySelector(selector);
    return child ? child.textContent : "";
  }

  function line(className, text) {
    var paragraph = doc.createElement("p");
    paragraph.className = className;
    paragraph.textContent = text;
    return paragraph;
  }

  /* ---- filters ---- */

  function checkedValues(form, name) {
    var values = {};
    each("input[name='" + name + "']", function (input) {
      if (input.checked) {
        values[input.value] = true;
      }
    }, form);
    return values;
  }

  function applyFilters() {
    var form = doc.getElementById("filters");
    if (!form) {
      return;
    }
    var families = checkedValues(form, "fam");
    var severities = checkedValues(form, "sev");
    var rule = form.elements.rule ? form.elements.rule.value : "";
    var accepted = form.elements.accepted ? form.elements.accepted.checked : true;
    var visible = {};
    var shown = 0;
    var total = 0;
    each("li.finding", function (item) {
      var on = Boolean(families[item.getAttribute("data-fam")]) && Boolean(severities[item.getAttribute("data-sev")]) &&
        (!rule || item.getAttribute("data-code") === rule) && (accepted || !item.classList.contains("accepted"));
      item.classList.toggle("off", !on);
      total += 1;
      if (on) {
        visible[item.id] = true;
        shown += 1;
      }
    });
    each("[data-f]", function (element) {
      var on = ids(element).some(function (id) { return visible[id]; });
      element.classList.toggle("off", !on);
    });
    var counter = doc.getElementById("shown");
    if (counter) {
      counter.textContent = shown === total ? "显示全部 " + total + " 个问题" : "显示 " + shown + " / " + total + " 个问题";
    }
    if (anchor && anchor.classList.contains("off")) {
      hide();
    }
  }

  /* ---- popover ---- */

  function hide() {
    if (pop) {
      pop.hidden = true;
      pop.replaceChildren();
    }
    anchor = null;
  }

  function show(element) {
    if (!pop || element.classList.contains("off")) {
      return;
    }
    var items = ids(element).map(function (id) { return doc.getElementById(id); }).filter(function (item) {
      return item && !item.classList.contains("off");
    });
    if (!items.length) {
      return;
    }
    pop.replaceChildren();
    items.forEach(function (item) {
      var box = doc.createElement("div");
      box.className = "pop-item sev-" + item.getAttribute("data-sev");
      box.appendChild(line("pop-head", childText(item, ".code") + " " + childText(item, ".sev") + " · " +
        childText(item, ".rname")));
      box.appendChild(line("pop-msg", childText(item, ".msg")));
      var suggestion = childText(item, ".sugtext");
      if (suggestion) {
        box.appendChild(line("pop-sug", "建议：" + suggestion));
      }
      pop.appendChild(box);
    });
    var close = doc.createElement("button");
    close.type = "button";
    close.className = "pop-close";
    close.textContent = "关闭";
    close.addEventListener("click", function () {
      var back = anchor;
      hide();
      restore(back);
    });
    pop.appendChild(close);
    pop.hidden = false;
    anchor = element;
    place(element);
  }

  function restore(element) {
    if (element) {
      refocusing = true;
      element.focus();
      refocusing = false;
    }
  }

  function place(element) {
    var box = element.getBoundingClientRect();
    var width = Math.min(420, doc.documentElement.clientWidth - 16);
    var left = Math.max(8, Math.min(box.left + window.scrollX, window.scrollX + doc.documentElement.clientWidth - width - 8));
    pop.style.width = width + "px";
    pop.style.left = left + "px";
    pop.style.top = (box.bottom + window.scrollY + 6) + "px";
  }

  function target(event) {
    var element = event.target instanceof Element ? event.target.closest("[data-f]") : null;
    return element && !element.classList.contains("off") ? element : null;
  }

  doc.addEventListener("click", function (event) {
    var element = target(event);
    if (element) {
      show(element);
    } else if (pop && !pop.contains(event.target)) {
      hide();
    }
  });

  doc.addEventListener("focusin", function (event) {
    var element = refocusing ? null : target(event);
    if (element && element !== anchor) {
      show(element);
    }
  });

  doc.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && anchor) {
      var back = anchor;
      hide();
      restore(back);
      return;
    }
    var element = (event.key === "Enter" || event.key === " ") ? target(event) : null;
    if (element) {
      event.preventDefault();
      show(element);
    }
  });

  /* ---- sortable tables ---- */

  function sortValue(row, column, numeric) {
    var text = row.cells[column] ? row.cells[column].textContent.trim() : "";
    if (!numeric) {
      return text;
    }
    var value = parseFloat(text.replace(/[^0-9.\-]/g, ""));
    return isNaN(value) ? -Infinity : value;
  }

  function sortBy(table, header) {
    var column = header.cellIndex;
    var numeric = header.getAttribute("data-type") === "num";
    var ascending = header.getAttribute("aria-sort") !== "ascending";
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (a, b) {
      var x = sortValue(a, column, numeric);
      var y = sortValue(b, column, numeric);
      var order = numeric ? x - y : String(x).localeCompare(String(y), "zh-CN");
      return ascending ? order : -order;
    });
    rows.forEach(function (row) { body.appendChild(row); });
    each("th[aria-sort]", function (other) { other.removeAttribute("aria-sort"); }, table);
    header.setAttribute("aria-sort", ascending ? "ascending" : "descending");
  }

  each("table.sortable", function (table) {
    each("thead th button", function (button) {
      button.addEventListener("click", function () { sortBy(table, button.parentElement); });
    }, table);
  });

  /* ---- long cells ---- */

  each(".long", function (box) {
    var toggle = doc.createElement("button");
    toggle.type = "button";
    toggle.className = "toggle";
    toggle.textContent = "展开全文";
    toggle.setAttribute("aria-expanded", "false");
    toggle.addEventListener("click", function () {
      var open = box.classList.toggle("open");
      toggle.textContent = open ? "收起" : "展开全文";
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
    });
    box.insertAdjacentElement("afterend", toggle);
  });

  var form = doc.getElementById("filters");
  if (form) {
    form.addEventListener("change", applyFilters);
    form.addEventListener("submit", function (event) { event.preventDefault(); });
    applyFilters();
  }
}());
