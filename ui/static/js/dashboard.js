// Draws the dashboard's charts (Chart.js, loaded before this module) from the data each canvas
// carries; clicking a bar or point opens the search that lists its contracts. The same numbers
// are in the table under each chart, which also has the links.

const COLOURS = ["#2563eb", "#0891b2", "#16a34a", "#ca8a04", "#dc2626", "#7c3aed", "#db2777", "#475569"];

function draw(canvas) {
  const chart = JSON.parse(canvas.dataset.chart);
  const bars = chart.bars;
  const line = chart.kind === "line";
  // eslint-disable-next-line no-undef
  new Chart(canvas, {
    type: line ? "line" : "bar",
    data: {
      labels: bars.map((bar) => bar.label),
      datasets: [
        {
          label: chart.title,
          data: bars.map((bar) => bar.count),
          backgroundColor: line ? COLOURS[0] : bars.map((_, index) => COLOURS[index % COLOURS.length]),
          borderColor: COLOURS[0],
          tension: 0.25,
        },
      ],
    },
    options: {
      responsive: true,
      maintainAspectRatio: false,
      indexAxis: !line && bars.length > 6 ? "y" : "x",
      plugins: { legend: { display: false } },
      scales: { x: { ticks: { precision: 0 } }, y: { ticks: { precision: 0 } } },
      onHover: (event, elements) => {
        const target = event.native?.target;
        if (target) target.style.cursor = elements.length && bars[elements[0].index].search_url ? "pointer" : "default";
      },
      onClick: (_event, elements) => {
        const url = elements.length ? bars[elements[0].index].search_url : null;
        if (url) window.location.assign(url);
      },
    },
  });
}

if (typeof window.Chart === "function") {
  document.querySelectorAll("canvas[data-chart]").forEach(draw);
}
