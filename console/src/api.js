// The API with the signed-in user's own token. The session lives in this module's memory only (never in storage or a
// URL): a reload signs out. The refresh token rotates on every refresh, and only one refresh is ever in flight, since
// presenting a used refresh token ends the whole session.
const base = "/api";
let session = null;
let refreshing = null;
const listeners = new Set();

export const onSessionChange = (listener) => {
  listeners.add(listener);
  return () => listeners.delete(listener);
};

export const currentUser = () => session?.user ?? null;

function setSession(next) {
  session = next && {
    accessToken: next.accessToken,
    refreshToken: next.refreshToken,
    user: next.user,
    // Refreshed a minute before it runs out, so a view never sends a token about to expire.
    refreshAt: Date.now() + Math.max(0, next.expiresIn - 60) * 1000,
  };
  for (const listener of listeners) listener(session?.user ?? null);
}

/** The answer: { ok, status, data } where data is the JSON body (a problem+json when not ok). */
async function send(path, { method = "GET", body, idempotencyKey, token } = {}) {
  const headers = { accept: "application/json" };
  if (body !== undefined) headers["content-type"] = "application/json";
  if (token) headers.authorization = `Bearer ${token}`;
  if (idempotencyKey) headers["idempotency-key"] = idempotencyKey;
  let response;
  try {
    response = await fetch(base + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), credentials: "omit", cache: "no-store" });
  } catch {
    return { ok: false, status: 0, data: { title: "The app cannot be reached.", detail: "Check that Atlas is running." } };
  }

  const text = await response.text();
  let data = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    data = { title: text.slice(0, 200) };
  }

  return { ok: response.ok, status: response.status, data };
}

export const requestCode = (phone) => send("/auth/otp", { method: "POST", body: { phone } });

export async function verifyCode(challengeId, code) {
  const answer = await send("/auth/otp/verify", { method: "POST", body: { challengeId, code } });
  if (answer.ok) setSession(answer.data);
  return answer;
}

function refresh() {
  if (!session) return Promise.resolve(false);
  refreshing ??= (async () => {
    const answer = await send("/auth/refresh", { method: "POST", body: { refreshToken: session.refreshToken } });
    if (answer.ok) setSession(answer.data);
    else setSession(null);
    return answer.ok;
  })().finally(() => (refreshing = null));
  return refreshing;
}

/** Calls the API as the signed-in user; an expired access token is refreshed once and the call made again. */
export async function api(path, options = {}) {
  if (!session) return { ok: false, status: 401, data: { title: "Not signed in." } };
  if (Date.now() >= session.refreshAt && !(await refresh())) {
    return { ok: false, status: 401, data: { title: "The session ended." } };
  }

  let answer = await send(path, { ...options, token: session.accessToken });
  if (answer.status === 401 && session && (await refresh())) {
    answer = await send(path, { ...options, token: session.accessToken });
  }

  return answer;
}

/** Ends the session on the server (the refresh token's whole family), then forgets it here. */
export async function signOut() {
  const ending = session;
  setSession(null);
  if (ending) await send("/auth/logout", { method: "POST", body: { refreshToken: ending.refreshToken } });
}

/** The newest texts to a phone from the development inbox: only where Atlas runs in Development (404 elsewhere). */
export const devTexts = (phone) => send(`/dev/sms?phone=${encodeURIComponent(phone)}`);

/** What a problem+json says, as one line for people. */
export function problemText(answer) {
  const p = answer?.data ?? {};
  const fields = p.errors ? Object.entries(p.errors).map(([field, rules]) => `${field}: ${rules.join(" ")}`) : [];
  return [p.title, p.detail, ...fields].filter(Boolean).join(" ") || `The request failed (${answer?.status}).`;
}

export const newKey = () => crypto.randomUUID();
