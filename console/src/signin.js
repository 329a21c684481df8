// Sign-in as the apps do it: a phone number, then the one-time code sent to it by text.
import { useState } from "preact/hooks";
import { html } from "./ui.js";
import { devTexts, problemText, requestCode, verifyCode } from "./api.js";

export function SignIn({ notice }) {
  const [phone, setPhone] = useState("");
  const [challenge, setChallenge] = useState(null);
  const [code, setCode] = useState("");
  const [message, setMessage] = useState(notice ?? null);
  const [busy, setBusy] = useState(false);
  const [inbox, setInbox] = useState(null);

  async function ask(event) {
    event.preventDefault();
    setBusy(true);
    const answer = await requestCode(phone.trim());
    setBusy(false);
    if (answer.ok) {
      setChallenge(answer.data.challengeId);
      setMessage(`A code was sent to ${phone.trim()}.`);
    } else {
      setMessage(problemText(answer));
    }
  }

  async function verify(event) {
    event.preventDefault();
    setBusy(true);
    const answer = await verifyCode(challenge, code.trim());
    setBusy(false);
    if (!answer.ok) setMessage(problemText(answer));
  }

  async function showInbox() {
    const answer = await devTexts(phone.trim());
    setInbox(answer.ok ? answer.data.messages.slice(0, 3) : []);
  }

  return html`<main class="signin" aria-labelledby="signin-title">
    <h1 id="signin-title">Atlas console</h1>
    <p>For platform admins, company admins and dispatchers.</p>
    ${!challenge
      ? html`<form onSubmit=${ask}>
          <label for="phone">Phone number</label>
          <input id="phone" name="phone" type="tel" autocomplete="tel" required placeholder="+447700900123"
            value=${phone} onInput=${(e) => setPhone(e.currentTarget.value)} />
          <button type="submit" disabled=${busy}>Send me a code</button>
        </form>`
      : html`<form onSubmit=${verify}>
          <label for="code">Code from the text</label>
          <input id="code" name="code" inputmode="numeric" autocomplete="one-time-code" required pattern="[0-9]{6}"
            value=${code} onInput=${(e) => setCode(e.currentTarget.value)} />
          <button type="submit" disabled=${busy}>Sign in</button>
          <button type="button" class="secondary" onClick=${() => { setChallenge(null); setCode(""); setMessage(null); }}>Use another number</button>
          <p class="muted">Running Atlas locally? Its texts go to a development inbox:
            <button type="button" class="link" onClick=${showInbox}>show the texts to this number</button></p>
          ${inbox && html`<ul class="inbox" aria-label="Development inbox">
            ${inbox.length ? inbox.map((m) => html`<li>${m.body}</li>`) : html`<li>No texts (this is not a development app, or none arrived yet).</li>`}
          </ul>`}
        </form>`}
    ${message && html`<p role="status" class="notice">${message}</p>`}
  </main>`;
}
