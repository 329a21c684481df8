// A small bar-and-line chart of a series over the days, drawn by uPlot on a canvas (no outside resources).
import { useEffect, useRef } from "preact/hooks";
import uPlot from "uplot";
import { html } from "./ui.js";

export function DayChart({ title, days, series }) {
  const box = useRef(null);
  useEffect(() => {
    const x = days.map((d) => Date.parse(`${d}T12:00:00Z`) / 1000);
    const plot = new uPlot({
      width: 360,
      height: 160,
      legend: { show: true, live: false },
      cursor: { show: false },
      scales: { x: { time: true } },
      axes: [{ stroke: "#1b1f24", grid: { stroke: "#e3e8ee" } }, { stroke: "#1b1f24", grid: { stroke: "#e3e8ee" } }],
      series: [{}, ...series.map((s, i) => ({ label: s.label, stroke: ["#0b5cad", "#a4161a", "#1e6b34"][i % 3], width: 2, fill: i === 0 ? "rgba(11,92,173,.12)" : undefined }))],
    }, [x, ...series.map((s) => s.values)], box.current);
    return () => plot.destroy();
  }, [JSON.stringify(days), JSON.stringify(series)]);
  // The canvas is a picture of the numbers in the table beside it; readers of the page get the table.
  return html`<figure class="chart"><figcaption>${title}</figcaption><div ref=${box} aria-hidden="true"></div></figure>`;
}
