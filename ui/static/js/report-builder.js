// Draws the report builder's preview chart (Chart.js, loaded before this module) from the data
// its canvas carries: one bar per group (the first grouping), one dataset per value of the
// second grouping when there is one. Clicking a bar opens the search listing its contracts.

const COLOURS = ["#2563eb", "#0891b2", "#16a34a", "#ca8a04", "#dc2626", "#7c3aed", "#db2777", "#475569"];

function figure(row, key) {
  if (key === "count") return row.count;
  const value = row.values[key];
  if (value === null || value === undefined) return null;
  if (typeof value === "object") {
    // per currency: the chart shows the first currency's figure; the table shows them all
    const first = Object.keys(value).sort()[0];
    return first === undefined ? null : Number(value[first]);
  }
  return Number(value);
}

function draw(canvas) {
  const report = JSON.parse(canvas.dataset.reportChart);
  const measure = report.measures[0];
  const rows = report.rows;
  const twoLevels = report.group_headings.length > 1;
  const labels = [...new Set(rows.map((row) => row.labels[0]))];
  const series = twoLevels ? [...new Set(rows.map((row) => row.labels[1]))] : [measure.label];
  const datasets = series.map((name, index) => ({
    label: name,
    backgroundColor: COLOURS[index % COLOURS.length],
    data: labels.map((label) => {
      const row = rows.find((item) => item.labels[0] === label && (!twoLevels || item.labels[1] === name));
      return row ? figure(row, measure.key) : null;
    }),
  }));
  const rowAt = (element) =>
    rows.find(
      (item) =>
        item.labels[0] === labels[element.index] && (!twoLevels || item.labels[1] === series[element.datasetIndex]),
    );
  // eslint-disable-next-line no-undef
  new Chart(canvas, {
    type: "bar",
    data: { labels, datasets },
    options: {
      responsive: true,
      maintainAspectRatio: false,
      indexAxis: labels.length > 6 ? "y" : "x",
      plugins: { legend: { display: twoLevels } },
      onHover: (event, elements) => {
        const target = event.native?.target;
        if (target) target.style.cursor = elements.length && rowAt(elements[0])?.search_url ? "pointer" : "default";
      },
      onClick: (_event, elements) => {
        const url = elements.length ? rowAt(elements[0])?.search_url : null;
        if (url) window.location.assign(url);
      },
    },
  });
}

if (typeof window.Chart === "function") {
  document.querySelectorAll("canvas[data-report-chart]").forEach(draw);
}
