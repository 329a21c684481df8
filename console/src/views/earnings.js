// Each driver's earnings and payouts in a settlement period, from the ledger.
import { useState } from "preact/hooks";
import { html, usePoll, Answer, Table, Status, money, time } from "../ui.js";
import { api } from "../api.js";
import { navigate } from "../router.js";

export function Earnings({ user, args }) {
  const period = args[0];
  const [input, setInput] = useState(period ?? "");
  const [answer] = usePoll(() => api(`/companies/${encodeURIComponent(user.companyId)}/earnings${period ? `?period=${encodeURIComponent(period)}` : ""}`), 10000, [user.companyId, period]);
  return html`
    <form class="inline" onSubmit=${(e) => { e.preventDefault(); navigate(["earnings", input.trim()]); }}>
      <label for="earnings-period">Period</label>
      <input id="earnings-period" value=${input} placeholder="yyyy-mm-dd" onInput=${(e) => setInput(e.currentTarget.value)} required />
      <button type="submit">Show</button>
    </form>
    <${Answer} answer=${answer} what="The earnings">${(e) => html`
      <p>Period ${e.period}: ${time(e.start)} to ${time(e.end)}.</p>
      <${Table} caption="Earnings and payouts by driver" empty="No driver has earned in the ledger yet." rowKey=${(d) => `${d.driverId}-${d.currency}`} rows=${e.drivers} columns=${[
        { title: "Driver", render: (d) => d.name ?? d.driverId },
        { title: "Rides", key: "rides" },
        { title: "Earned", render: (d) => money(d.earned, d.currency) },
        { title: "Paid out", render: (d) => money(d.paidOut, d.currency) },
        { title: "Owed at the end", render: (d) => money(d.owedAtEnd, d.currency) },
        { title: "Payout", render: (d) => (d.payoutStatus ? html`<${Status} value=${d.payoutStatus} />` : "—") },
      ]} />`}
    </${Answer}>`;
}
