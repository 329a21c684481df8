// The company's drivers and vehicles: who is available, where each driver last was (a map drawn from the
// coordinates themselves: no tile server), and the ride each is on. Company admins add and remove vehicles.
import { useState } from "preact/hooks";
import { html, usePoll, Answer, Table, Status, Action, time } from "../ui.js";
import { api, newKey, problemText } from "../api.js";

const active = ["assigned", "driverEnRoute", "arrived", "inProgress"];

async function load(companyId) {
  const [drivers, vehicles, board] = await Promise.all([
    api(`/companies/${encodeURIComponent(companyId)}/drivers?limit=100`),
    api(`/companies/${encodeURIComponent(companyId)}/vehicles?limit=100`),
    api(`/companies/${encodeURIComponent(companyId)}/board`),
  ]);
  if (!drivers.ok) return drivers;
  if (!vehicles.ok) return vehicles;
  const rides = {};
  for (const entry of board.ok ? board.data.items : []) {
    if (entry.ride && active.includes(entry.ride.status)) rides[entry.ride.driver.id] = entry.ride;
  }

  return { ok: true, data: { drivers: drivers.data.items, vehicles: vehicles.data.items, rides } };
}

/** Drivers' last positions on a plain projection of their own bounding box. */
function FleetMap({ drivers }) {
  const placed = drivers.filter((d) => d.lastLocation);
  if (!placed.length) return html`<p class="muted">No driver has reported a position yet.</p>`;
  const lats = placed.map((d) => d.lastLocation.lat);
  const lngs = placed.map((d) => d.lastLocation.lng);
  const pad = 0.005;
  const [south, north, west, east] = [Math.min(...lats) - pad, Math.max(...lats) + pad, Math.min(...lngs) - pad, Math.max(...lngs) + pad];
  const [w, h] = [600, 360];
  const x = (lng) => ((lng - west) / (east - west)) * (w - 40) + 20;
  const y = (lat) => ((north - lat) / (north - south)) * (h - 40) + 20;
  return html`<svg class="map" viewBox=${`0 0 ${w} ${h}`} role="img" aria-labelledby="map-title">
    <title id="map-title">Last known positions of ${placed.length} drivers</title>
    ${placed.map((d) => html`<g key=${d.id}>
      <circle cx=${x(d.lastLocation.lng)} cy=${y(d.lastLocation.lat)} r="7" class=${d.available ? "pin available" : "pin"}><title>${d.name ?? d.phone}</title></circle>
      <text x=${x(d.lastLocation.lng) + 10} y=${y(d.lastLocation.lat) + 4}>${d.name ?? d.phone}</text>
    </g>`)}
  </svg>`;
}

function AddVehicle({ companyId, done }) {
  const [form, setForm] = useState({ type: "car", seats: "4", plate: "" });
  const set = (key) => (e) => setForm({ ...form, [key]: e.currentTarget.value });
  const [message, setMessage] = useState(null);
  async function add(event) {
    event.preventDefault();
    const result = await api(`/companies/${encodeURIComponent(companyId)}/vehicles`, {
      method: "POST", idempotencyKey: newKey(), body: { type: form.type, capacity: form.type === "car" || form.type === "bike" ? { seats: Number(form.seats) } : { kg: Number(form.seats) }, plate: form.plate },
    });
    setMessage(result.ok ? `Added ${result.data.plate}.` : problemText(result));
    if (result.ok) done();
  }

  return html`<form class="inline" onSubmit=${add} aria-label="Add a vehicle">
    <label for="v-type">Type</label>
    <select id="v-type" value=${form.type} onChange=${set("type")}>${["car", "bike", "van", "truck"].map((t) => html`<option value=${t}>${t}</option>`)}</select>
    <label for="v-cap">${form.type === "car" || form.type === "bike" ? "Seats" : "Kg"}</label>
    <input id="v-cap" type="number" min="1" value=${form.seats} onInput=${set("seats")} required />
    <label for="v-plate">Plate</label>
    <input id="v-plate" value=${form.plate} onInput=${set("plate")} required />
    <button type="submit">Add vehicle</button>
    ${message && html`<span role="status">${message}</span>`}
  </form>`;
}

export function Fleet({ user }) {
  const [answer, reload] = usePoll(() => load(user.companyId), 5000, [user.companyId]);
  return html`<${Answer} answer=${answer} what="The fleet">${(fleet) => html`
    <section aria-labelledby="drivers-title">
      <h2 id="drivers-title">Drivers</h2>
      <${FleetMap} drivers=${fleet.drivers} />
      <${Table} caption="Drivers of the company" empty="No drivers yet." rowKey=${(d) => d.id} rows=${fleet.drivers} columns=${[
        { title: "Name", render: (d) => d.name ?? "—" },
        { title: "Phone", key: "phone" },
        { title: "Available", render: (d) => (d.available ? "yes" : "no") },
        { title: "Vehicle", render: (d) => d.vehicleId ?? "—" },
        { title: "Last position", render: (d) => (d.lastLocation ? `${d.lastLocation.lat.toFixed(4)}, ${d.lastLocation.lng.toFixed(4)} at ${time(d.lastLocation.at)}` : "—") },
        { title: "Active ride", render: (d) => (fleet.rides[d.id] ? html`${fleet.rides[d.id].id} <${Status} value=${fleet.rides[d.id].status} />` : "—") },
      ]} />
    </section>
    <section aria-labelledby="vehicles-title">
      <h2 id="vehicles-title">Vehicles</h2>
      <${Table} caption="Vehicles of the company" empty="No vehicles yet." rowKey=${(v) => v.id} rows=${fleet.vehicles} columns=${[
        { title: "Plate", key: "plate" },
        { title: "Type", key: "type" },
        { title: "Capacity", render: (v) => (v.capacity.seats ? `${v.capacity.seats} seats` : `${v.capacity.kg} kg`) },
        ...(user.role === "companyAdmin" ? [{ title: "", render: (v) => html`<${Action} label=${`Remove ${v.plate}`} confirm=${`Remove ${v.plate}?`}
          run=${async () => { const r = await api(`/companies/${encodeURIComponent(user.companyId)}/vehicles/${encodeURIComponent(v.id)}`, { method: "DELETE" }); reload(); return { ok: r.ok, message: r.ok ? "Removed." : problemText(r) }; }} />` }] : []),
      ]} />
      ${user.role === "companyAdmin" && html`<${AddVehicle} companyId=${user.companyId} done=${reload} />`}
    </section>`}
  </${Answer}>`;
}
