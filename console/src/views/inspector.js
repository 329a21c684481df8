// The lifecycle inspector: a booking, ride or escrow by id — its state, a timeline of what happened (the state's own
// moments and its journey's history), its outbox and its flows' status.
import { useState } from "preact/hooks";
import { html, usePoll, Answer, Table, Status, time } from "../ui.js";
import { api } from "../api.js";
import { navigate, href } from "../router.js";

const types = ["booking", "ride", "escrow"];

/** Every "…At" moment in the state, as "path: when". */
function moments(state, path = "") {
  if (!state || typeof state !== "object") return [];
  return Object.entries(state).flatMap(([key, value]) =>
    key.endsWith("At") && typeof value === "string" && !Number.isNaN(Date.parse(value))
      ? [{ at: value, what: `${path}${key.slice(0, -2)}`, source: "state" }]
      : value && typeof value === "object" ? moments(value, `${path}${key}.`) : []);
}

function timeline(view) {
  const flows = (view.flows ?? []).flatMap((flow) =>
    flow.recentHistory.filter((e) => e.at).map((e) => ({
      at: e.at,
      what: `${e.eventType}${e.name ? ` ${e.name}` : ""}${e.fireAt ? ` (due ${time(e.fireAt)})` : ""}`,
      source: flow.instanceId,
    })));
  return [...moments(view.state), ...flows].sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
}

function Instance({ type, id }) {
  const [answer] = usePoll(() => api(`/ops/lifecycles/${type}/${encodeURIComponent(id)}`), 5000, [type, id]);
  return html`<${Answer} answer=${answer} what=${`The ${type} ${id}`}>${(view) => html`
    <section aria-labelledby="state-title">
      <h2 id="state-title">${type} ${view.id} <${Status} value=${view.state.status ?? "—"} /></h2>
      <p>Version ${view.version}, updated ${time(view.updatedAt)}${view.deadline ? html`; next deadline ${time(view.deadline)}` : ""}.</p>
      ${type !== "escrow" && view.state.rideId && html`<p>Ride: <a href=${href("inspect", "ride", view.state.rideId)}>${view.state.rideId}</a></p>`}
      ${type === "ride" && html`<p>Payment: <a href=${href("inspect", "escrow", view.id)}>escrow ${view.id}</a></p>`}
    </section>
    <section aria-labelledby="timeline-title">
      <h2 id="timeline-title">Timeline</h2>
      <${Table} caption="What happened, oldest first" rows=${timeline(view)} columns=${[
        { title: "When", render: (r) => time(r.at) },
        { title: "What", key: "what" },
        { title: "From", key: "source" },
      ]} />
    </section>
    <section aria-labelledby="flows-title">
      <h2 id="flows-title">Flows</h2>
      <${Table} caption="The flow that follows it" empty="No flow follows it." rows=${view.flows} columns=${[
        { title: "Instance", key: "instanceId" },
        { title: "Status", render: (f) => html`<${Status} value=${f.runtimeStatus} />` },
        { title: "Deadline", render: (f) => time(f.deadline) },
        { title: "Waiting for", render: (f) => time(f.pendingTimer) },
        { title: "Failure", render: (f) => f.failure ?? "—" },
      ]} />
      <h2>Outbox</h2>
      <${Table} caption="Effects not yet carried out" empty="The outbox is empty." rows=${view.outbox} columns=${[
        { title: "Effect", key: "effectId" }, { title: "Kind", key: "kind" }, { title: "Queue", key: "queue" }, { title: "Since", render: (e) => time(e.createdAt) },
      ]} />
    </section>
    <details><summary>State as stored</summary><pre>${JSON.stringify(view.state, null, 2)}</pre></details>`}
  </${Answer}>`;
}

export function Inspector({ args }) {
  const [type, setType] = useState(types.includes(args[0]) ? args[0] : "ride");
  const [id, setId] = useState(args[1] ?? "");
  function open(event) {
    event.preventDefault();
    if (id.trim()) navigate(["inspect", type, id.trim()]);
  }

  return html`
    <form class="inline" onSubmit=${open} aria-label="Find a lifecycle">
      <label for="inspect-type">Kind</label>
      <select id="inspect-type" value=${type} onChange=${(e) => setType(e.currentTarget.value)}>
        ${types.map((t) => html`<option value=${t}>${t}</option>`)}
      </select>
      <label for="inspect-id">Id</label>
      <input id="inspect-id" value=${id} onInput=${(e) => setId(e.currentTarget.value)} required />
      <button type="submit">Inspect</button>
    </form>
    ${types.includes(args[0]) && args[1] && html`<${Instance} type=${args[0]} id=${args[1]} />`}`;
}
