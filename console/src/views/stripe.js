// Stripe events Atlas did not apply, with their reason, and a replay that fetches the event from Stripe afresh.
import { useState } from "preact/hooks";
import { html, usePoll, Answer, Table, Status, Action, time } from "../ui.js";
import { api, problemText } from "../api.js";

export function StripeEvents() {
  const [answer, reload] = usePoll(() => api("/ops/stripe-events?limit=100"), 5000);
  // The outcome is shown above the list: a replayed event leaves it.
  const [notice, setNotice] = useState(null);
  async function replay(id) {
    const result = await api(`/ops/stripe-events/${encodeURIComponent(id)}/replay`, { method: "POST" });
    const outcome = { ok: result.ok, message: result.ok ? `${id} replayed: it will be applied as Stripe has it now.` : problemText(result) };
    setNotice(outcome);
    reload();
    return outcome;
  }

  return html`<p>Events Atlas received from Stripe but could not apply. Replaying one fetches it from Stripe again and applies it.</p>
    ${notice && html`<p role="status" class=${notice.ok ? "done" : "problem"}>${notice.message}</p>`}
    <${Answer} answer=${answer} what="The Stripe events">${(page) => html`
      <${Table} caption="Stripe events not applied" empty="Every Stripe event was applied." rowKey=${(e) => e.id} rows=${page.items} columns=${[
        { title: "Event", key: "id" },
        { title: "Type", render: (e) => e.type ?? "—" },
        { title: "Status", render: (e) => html`<${Status} value=${e.status} />` },
        { title: "Reason", render: (e) => e.error ?? "—" },
        { title: "Attempts", key: "attempts" },
        { title: "Failed", render: (e) => time(e.failedAt) },
        { title: "", render: (e) => html`<${Action} label=${`Replay ${e.id}`} run=${() => replay(e.id)} />` },
      ]} />`}
    </${Answer}>`;
}
