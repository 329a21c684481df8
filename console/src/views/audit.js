// The audit log: every admin action, who did it, when, and what the app answered. Read-only.
import { useState } from "preact/hooks";
import { html, usePoll, Answer, Table, Status, time } from "../ui.js";
import { api } from "../api.js";

export function Audit() {
  const [after, setAfter] = useState(null);
  const [answer] = usePoll(() => api(`/ops/audit?limit=50${after ? `&after=${encodeURIComponent(after)}` : ""}`), 5000, [after]);
  return html`<${Answer} answer=${answer} what="The audit log">${(page) => html`
    <${Table} caption="Admin actions, newest first" empty="No admin action yet." rowKey=${(e) => e.id} rows=${page.items} columns=${[
      { title: "When", render: (e) => time(e.at) },
      { title: "Who", render: (e) => `${e.actorPhone} (${e.actorRole})` },
      { title: "Action", key: "action" },
      { title: "Request", key: "target" },
      { title: "Answer", render: (e) => html`<${Status} value=${e.status} /> ${e.outcome}` },
    ]} />
    ${page.next && html`<button type="button" onClick=${() => setAfter(page.next)}>Older</button>`}
    ${after && html`<button type="button" class="secondary" onClick=${() => setAfter(null)}>Newest</button>`}`}
  </${Answer}>`;
}
