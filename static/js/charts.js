// thidua — report pages: charts drawn from the JSON data island (no inline scripts: the CSP forbids them),
// and the copy button of the news draft. Every chart is also shown as a table on the page.
(function () {
  "use strict";
  var PALETTE = ["#0d6efd", "#20c997", "#fd7e14", "#6f42c1", "#dc3545", "#198754"];
  var RATING_COLOURS = ["#198754", "#0d6efd", "#ffc107", "#dc3545"];

  function number(value) { return new Intl.NumberFormat("vi-VN").format(value); }

  // "Bằng khen LĐLĐ/CĐ ngành" → ["Bằng khen", "LĐLĐ/CĐ ngành"]: lines of at most `width` characters
  function wrap(label, width) {
    var lines = [], line = "";
    String(label).split(" ").forEach(function (word) {
      if (line && (line + " " + word).length > width) { lines.push(line); line = word; } else { line = line ? line + " " + word : word; }
    });
    if (line) { lines.push(line); }
    return lines;
  }

  function draw() {
    var island = document.getElementById("chart-data");
    if (!island || typeof Chart === "undefined") { return; }
    var data = JSON.parse(island.textContent);
    Chart.defaults.font.family = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif";
    Chart.defaults.animation = false;
    Chart.defaults.maintainAspectRatio = false;
    var tooltip = { callbacks: { label: function (ctx) { var v = ctx.chart.options.indexAxis === "y" ? ctx.parsed.x : ctx.parsed.y; return ctx.dataset.label + ": " + number(v); } } };

    var bar = document.getElementById("chart-children");
    if (bar && data.children) {
      var c = data.children;
      var narrow = window.innerWidth < 576;  // a phone: horizontal bars keep the unit names readable
      if (narrow) { bar.parentNode.style.height = Math.max(320, c.labels.length * 70) + "px"; }
      new Chart(bar, {
        type: "bar",
        data: {
          labels: c.labels,
          datasets: [
            { label: c.series[0], data: c.members, backgroundColor: PALETTE[0] },
            { label: c.series[1], data: c.registered, backgroundColor: PALETTE[1] },
            { label: c.series[2], data: c.initiatives, backgroundColor: PALETTE[2] }
          ]
        },
        options: {
          responsive: true,
          indexAxis: narrow ? "y" : "x",
          plugins: { legend: { position: "bottom" }, tooltip: tooltip },
          scales: narrow
            ? { y: { ticks: { autoSkip: false } }, x: { beginAtZero: true, ticks: { callback: number } } }
            : { x: { ticks: { autoSkip: false, maxRotation: 60, minRotation: 0 } }, y: { beginAtZero: true, ticks: { callback: number } } }
        }
      });
    }
    var awards = document.getElementById("chart-awards");
    if (awards && data.awards && data.awards.labels.length) {
      var a = data.awards;
      var width = window.innerWidth < 576 ? 14 : 24;  // on a phone the names wrap to keep the bars wide
      awards.parentNode.style.height = Math.max(240, a.labels.length * 56 + 80) + "px";
      new Chart(awards, {
        type: "bar",
        data: {
          labels: a.labels.map(function (label) { return wrap(label, width); }),
          datasets: [
            { label: a.series[0], data: a.collective, backgroundColor: PALETTE[3] },
            { label: a.series[1], data: a.individual, backgroundColor: PALETTE[0] },
            { label: a.series[2], data: a.women, backgroundColor: PALETTE[4] }
          ]
        },
        options: {
          responsive: true,
          indexAxis: "y",  // horizontal bars: the names of the awards stay readable on a phone
          plugins: { legend: { position: "bottom" }, tooltip: tooltip },
          scales: { y: { ticks: { autoSkip: false } }, x: { beginAtZero: true, ticks: { precision: 0, callback: number } } }
        }
      });
    }
    var doughnut = document.getElementById("chart-ratings");
    if (doughnut && data.ratings) {
      new Chart(doughnut, {
        type: "doughnut",
        data: { labels: data.ratings.labels, datasets: [{ data: data.ratings.values, backgroundColor: RATING_COLOURS }] },
        options: {
          responsive: true,
          plugins: {
            legend: { position: "bottom" },
            tooltip: { callbacks: { label: function (ctx) { return ctx.label + ": " + number(ctx.parsed); } } }
          }
        }
      });
    }
  }

  function copy(event) {
    var button = event.target.closest("[data-copy-target]");
    if (!button) { return; }
    var source = document.getElementById(button.getAttribute("data-copy-target"));
    if (!source) { return; }
    var text = source.value !== undefined ? source.value : source.textContent;
    var done = function () {
      var status = document.getElementById(button.getAttribute("data-copy-status"));
      if (status) { status.textContent = button.getAttribute("data-copied-text") || "Đã sao chép."; }
    };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(done, function () { source.select(); document.execCommand("copy"); done(); });
    } else {
      source.select();
      document.execCommand("copy");
      done();
    }
  }

  document.addEventListener("click", copy);
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", draw); } else { draw(); }
})();
