// "Chọn tất cả": a checkbox with data-select-all="NAME" checks or clears every checkbox name="NAME" of its
// form, and shows checked / indeterminate as the boxes are ticked one by one. No inline script (CSP).
(function () {
  function boxes(master) {
    var form = master.form || document;
    return Array.prototype.slice.call(
      form.querySelectorAll('input[type="checkbox"][name="' + master.dataset.selectAll + '"]')
    );
  }
  function sync(master) {
    var all = boxes(master);
    var ticked = all.filter(function (b) { return b.checked; }).length;
    master.checked = all.length > 0 && ticked === all.length;
    master.indeterminate = ticked > 0 && ticked < all.length;
  }
  document.addEventListener("change", function (event) {
    var target = event.target;
    if (target.matches && target.matches("input[data-select-all]")) {
      boxes(target).forEach(function (b) { b.checked = target.checked; });
      return;
    }
    if (target.name && target.type === "checkbox") {
      document.querySelectorAll('input[data-select-all="' + target.name + '"]').forEach(sync);
    }
  });
  document.querySelectorAll("input[data-select-all]").forEach(sync);
})();
