// The views, who may use each, and where they live (#/path/args…). The first a role may use is its home.
import { Inspector } from "./inspector.js";
import { Board, BookingDetail } from "./board.js";
import { StripeEvents } from "./stripe.js";
import { Poison } from "./poison.js";
import { Audit } from "./audit.js";
import { Texts } from "./texts.js";
import { Settlements } from "./settlements.js";
import { Overview } from "./overview.js";
import { Fleet } from "./fleet.js";
import { Members } from "./members.js";
import { Earnings } from "./earnings.js";
import { Companies } from "./companies.js";

const platform = ["platformAdmin"];
const company = ["companyAdmin", "dispatcher"];

export const views = [
  { path: "overview", title: "Overview", roles: platform, component: Overview },
  { path: "companies", title: "Companies", roles: platform, component: Companies },
  { path: "inspect", title: "Inspector", roles: platform, component: Inspector },
  { path: "stripe-events", title: "Stripe events", roles: platform, component: StripeEvents },
  { path: "poison", title: "Poison queues", roles: platform, component: Poison },
  { path: "texts", title: "Texts", roles: platform, component: Texts },
  { path: "settlements", title: "Settlements", roles: platform, component: Settlements },
  { path: "audit", title: "Audit log", roles: platform, component: Audit },
  { path: "board", title: "Board", roles: company, component: Board },
  { path: "fleet", title: "Drivers and vehicles", roles: company, component: Fleet },
  { path: "earnings", title: "Earnings", roles: company, component: Earnings },
  { path: "members", title: "Members", roles: ["companyAdmin"], component: Members },
  { path: "bookings", title: "Booking", roles: company, component: BookingDetail, hidden: true },
];
