// The compliance page's trend chart: on-time rate by month, drawn from the JSON the page carries (CSP: no inline
// script). The same figures are in the table beside the chart.
document.addEventListener("DOMContentLoaded", () => {
  const source = document.getElementById("trend-data");
  const canvas = document.getElementById("trend-chart");
  if (!source || !canvas || typeof Chart === "undefined") return;
  const data = JSON.parse(source.textContent);
  new Chart(canvas, {
    type: "line",
    data: {
      labels: data.labels,
      datasets: [
        { label: data.rate_label, data: data.rates, borderColor: "#0d6efd", backgroundColor: "#0d6efd", spanGaps: true },
      ],
    },
    options: {
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      scales: { y: { min: 0, max: 100, ticks: { callback: (value) => `${value}%` } } },
      plugins: { legend: { display: true } },
    },
  });
});
