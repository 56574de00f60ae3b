// statusdiff report: filter the summary table by verdict and by text. The page reads fully without it.
(function () {
  "use strict";
  var form = document.getElementById("filter");
  var list = document.getElementById("pairs");
  if (!form || !list) { return; }
  var query = document.getElementById("filter-q");
  var state = document.getElementById("filter-state");
  var count = document.getElementById("filter-count");
  var lang = document.documentElement.lang || undefined;
  // The count's plural form by the CLDR rule of the page's language (French: 0 and 1 singular).
  var plural = window.Intl && Intl.PluralRules ? new Intl.PluralRules(lang) : null;
  // The summary is cut into blocks (one table each): a block with no row left is hidden whole.
  var blocks = Array.prototype.slice.call(list.querySelectorAll(".chunk"));
  var rows = [];
  var blockOf = [];
  blocks.forEach(function (block, b) {
    var found = block.querySelectorAll("tbody tr");
    for (var r = 0; r < found.length; r++) { rows.push(found[r]); blockOf.push(b); }
  });
  var texts = null;
  var timer = 0;

  function say(shown) {
    var form_ = plural && plural.select(shown) === "one" ? "one" : "other";
    var phrase = form.getAttribute("data-shown-" + form_) || "";
    count.textContent = phrase
      .replace("{shown}", shown.toLocaleString(lang))
      .replace("{total}", rows.length.toLocaleString(lang));
  }

  function apply() {
    if (texts === null) {
      texts = rows.map(function (row) { return row.textContent.toLowerCase(); });
    }
    var words = query.value.toLowerCase().split(/\s+/).filter(Boolean);
    var wanted = state.value;
    var shown = 0;
    var alive = blocks.map(function () { return false; });
    for (var i = 0; i < rows.length; i++) {
      var keep = !wanted || rows[i].className === wanted;
      for (var w = 0; keep && w < words.length; w++) {
        keep = texts[i].indexOf(words[w]) !== -1;
      }
      if (rows[i].hidden === keep) { rows[i].hidden = !keep; }
      if (keep) { shown++; alive[blockOf[i]] = true; }
    }
    blocks.forEach(function (block, b) {
      if (block.hidden === alive[b]) { block.hidden = !alive[b]; }
    });
    say(shown);
  }

  form.addEventListener("submit", function (event) { event.preventDefault(); });
  query.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(apply, rows.length > 5000 ? 150 : 40);
  });
  state.addEventListener("change", apply);
  form.hidden = false;
  say(rows.length);
})();
// Copy buttons and the collapsible audit block: both need scripts, so both appear only with them.
(function () {
  "use strict";
  var root = document.documentElement;
  root.className += " js";
  // A label copies exactly: its glyphs for invisible characters are generated content, so the
  // label's own text (textContent) is the label, character for character.
  function copyText(text, done) {
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(text).then(done, function () { fallback(text, done); });
    } else {
      fallback(text, done);
    }
  }
  function fallback(text, done) {
    var area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.className = "offscreen";
    document.body.appendChild(area);
    area.select();
    try { if (document.execCommand("copy")) { done(); } } catch (e) { /* nothing copied */ }
    document.body.removeChild(area);
  }
  document.addEventListener("click", function (event) {
    var button = event.target;
    if (!button || !button.classList || !button.classList.contains("copy")) { return; }
    var label = button.previousElementSibling;
    if (!label) { return; }
    copyText(label.textContent, function () {
      button.classList.add("done");
      setTimeout(function () { button.classList.remove("done"); }, 1500);
    });
  });
  // "How this report was made" is collapsed on screen; print always shows it (print CSS).
  var toggle = document.getElementById("audit-toggle");
  var body = document.getElementById("audit-body");
  if (toggle && body) {
    var set = function (open) {
      body.classList.toggle("closed", !open);
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
      toggle.textContent = toggle.getAttribute(open ? "data-hide" : "data-show");
    };
    set(false);
    toggle.addEventListener("click", function () { set(body.classList.contains("closed")); });
  }
})();
