// Texts that did not arrive (undelivered, failed or refused): a sign-in code among them is someone who could not sign in.
import { useState } from "preact/hooks";
import { html, usePoll, Answer, Table, Status, time } from "../ui.js";
import { api } from "../api.js";

const statuses = ["undelivered", "failed", "refused", "delivered", "sent", "queued"];

export function Texts() {
  const [status, setStatus] = useState("undelivered");
  const [answer] = usePoll(() => api(`/ops/sms?status=${status}&limit=100`), 10000, [status]);
  return html`
    <form class="inline" onSubmit=${(e) => e.preventDefault()}>
      <label for="sms-status">Status</label>
      <select id="sms-status" value=${status} onChange=${(e) => setStatus(e.currentTarget.value)}>
        ${statuses.map((s) => html`<option value=${s}>${s}</option>`)}
      </select>
    </form>
    <${Answer} answer=${answer} what="The texts">${(page) => html`
      <${Table} caption=${`Texts ${status}`} empty=${`No text is ${status}.`} rows=${page.items} columns=${[
        { title: "Message", key: "sid" },
        { title: "Kind", key: "kind" },
        { title: "To", key: "to" },
        { title: "Status", render: (t) => html`<${Status} value=${t.status} />` },
        { title: "Error", render: (t) => t.errorCode ?? "—" },
        { title: "Sent", render: (t) => time(t.sentAt) },
        { title: "Updated", render: (t) => time(t.updatedAt) },
      ]} />`}
    </${Answer}>`;
}
