// The views, who may use each, and where they live (#/path/args…). The first a role may use is its home.
import { Inspector } from "./inspector.js";
import { Board, BookingDetail } from "./board.js";

const platform = ["platformAdmin"];
const company = ["companyAdmin", "dispatcher"];

export const views = [
  { path: "inspect", title: "Inspector", roles: platform, component: Inspector },
  { path: "board", title: "Board", roles: company, component: Board },
  { path: "bookings", title: "Booking", roles: company, component: BookingDetail, hidden: true },
];
