// Draws the dashboard's charts (Chart.js, loaded before this module) from the data each canvas
// carries; clicking a bar or point opens the search that lists its contracts. The same numbers
// are in the table under each chart, which also has the links.

const COLOURS = ["#2563eb", "#0891b2", "#16a34a", "#ca8a04", "#dc2626", "#7c3aed", "#db2777", "#475569"];

// A money bar stands for its amount in CNY; a contract bar for how many.
const valueOf = (chart, bar) => (chart.unit === "money" ? Number(bar.value_cny || 0) : bar.count);

// "pairs" charts (planned vs received per month) have one dataset per series; each bar keeps
// its own link.
function datasetsOf(chart, line) {
  if (chart.kind !== "pairs") {
    const bars = chart.bars;
    return {
      labels: bars.map((bar) => bar.label),
      lookup: (datasetIndex, index) => bars[index],
      datasets: [
        {
          label: chart.title,
          data: bars.map((bar) => valueOf(chart, bar)),
          backgroundColor: line ? COLOURS[0] : bars.map((_, index) => COLOURS[index % COLOURS.length]),
          borderColor: COLOURS[0],
          tension: 0.25,
        },
      ],
    };
  }
  const names = Object.keys(chart.series);
  const groups = names.map((name) => chart.bars.filter((bar) => bar.series === name));
  return {
    labels: groups[0].map((bar) => bar.label),
    lookup: (datasetIndex, index) => groups[datasetIndex][index],
    datasets: names.map((name, position) => ({
      label: chart.series[name],
      data: groups[position].map((bar) => valueOf(chart, bar)),
      backgroundColor: COLOURS[position % COLOURS.length],
    })),
  };
}

function draw(canvas) {
  const chart = JSON.parse(canvas.dataset.chart);
  const line = chart.kind === "line";
  const data = datasetsOf(chart, line);
  const barAt = (elements) => (elements.length ? data.lookup(elements[0].datasetIndex, elements[0].index) : null);
  // eslint-disable-next-line no-undef
  new Chart(canvas, {
    type: line ? "line" : "bar",
    data: { labels: data.labels, datasets: data.datasets },
    options: {
      responsive: true,
      maintainAspectRatio: false,
      indexAxis: !line && chart.kind !== "pairs" && data.labels.length > 6 ? "y" : "x",
      plugins: { legend: { display: chart.kind === "pairs" } },
      scales: { x: { ticks: { precision: 0 } }, y: { ticks: { precision: 0 } } },
      onHover: (event, elements) => {
        const target = event.native?.target;
        if (target) target.style.cursor = barAt(elements)?.search_url ? "pointer" : "default";
      },
      onClick: (_event, elements) => {
        const url = barAt(elements)?.search_url;
        if (url) window.location.assign(url);
      },
    },
  });
}

if (typeof window.Chart === "function") {
  document.querySelectorAll("canvas[data-chart]").forEach(draw);
}
