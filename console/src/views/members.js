// The company's members: added by phone with a role, removed; every change is in the platform's audit log.
import { useState } from "preact/hooks";
import { html, usePoll, Answer, Table, Action, time } from "../ui.js";
import { api, newKey, problemText } from "../api.js";

export function Members({ user }) {
  const [answer, reload] = usePoll(() => api(`/companies/${encodeURIComponent(user.companyId)}/members?limit=100`), 10000, [user.companyId]);
  const [phone, setPhone] = useState("");
  const [role, setRole] = useState("driver");
  const [message, setMessage] = useState(null);
  async function add(event) {
    event.preventDefault();
    const result = await api(`/companies/${encodeURIComponent(user.companyId)}/members`, { method: "POST", idempotencyKey: newKey(), body: { phone: phone.trim(), role } });
    setMessage(result.ok ? `Added ${result.data.phone} as ${result.data.role}.` : problemText(result));
    if (result.ok) reload();
  }

  return html`
    <form class="inline" onSubmit=${add} aria-label="Add a member">
      <label for="m-phone">Phone</label>
      <input id="m-phone" type="tel" value=${phone} onInput=${(e) => setPhone(e.currentTarget.value)} required />
      <label for="m-role">Role</label>
      <select id="m-role" value=${role} onChange=${(e) => setRole(e.currentTarget.value)}>${["driver", "dispatcher", "companyAdmin"].map((r) => html`<option value=${r}>${r}</option>`)}</select>
      <button type="submit">Add member</button>
      ${message && html`<span role="status">${message}</span>`}
    </form>
    <${Answer} answer=${answer} what="The members">${(page) => html`
      <${Table} caption="Members of the company" rowKey=${(m) => m.id} rows=${page.items} columns=${[
        { title: "Phone", key: "phone" },
        { title: "Role", key: "role" },
        { title: "Added", render: (m) => time(m.addedAt) },
        { title: "", render: (m) => (m.id === user.memberId ? "you" : html`<${Action} label=${`Remove ${m.phone}`} confirm=${`Remove ${m.phone}?`}
          run=${async () => { const r = await api(`/companies/${encodeURIComponent(user.companyId)}/members/${encodeURIComponent(m.id)}`, { method: "DELETE" }); reload(); return { ok: r.ok, message: r.ok ? "Removed." : problemText(r) }; }} />`) },
      ]} />`}
    </${Answer}>`;
}
