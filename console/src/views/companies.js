// The companies on the platform and, for the one picked, its members.
import { html, usePoll, Answer, Table, time } from "../ui.js";
import { api } from "../api.js";
import { href } from "../router.js";

function Members({ companyId }) {
  const [answer] = usePoll(() => api(`/ops/companies/${encodeURIComponent(companyId)}/members?limit=100`), 10000, [companyId]);
  return html`<section aria-labelledby="members-title">
    <h2 id="members-title">Members of ${companyId}</h2>
    <${Answer} answer=${answer} what=${`The company ${companyId}`}>${(page) => html`
      <${Table} caption=${`Members of ${companyId}`} rowKey=${(m) => m.id} rows=${page.items} columns=${[
        { title: "Phone", key: "phone" },
        { title: "Role", key: "role" },
        { title: "Added", render: (m) => time(m.addedAt) },
      ]} />`}
    </${Answer}>
  </section>`;
}

export function Companies({ args }) {
  const [answer] = usePoll(() => api("/ops/companies?limit=100"), 10000);
  return html`<${Answer} answer=${answer} what="The companies">${(page) => html`
    <${Table} caption="Companies on the platform" empty="No company yet." rowKey=${(c) => c.id} rows=${page.items} columns=${[
      { title: "Company", render: (c) => html`<a href=${href("companies", c.id)}>${c.name}</a>` },
      { title: "Id", key: "id" },
      { title: "Created", render: (c) => time(c.createdAt) },
    ]} />
    ${args[0] && html`<${Members} companyId=${args[0]} />`}`}
  </${Answer}>`;
}
