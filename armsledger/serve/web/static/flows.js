// The flows page: a Sankey diagram of supplier → recipient deals and a bar chart of deals by year,
// drawn with the bundled Chart.js from the JSON the server embeds in the page (no inline script: the
// Content-Security-Policy allows scripts from this site only). Without JavaScript the page keeps its
// server-drawn SVG charts.
(function () {
  "use strict";
  function ready(fn) {
    if (document.readyState !== "loading") { fn(); } else { document.addEventListener("DOMContentLoaded", fn); }
  }
  ready(function () {
    var node = document.getElementById("flows-data");
    if (!node || typeof window.Chart === "undefined") { return; }
    var data = JSON.parse(node.textContent);
    document.querySelectorAll(".chart-fallback").forEach(function (el) { el.hidden = true; });
    var sankey = document.getElementById("flows-sankey");
    if (sankey && data.flows.length) {
      sankey.hidden = false;
      new window.Chart(sankey, {
        type: "sankey",
        data: { datasets: [{
          label: "deals",
          data: data.flows.map(function (f) { return { from: f.from, to: f.to, flow: f.deals }; }),
          labels: data.labels,
          colorFrom: function () { return "#4a6fa5"; },
          colorTo: function () { return "#c0504d"; },
          colorMode: "gradient"
        }] },
        options: { responsive: true, animation: false }
      });
    }
    var years = document.getElementById("flows-years");
    if (years && data.years.length) {
      years.hidden = false;
      new window.Chart(years, {
        type: "bar",
        data: {
          labels: data.years.map(function (y) { return String(y.year); }),
          datasets: [
            { label: "deals with a claim dated that year", data: data.years.map(function (y) { return y.deals; }),
              backgroundColor: "#b8c7dd" },
            { label: "with a delivery", data: data.years.map(function (y) { return y.with_delivery; }),
              backgroundColor: "#4a6fa5" }
          ]
        },
        options: { responsive: true, animation: false, scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } }
      });
    }
    document.body.setAttribute("data-charts", "drawn");
  });
})();
