/** The session a request carries: the cookie the login sets, or a bearer token. */
import type { Request } from "express";

export const SESSION_COOKIE = "scf_session";

/** The session token of a request: `Authorization: Bearer <token>` or the session cookie. */
export function tokenOf(req: Request): string | undefined {
  const header = req.get("authorization");
  if (header?.startsWith("Bearer ")) return header.slice(7).trim();
  const cookie = req.get("cookie");
  const match = cookie === undefined ? null : new RegExp(`(?:^|;\\s*)${SESSION_COOKIE}=([^;]+)`).exec(cookie);
  if (match === null) return undefined;
  try {
    return decodeURIComponent(match[1]);
  } catch {
    return undefined; // a mangled cookie is no session
  }
}
