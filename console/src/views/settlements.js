// A settlement period: what each driver was paid, its reconciliation against Stripe, and a re-run.
import { useState } from "preact/hooks";
import { html, usePoll, Answer, Table, Status, Action, money, time } from "../ui.js";
import { api, problemText } from "../api.js";
import { navigate } from "../router.js";

const today = () => new Date().toISOString().slice(0, 10);

export function Settlements({ args }) {
  const period = args[0] ?? today();
  const [input, setInput] = useState(period);
  const [answer, reload] = usePoll(() => api(`/settlements/${encodeURIComponent(period)}?reconcile=true`), 0, [period]);
  async function rerun() {
    const result = await api("/settlements", { method: "POST", body: { period } });
    reload();
    return { ok: result.ok, message: result.ok ? (result.status === 202 ? "Running; the report follows." : "Settled.") : problemText(result) };
  }

  return html`
    <form class="inline" onSubmit=${(e) => { e.preventDefault(); navigate(["settlements", input.trim()]); }}>
      <label for="period">Period</label>
      <input id="period" value=${input} onInput=${(e) => setInput(e.currentTarget.value)} required />
      <button type="submit">Show</button>
    </form>
    <${Answer} answer=${answer} what=${`The settlement of ${period}`}>${(report) => html`
      <p>${time(report.start)} to ${time(report.end)}. <${Action} label="Run this settlement again" confirm="Settle this period again? Only what is unpaid is paid." run=${rerun} /></p>
      <${Table} caption="Totals by currency" empty="Nothing to settle in this period." rows=${report.totals} columns=${[
        { title: "Currency", key: "currency" },
        { title: "Paid", render: (t) => money(t.paid, t.currency) },
        { title: "Held", render: (t) => money(t.held, t.currency) },
        { title: "Failed", render: (t) => money(t.failed, t.currency) },
        { title: "No account", render: (t) => money(t.noAccount, t.currency) },
        { title: "Pending", render: (t) => money(t.pending, t.currency) },
      ]} />
      <${Table} caption="Payouts by driver" empty="No payout lines." rows=${report.lines} columns=${[
        { title: "Driver", key: "driverId" },
        { title: "Amount", render: (l) => money(l.amount, l.currency) },
        { title: "Status", render: (l) => html`<${Status} value=${l.status} />` },
      ]} />
      <h2>Reconciliation</h2>
      ${report.reconciliation ? html`<pre>${JSON.stringify(report.reconciliation, null, 2)}</pre>` : html`<p class="muted">Not reconciled.</p>`}`}
    </${Answer}>`;
}
