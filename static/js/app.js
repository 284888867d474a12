// thidua — progressive enhancements (no inline scripts: the CSP forbids them).
document.addEventListener("change", function (event) {
  var form = event.target.closest("form[data-autosubmit]");
  if (form) { form.requestSubmit ? form.requestSubmit() : form.submit(); }
});
// Tree toggles: flip aria-expanded; htmx loads the children once, later clicks just show/hide.
document.addEventListener("click", function (event) {
  var button = event.target.closest(".tree .toggle");
  if (!button) { return; }
  var target = document.getElementById(button.getAttribute("aria-controls"));
  var expanded = button.getAttribute("aria-expanded") === "true";
  button.setAttribute("aria-expanded", expanded ? "false" : "true");
  if (target && target.dataset.loaded === "1") {
    target.hidden = expanded;
    event.preventDefault();
    event.stopImmediatePropagation();
  }
}, true);
document.addEventListener("htmx:afterSwap", function (event) {
  var el = event.detail.target;
  if (el && el.classList.contains("children")) { el.dataset.loaded = "1"; el.hidden = false; }
});
// A table wider than the screen scrolls in its .table-responsive box: make the box reachable with the
// keyboard (Tab, then the arrow keys) — only while it does scroll, so no empty tab stop is added.
function focusableScrollers() {
  document.querySelectorAll(".table-responsive").forEach(function (box) {
    if (box.scrollWidth > box.clientWidth + 1) { box.setAttribute("tabindex", "0"); }
    else if (box.getAttribute("tabindex") === "0") { box.removeAttribute("tabindex"); }
  });
}
document.addEventListener("DOMContentLoaded", focusableScrollers);
document.addEventListener("htmx:afterSettle", focusableScrollers);
window.addEventListener("resize", function () {
  clearTimeout(focusableScrollers.timer);
  focusableScrollers.timer = setTimeout(focusableScrollers, 150);
});
