// thidua — the searchable picker (members/widgets.py): htmx fills the results, a click picks one.
(function () {
  if (window.thiduaPicker) { return; }
  window.thiduaPicker = true;
  function parts(el) {
    var box = el.closest("[data-picker]");
    if (!box) { return null; }
    return {
      box: box,
      value: box.querySelector("[data-picker-value]"),
      input: box.querySelector("input[type=search]"),
      results: box.querySelector("[data-picker-results]")
    };
  }
  document.addEventListener("click", function (event) {
    var item = event.target.closest("[data-pick]");
    if (!item) { return; }
    var p = parts(item);
    if (!p) { return; }
    p.value.value = item.dataset.pick;
    p.input.value = item.dataset.pickLabel;
    p.input.setAttribute("aria-expanded", "false");
    p.results.innerHTML = "";
    p.input.focus();
  });
  document.addEventListener("input", function (event) {
    var p = event.target.matches && event.target.matches("[data-picker] input[type=search]") ? parts(event.target) : null;
    if (p) { p.value.value = ""; }  // typing again drops the previous choice
  });
  document.addEventListener("htmx:afterSwap", function (event) {
    var el = event.detail.target;
    if (el && el.hasAttribute("data-picker-results")) {
      var p = parts(el);
      if (p) { p.input.setAttribute("aria-expanded", el.children.length ? "true" : "false"); }
    }
  });
  // a name typed before the page's scripts ran (a slow phone, a quick hand) would never be searched:
  // once htmx has taken over the page, search what already stands in a box that has no choice yet
  document.addEventListener("DOMContentLoaded", function () {
    if (!window.htmx) { return; }
    document.querySelectorAll("[data-picker] input[type=search]").forEach(function (input) {
      var p = parts(input);
      if (p && !p.value.value && input.value !== input.defaultValue && input.value.trim().length >= 2) {
        window.htmx.trigger(input, "search");
      }
    });
  });
  document.addEventListener("keydown", function (event) {
    // Enter in the search box picks the only result instead of submitting the form half-filled
    if (event.key !== "Enter" || !event.target.matches("[data-picker] input[type=search]")) { return; }
    var p = parts(event.target);
    var items = p ? p.results.querySelectorAll("[data-pick]") : [];
    if (items.length === 1) { event.preventDefault(); items[0].click(); }
  });
})();
