// Views are addressed by the hash (#/inspect/ride/r_123), so every address is the one page and needs no server route.
import { useEffect, useState } from "preact/hooks";

const parse = () => decodeURIComponent(location.hash.replace(/^#\/?/, "")).split("/").filter(Boolean);

export function useRoute() {
  const [route, setRoute] = useState(parse());
  useEffect(() => {
    const changed = () => setRoute(parse());
    addEventListener("hashchange", changed);
    return () => removeEventListener("hashchange", changed);
  }, []);
  return route;
}

export const navigate = (path) => {
  location.hash = "#/" + path.map(encodeURIComponent).join("/");
};

export const href = (...path) => "#/" + path.map(encodeURIComponent).join("/");
