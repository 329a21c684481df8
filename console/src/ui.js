// Shared pieces of the views. Everything is rendered through preact, which sets text, never HTML: a value that looks
// like markup shows as the characters it is.
import { h } from "preact";
import { useEffect, useRef, useState, useCallback } from "preact/hooks";
import htm from "htm";

export const html = htm.bind(h);

/** Runs load now and every intervalMs while the view is shown (and the tab visible); returns [answer, reload]. */
export function usePoll(load, intervalMs, deps = []) {
  const [answer, setAnswer] = useState(null);
  const latest = useRef(0);
  const run = useCallback(async () => {
    const ticket = ++latest.current;
    const result = await load();
    if (ticket === latest.current) setAnswer(result);
  }, deps);
  useEffect(() => {
    setAnswer(null);
    run();
    if (!intervalMs) return undefined;
    const timer = setInterval(() => document.visibilityState === "visible" && run(), intervalMs);
    return () => {
      clearInterval(timer);
      latest.current++;
    };
  }, [run, intervalMs]);
  return [answer, run];
}

/** A clock that ticks every second, for countdowns. */
export function useNow(everyMs = 1000) {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(timer);
  }, [everyMs]);
  return now;
}

export const Loading = () => html`<p class="muted" role="status">Loading…</p>`;

export function Problem({ answer, what }) {
  if (answer.status === 404) return html`<p class="problem" role="alert">${what ?? "It"} was not found.</p>`;
  if (answer.status === 403) return html`<p class="problem" role="alert">Your role may not see ${what ?? "this"}.</p>`;
  const p = answer.data ?? {};
  return html`<p class="problem" role="alert">${[p.title, p.detail].filter(Boolean).join(" ") || `The request failed (${answer.status}).`}</p>`;
}

/** Renders an answer: loading, a problem, or the view of its data. */
export function Answer({ answer, what, children }) {
  if (!answer) return html`<${Loading} />`;
  if (!answer.ok) return html`<${Problem} answer=${answer} what=${what} />`;
  return children(answer.data);
}

export function Table({ caption, columns, rows, empty = "Nothing here.", rowKey }) {
  if (!rows?.length) return html`<p class="muted">${empty}</p>`;
  return html`<table>
    <caption>${caption}</caption>
    <thead><tr>${columns.map((c) => html`<th scope="col">${c.title}</th>`)}</tr></thead>
    <tbody>${rows.map((row, i) => html`<tr key=${rowKey ? rowKey(row) : i}>${columns.map((c) => html`<td>${c.render ? c.render(row) : row[c.key]}</td>`)}</tr>`)}</tbody>
  </table>`;
}

export const money = (minor, currency = "GBP") =>
  minor == null ? "—" : new Intl.NumberFormat("en-GB", { style: "currency", currency }).format(minor / 100);

export const time = (iso) => (iso ? new Date(iso).toLocaleString("en-GB", { dateStyle: "short", timeStyle: "medium" }) : "—");

export const link = (href, text) => html`<a href=${href}>${text}</a>`;

export function Status({ value }) {
  return html`<span class="status status-${String(value).toLowerCase()}">${value}</span>`;
}

/** A button that runs an action once at a time and shows what came of it. */
export function Action({ label, run, confirm: question, disabled }) {
  const [state, setState] = useState({ busy: false, message: null, ok: true });
  async function click() {
    if (question && !window.confirm(question)) return;
    setState({ busy: true, message: null, ok: true });
    const { ok, message } = await run();
    setState({ busy: false, message, ok });
  }

  return html`<span class="action">
    <button type="button" onClick=${click} disabled=${disabled || state.busy}>${state.busy ? "Working…" : label}</button>
    ${state.message && html`<span class=${state.ok ? "done" : "problem"} role="status">${state.message}</span>`}
  </span>`;
}
