/**
 * Users and sessions. Passwords are stored as scrypt hashes (memory-hard: 32 MiB per attempt);
 * a session is a random token the client presents as a bearer token or cookie, stored only as
 * its SHA-256, with an expiry.
 */
import { createHash, randomBytes, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from "node:crypto";

import type { RoleName } from "../../../domain/enums.js";
import { getMeta, type Db } from "../db/database.js";
import { SessionRepository, UserRepository, type UserRow } from "../db/repositories/users.js";
import { AppError } from "../errors.js";
import type { Actor } from "./context.js";

const SCRYPT: ScryptOptions = { N: 1 << 15, r: 8, p: 1, maxmem: 64 << 20 };
const KEY_LENGTH = 32;

function scrypt(password: string, salt: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scryptCb(password, salt, KEY_LENGTH, SCRYPT, (error, key) => (error ? reject(error) : resolve(key))),
  );
}

/** `scrypt$N$r$p$salt$hash`, hex. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(password, salt);
  return `scrypt$${SCRYPT.N}$${SCRYPT.r}$${SCRYPT.p}$${salt.toString("hex")}$${key.toString("hex")}`;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, , , , saltHex, hashHex] = stored.split("$");
  if (scheme !== "scrypt" || saltHex === undefined || hashHex === undefined) return false;
  const key = await scrypt(password, Buffer.from(saltHex, "hex"));
  const expected = Buffer.from(hashHex, "hex");
  return expected.length === key.length && timingSafeEqual(expected, key);
}

const tokenHash = (token: string) => createHash("sha256").update(token).digest("hex");

/** How long a session found is remembered (see AuthService.session), and how many at most. */
const SESSION_MEMORY_MS = 5_000;
const MAX_LIVE_SESSIONS = 10_000;

const toActor = (u: UserRow): Actor => ({
  userId: u.id,
  username: u.username,
  displayName: u.display_name,
  address: u.participant,
  role: u.role,
  name: u.name,
});

/** A dummy hash so a login for an unknown user costs as much as one for a known user. */
let dummyHash: Promise<string> | undefined;

export class AuthService {
  /** Sessions recently found, by token hash: the actor, the session's expiry, when to look again. */
  readonly #live = new Map<string, { actor: Actor; expiresAt: number; until: number }>();
  /** What to call when a session ends (see onEnd), by token hash. */
  readonly #ends = new Map<string, Set<() => void>>();
  readonly #users: UserRepository;
  readonly #sessions: SessionRepository;

  constructor(
    private readonly db: Db,
    private readonly sessionTtlMs: number,
  ) {
    this.#users = new UserRepository(db);
    this.#sessions = new SessionRepository(db);
  }

  async createUser(username: string, password: string, participant: string, displayName: string): Promise<number> {
    const hash = await hashPassword(password);
    return this.#users.insert(username, hash, participant, displayName, Math.floor(Date.now() / 1000));
  }

  async login(username: string, password: string): Promise<{ token: string; expiresAt: number; actor: Actor }> {
    const user = this.#users.byUsername(username);
    if (user === undefined) {
      dummyHash ??= hashPassword("no such user");
      await verifyPassword(password, await dummyHash);
      throw new AppError("InvalidCredentials");
    }
    if (!(await verifyPassword(password, user.password_hash))) throw new AppError("InvalidCredentials");
    const token = randomBytes(32).toString("base64url");
    const now = Date.now();
    const expiresAt = Math.floor((now + this.sessionTtlMs) / 1000);
    this.#sessions.insert(tokenHash(token), user.id, Math.floor(now / 1000), expiresAt);
    return { token, expiresAt, actor: toActor(user) };
  }

  /** The usernames that sign in as participant `address`. */
  loginsOf(address: string): string[] {
    return this.#users.usernamesOf(address);
  }

  /** The actor a user acts as, by username (undefined for an unknown user). */
  actor(username: string): Actor | undefined {
    const row = this.#users.byUsername(username);
    return row === undefined ? undefined : toActor(row);
  }

  /**
   * The actor of a live session, or undefined (unknown or expired token). Every request asks, so
   * a session found is remembered for a few seconds (never past its expiry; forgotten at logout).
   */
  session(token: string): Actor | undefined {
    const hash = tokenHash(token);
    const nowMs = Date.now();
    const now = Math.floor(nowMs / 1000);
    const known = this.#live.get(hash);
    if (known !== undefined && nowMs < known.until && now < known.expiresAt) return known.actor;
    const row = this.#sessions.live(hash, now);
    if (row === undefined) {
      this.#live.delete(hash);
      return undefined;
    }
    const actor = toActor(row);
    if (this.#live.size >= MAX_LIVE_SESSIONS) this.#live.delete(this.#live.keys().next().value as string);
    this.#live.set(hash, { actor, expiresAt: row.expires_at, until: nowMs + SESSION_MEMORY_MS });
    return actor;
  }

  logout(token: string): void {
    const hash = tokenHash(token);
    this.#live.delete(hash);
    this.#sessions.delete(hash);
    for (const ended of [...(this.#ends.get(hash) ?? [])]) ended();
  }

  /**
   * Calls `ended` once when the session of `token` ends: at its logout or its expiry (at once when
   * it is not live). For what outlives a request, such as an event stream, which must not go on
   * serving a session that ended. Returns a function that stops watching.
   */
  onEnd(token: string, ended: () => void): () => void {
    const hash = tokenHash(token);
    const expiresAt = this.#sessions.expiry(hash);
    if (expiresAt === undefined) {
      ended();
      return () => {};
    }
    let timer: NodeJS.Timeout | undefined;
    const stop = () => {
      clearTimeout(timer);
      const watchers = this.#ends.get(hash);
      watchers?.delete(fire);
      if (watchers?.size === 0) this.#ends.delete(hash);
    };
    const fire = () => {
      stop();
      ended();
    };
    // setTimeout waits at most 2^31 - 1 ms (under 25 days); a longer session waits in steps.
    const wait = () => {
      const ms = expiresAt * 1000 - Date.now();
      if (ms <= 0) return fire();
      timer = setTimeout(wait, Math.min(ms, 2 ** 31 - 1)).unref();
    };
    if (!this.#ends.has(hash)) this.#ends.set(hash, new Set());
    this.#ends.get(hash)!.add(fire);
    wait();
    return stop;
  }

  /** The demo pilot's logins (set by the seed), shown on the login page. */
  demoLogins(): { username: string; password: string; role: RoleName; name: string }[] {
    return JSON.parse(getMeta(this.db, "demo_logins") ?? "[]") as { username: string; password: string; role: RoleName; name: string }[];
  }

  purgeExpired(): void {
    this.#live.clear();
    this.#sessions.purgeExpired(Math.floor(Date.now() / 1000));
  }
}
