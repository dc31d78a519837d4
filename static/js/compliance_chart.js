// The compliance page's trend chart: the on-time rate by month as a line, drawn in SVG from the JSON the page
// carries (CSP: no inline script). A few lines of our own instead of a 200 KB charting library for one line; the
// same figures are in the table beside the chart, which is what a screen reader is pointed to.
(function () {
  "use strict";
  var SVG = "http://www.w3.org/2000/svg";
  var COLOUR = "#0a58ca";

  function node(name, attrs, text) {
    var element = document.createElementNS(SVG, name);
    Object.keys(attrs).forEach(function (key) { element.setAttribute(key, attrs[key]); });
    if (text !== undefined) element.textContent = text;
    return element;
  }

  function draw(holder, data) {
    var width = Math.max(holder.parentElement.clientWidth, 240);
    var height = holder.parentElement.clientHeight || 256;
    var left = 40, right = 12, top = 28, bottom = 28;
    var plotWidth = width - left - right, plotHeight = height - top - bottom;
    var count = data.rates.length;
    var x = function (i) { return left + (count < 2 ? plotWidth / 2 : (plotWidth * i) / (count - 1)); };
    var y = function (rate) { return top + plotHeight * (1 - rate / 100); };
    var svg = node("svg", {
      id: holder.id, role: "img", "aria-label": holder.getAttribute("aria-label"),
      viewBox: "0 0 " + width + " " + height, width: "100%", height: height, "font-size": "12",
    });
    [0, 25, 50, 75, 100].forEach(function (rate) {
      svg.appendChild(node("line", { x1: left, x2: width - right, y1: y(rate), y2: y(rate), stroke: "#dee2e6" }));
      svg.appendChild(node("text", { x: left - 6, y: y(rate) + 4, "text-anchor": "end", fill: "#495057" }, rate + "%"));
    });
    var every = Math.ceil(count / Math.max(1, Math.floor(plotWidth / 64)));
    data.labels.forEach(function (label, i) {
      var labelled = (i % every === 0 && count - 1 - i >= every) || i === count - 1;
      if (!labelled) return;
      var anchor = count > 1 && i === 0 ? "start" : count > 1 && i === count - 1 ? "end" : "middle";
      svg.appendChild(node("text", { x: x(i), y: height - 8, "text-anchor": anchor, fill: "#495057" }, label));
    });
    var path = "";
    data.rates.forEach(function (rate, i) {
      if (rate === null || rate === undefined) { path += " "; return; }
      path += (path === "" || path.slice(-1) === " " ? "M" : "L") + x(i).toFixed(1) + "," + y(rate).toFixed(1);
      svg.appendChild(node("circle", { cx: x(i), cy: y(rate), r: 3, fill: COLOUR }));
    });
    svg.insertBefore(node("path", { d: path.trim(), fill: "none", stroke: COLOUR, "stroke-width": 2 }), svg.firstChild);
    svg.appendChild(node("rect", { x: left, y: 6, width: 12, height: 12, fill: COLOUR }));
    svg.appendChild(node("text", { x: left + 18, y: 16, fill: "#212529" }, data.rate_label));
    holder.replaceWith(svg);
  }

  document.addEventListener("DOMContentLoaded", function () {
    var source = document.getElementById("trend-data");
    var holder = document.getElementById("trend-chart");
    if (source && holder) draw(holder, JSON.parse(source.textContent));
  });
})();
