// The company's live board: its bookings and rides by state, refreshed every two seconds from one call
// (GET /api/companies/{id}/board) with the user's own token, so a company sees only its own; each bid window counts
// down on the app's clock.
import { html, usePoll, useNow, Answer, Status, money, time } from "../ui.js";
import { api } from "../api.js";
import { href } from "../router.js";

const columns = [
  { title: "Bidding", statuses: ["scheduled", "bidding", "awarding"] },
  { title: "Assigned", statuses: ["assigned"] },
  { title: "Done", statuses: ["completed", "cancelled", "noShow", "expired"] },
];

// The server's clock, as of the answer plus the time since: a countdown runs on the app's time, not the browser's.
const serverNow = (board, now) => Date.parse(board.asOf) + (now - board.receivedAt);

function Countdown({ closesAt, now }) {
  const left = Math.max(0, Math.round((Date.parse(closesAt) - now) / 1000));
  return html`<span class="countdown" aria-label=${`Bid window closes in ${left} seconds`}>${left > 0 ? `closes in ${Math.floor(left / 60)}:${String(left % 60).padStart(2, "0")}` : "closing…"}</span>`;
}

function Card({ booking, ride, now }) {
  return html`<li class="card" data-booking=${booking.id}>
    <a href=${href("bookings", booking.id)}>${booking.id}</a>
    <${Status} value=${booking.status} />
    ${booking.bidding?.closesAt && ["bidding", "scheduled"].includes(booking.status) && html`<${Countdown} closesAt=${booking.bidding.closesAt} now=${now} />`}
    ${ride && html`<span>ride <${Status} value=${ride.status} /></span>`}
    <span class="muted">${money(booking.quote.total, booking.quote.currency)} · ${time(booking.bookedAt)}</span>
  </li>`;
}

export function Board({ user }) {
  const [answer] = usePoll(async () => {
    const board = await api(`/companies/${encodeURIComponent(user.companyId)}/board`);
    return board.ok ? { ...board, data: { ...board.data, receivedAt: Date.now() } } : board;
  }, 2000, [user.companyId]);
  const tick = useNow();
  return html`<${Answer} answer=${answer} what="The board">${(board) => {
    const now = serverNow(board, tick);
    const entries = board.items;
    return html`
    <div class="board">
      ${columns.map((column) => {
        const mine = entries.filter((e) => column.statuses.includes(e.booking.status));
        return html`<section class="column" aria-labelledby=${`col-${column.title}`}>
          <h2 id=${`col-${column.title}`}>${column.title} <span class="count">${mine.length}</span></h2>
          <ul>${mine.map((e) => html`<${Card} key=${e.booking.id} ...${e} now=${now} />`)}</ul>
        </section>`;
      })}
    </div>`;
  }}
  </${Answer}>`;
}

export function BookingDetail({ args }) {
  const id = args[0];
  const [answer] = usePoll(() => api(`/bookings/${encodeURIComponent(id ?? "")}`), 3000, [id]);
  if (!id) return html`<p>Pick a booking on the <a href=${href("board")}>board</a>.</p>`;
  return html`<${Answer} answer=${answer} what=${`Booking ${id}`}>${(b) => html`
    <dl class="facts">
      <dt>Booking</dt><dd>${b.id}</dd>
      <dt>Status</dt><dd><${Status} value=${b.status} /></dd>
      <dt>Booked</dt><dd>${time(b.bookedAt)}</dd>
      <dt>Vehicle</dt><dd>${b.vehicleType}</dd>
      <dt>Quote</dt><dd>${money(b.quote.total, b.quote.currency)}</dd>
      <dt>Bid window</dt><dd>${b.bidding ? `${time(b.bidding.opensAt)} – ${time(b.bidding.closesAt)}` : "—"}</dd>
      <dt>Ride</dt><dd>${b.assignment ? `${b.assignment.rideId} (driver ${b.assignment.driverId}, ${money(b.assignment.price, b.assignment.currency)})` : "—"}</dd>
    </dl>`}
  </${Answer}>`;
}
