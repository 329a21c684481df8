// The poison queues: messages the app gave up on, put back on their queue (replay) or thrown away (discard).
import { useState } from "preact/hooks";
import { html, usePoll, Answer, Table, Action, time } from "../ui.js";
import { api, problemText } from "../api.js";

export function Poison() {
  const [answer, reload] = usePoll(() => api("/ops/poison"), 5000);
  // The outcome is shown above the list: the message's row goes away once it is taken.
  const [notice, setNotice] = useState(null);
  async function take(queue, id, what) {
    const result = await api(`/ops/poison/${encodeURIComponent(queue)}/${encodeURIComponent(id)}/${what}`, { method: "POST" });
    const outcome = { ok: result.ok, message: result.ok ? `${id}: ${what === "replay" ? "put back on its queue." : "discarded."}` : problemText(result) };
    setNotice(outcome);
    reload();
    return outcome;
  }

  return html`<p>Messages that kept failing. Replay puts one back on its queue to be tried again; discard deletes it.</p>
    ${notice && html`<p role="status" class=${notice.ok ? "done" : "problem"}>${notice.message}</p>`}
    <${Answer} answer=${answer} what="The poison queues">${(view) => {
      const poisoned = view.queues.filter((q) => q.messages.length > 0);
      return html`
        <p role="status">${poisoned.length ? `${poisoned.reduce((n, q) => n + q.messages.length, 0)} poisoned messages.` : "No poisoned messages."}</p>
        ${poisoned.map((q) => html`<section aria-labelledby=${`poison-${q.queue}`}>
          <h2 id=${`poison-${q.queue}`}>${q.queue}</h2>
          <${Table} caption=${`Poisoned messages of ${q.queue}`} rowKey=${(m) => m.id} rows=${q.messages} columns=${[
            { title: "Message", key: "id" },
            { title: "Since", render: (m) => time(m.insertedAt) },
            { title: "Text", render: (m) => html`<code class="message">${m.text.length > 300 ? `${m.text.slice(0, 300)}…` : m.text}</code>` },
            { title: "", render: (m) => html`
              <${Action} label=${`Replay ${m.id}`} run=${() => take(q.queue, m.id, "replay")} />
              <${Action} label=${`Discard ${m.id}`} confirm="Discard this message? It will not be tried again." run=${() => take(q.queue, m.id, "discard")} />` },
          ]} />
        </section>`)}`;
    }}
    </${Answer}>`;
}
