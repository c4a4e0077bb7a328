/**
 * Signs in the supervisors and admits participants named after their logins, for the pilots that
 * benchmarks and tests set up (the demo seed names its firms itself).
 */
import type { Platform } from "../platform.js";
import type { Actor } from "../services/context.js";
import { DAY } from "../../../domain/time.js";

const TEN_YEARS = 3650 * DAY;

/**
 * Gives the regulator and the operator logins with `password`, and returns `admit`, which admits
 * a participant (name = username, for ten years of chain time) and returns its actor.
 */
export async function supervisedAdmission(
  platform: Pick<Platform, "services" | "regulator" | "operator">,
  password: string,
): Promise<(username: string, role: Actor["role"], tier?: number) => Promise<Actor>> {
  const { services: s, regulator, operator } = platform;
  for (const who of [regulator, operator]) {
    Object.assign(who, { userId: await s.auth.createUser(who.username, password, who.address, who.name) });
  }
  const until = s.policy.now() + TEN_YEARS;
  return async (username, role, tier) => {
    await s.participants.onboard(regulator, { name: username, role: role as never, tier, admittedUntil: until, username, password });
    return s.auth.actor(username)!;
  };
}
