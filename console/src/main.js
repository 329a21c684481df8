// The console: sign-in, then the views the signed-in role may use. Each view calls the API with the user's own
// token, so what a company admin or dispatcher sees is what the API lets them see.
import { render } from "preact";
import { useEffect, useState } from "preact/hooks";
import { html } from "./ui.js";
import { currentUser, onSessionChange, signOut } from "./api.js";
import { href, useRoute } from "./router.js";
import { SignIn } from "./signin.js";
import { views } from "./views/index.js";

const roleNames = { platformAdmin: "Platform admin", companyAdmin: "Company admin", dispatcher: "Dispatcher" };

function Shell({ user, route }) {
  const mine = views.filter((v) => v.roles.includes(user.role));
  const view = mine.find((v) => v.path === route[0]) ?? mine[0];
  useEffect(() => {
    document.title = `${view.title} · Atlas console`;
  }, [view]);
  return html`<div class="shell">
    <a class="skip" href="#main">Skip to the view</a>
    <header>
      <span class="brand">Atlas console</span>
      <nav aria-label="Views">
        <ul>${mine.filter((v) => !v.hidden).map((v) => html`<li><a href=${href(v.path)} aria-current=${v === view ? "page" : undefined}>${v.title}</a></li>`)}</ul>
      </nav>
      <span class="who">${roleNames[user.role]} · ${user.phone}</span>
      <button type="button" class="secondary" onClick=${signOut}>Sign out</button>
    </header>
    <main id="main" tabindex="-1">
      <h1>${view.title}</h1>
      <${view.component} user=${user} args=${route.slice(1)} />
    </main>
  </div>`;
}

function App() {
  const [user, setUser] = useState(currentUser());
  const route = useRoute();
  useEffect(() => onSessionChange(setUser), []);
  if (!user) return html`<${SignIn} />`;
  if (!roleNames[user.role]) {
    return html`<main class="signin"><h1>Atlas console</h1>
      <p role="alert">The console is for platform admins, company admins and dispatchers; this number signs in as a ${user.role}.</p>
      <button type="button" onClick=${signOut}>Sign out</button></main>`;
  }

  return html`<${Shell} user=${user} route=${route} />`;
}

// The page's "Loading…" line is replaced, not kept beside the app.
const root = document.getElementById("app");
root.replaceChildren();
render(html`<${App} />`, root);
