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
