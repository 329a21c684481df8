// The platform at a glance: today and the last 7 days, refreshed every five seconds.
import { html, usePoll, Answer, Table, money } from "../ui.js";
import { api } from "../api.js";
import { DayChart } from "../chart.js";

const amount = (amounts) => (amounts.length ? amounts.map((a) => money(a.value, a.currency)).join(" + ") : money(0));
const sumAmounts = (days, key) => {
  const totals = {};
  for (const d of days) for (const a of d[key]) totals[a.currency] = (totals[a.currency] ?? 0) + a.value;
  return Object.entries(totals).map(([currency, value]) => ({ currency, value }));
};
const total = (days, key) => days.reduce((n, d) => n + d[key], 0);
const lag = (s) => (s == null ? "—" : `${s.toFixed(1)} s`);

const counts = [
  ["bookings", "Bookings"],
  ["completed", "Completed rides"],
  ["cancelled", "Cancellations"],
  ["noShows", "No-shows"],
  ["paymentsFailed", "Failed payments"],
  ["paymentsDeclined", "Declined payments"],
  ["stripeEventsFailed", "Stripe events failed"],
  ["textsUndelivered", "Texts undelivered"],
];

function Tile({ id, label, today, week, alert }) {
  return html`<section class=${`tile${alert ? " alert" : ""}`} aria-labelledby=${`tile-${id}`} data-metric=${id}>
    <h2 id=${`tile-${id}`}>${label}</h2>
    <div class="value" data-today>${today}</div>
    <div class="muted">last 7 days: <span data-week>${week}</span></div>
  </section>`;
}

export function Overview() {
  const [answer] = usePoll(() => api("/ops/overview"), 5000);
  return html`<${Answer} answer=${answer} what="The overview">${(o) => {
    const today = o.days[o.days.length - 1];
    const week = o.days.slice(1);
    const labels = o.days.map((d) => d.day);
    return html`
      <p class="muted" role="status">As of ${new Date(o.asOf).toLocaleTimeString("en-GB")} (UTC days; refreshed every 5 s).</p>
      <div class="tiles">
        ${counts.map(([id, label]) => html`<${Tile} id=${id} label=${label} today=${today[id]} week=${total(week, id)} alert=${id.includes("ailed") || id.includes("Undelivered") ? today[id] > 0 : false} />`)}
        <${Tile} id="gross" label="Gross value" today=${amount(today.gross)} week=${amount(sumAmounts(week, "gross"))} />
        <${Tile} id="platformFees" label="Platform fees" today=${amount(today.platformFees)} week=${amount(sumAmounts(week, "platformFees"))} />
        <${Tile} id="deadlineLag" label="Deadline lag p95" today=${lag(today.deadlineLagP95Seconds)} week=${lag(Math.max(...week.map((d) => d.deadlineLagP95Seconds ?? 0)))} />
        <${Tile} id="openDisputes" label="Open disputes" today=${o.openDisputes} week="now" alert=${o.openDisputes > 0} />
        <${Tile} id="poisonedMessages" label="Poisoned messages" today=${o.poisonedMessages} week="now" alert=${o.poisonedMessages > 0} />
      </div>
      <div class="charts">
        <${DayChart} title="Bookings and completed rides" days=${labels} series=${[{ label: "bookings", values: o.days.map((d) => d.bookings) }, { label: "completed", values: o.days.map((d) => d.completed) }]} />
        <${DayChart} title="Cancellations and no-shows" days=${labels} series=${[{ label: "cancelled", values: o.days.map((d) => d.cancelled) }, { label: "no-shows", values: o.days.map((d) => d.noShows) }]} />
        <${DayChart} title="Payments failed and declined" days=${labels} series=${[{ label: "failed", values: o.days.map((d) => d.paymentsFailed) }, { label: "declined", values: o.days.map((d) => d.paymentsDeclined) }]} />
      </div>
      <${Table} caption="By day" rows=${[...o.days].reverse()} rowKey=${(d) => d.day} columns=${[
        { title: "Day", key: "day" },
        ...counts.map(([id, label]) => ({ title: label, key: id })),
        { title: "Gross", render: (d) => amount(d.gross) },
        { title: "Fees", render: (d) => amount(d.platformFees) },
        { title: "Lag p95", render: (d) => lag(d.deadlineLagP95Seconds) },
      ]} />`;
  }}
  </${Answer}>`;
}
