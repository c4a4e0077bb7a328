/**
 * Logins and sessions: users (each acting for one participant, with the participant's role and
 * name) and sessions by the SHA-256 of their token.
 */
import type { RoleName } from "../../../../domain/enums.js";
import type { Db } from "../database.js";

export interface UserRow {
  id: number;
  username: string;
  password_hash: string;
  display_name: string;
  participant: string;
  role: RoleName;
  name: string;
}

/** A live session's user, with the session's expiry. */
export interface SessionUserRow extends UserRow {
  expires_at: number;
}

const USER_SELECT = `SELECT u.id, u.username, u.password_hash, u.display_name, u.participant, p.role, p.name
                     FROM users u JOIN participants p ON p.address = u.participant`;

const SESSION_SELECT = `SELECT u.id, u.username, u.password_hash, u.display_name, u.participant, p.role, p.name, s.expires_at
                        FROM sessions s JOIN users u ON u.id = s.user_id JOIN participants p ON p.address = u.participant`;

export class UserRepository {
  readonly #insert;
  readonly #byUsername;
  readonly #taken;
  readonly #logins;

  constructor(db: Db) {
    this.#insert = db.prepare<[string, string, string, string, number]>(
      "INSERT INTO users(username, password_hash, participant, display_name, created_at) VALUES (?, ?, ?, ?, ?)",
    );
    this.#byUsername = db.prepare<[string], UserRow>(`${USER_SELECT} WHERE u.username = ?`);
    this.#taken = db.prepare<[string], unknown>("SELECT 1 FROM users WHERE username = ?");
    this.#logins = db.prepare<[string], { username: string }>("SELECT username FROM users WHERE participant = ? ORDER BY id");
  }

  /** Creates a login; returns its id. */
  insert(username: string, passwordHash: string, participant: string, displayName: string, createdAt: number): number {
    return Number(this.#insert.run(username, passwordHash, participant, displayName, createdAt).lastInsertRowid);
  }

  byUsername(username: string): UserRow | undefined {
    return this.#byUsername.get(username);
  }

  isTaken(username: string): boolean {
    return this.#taken.get(username) !== undefined;
  }

  /** The usernames that sign in as participant `address`, oldest first. */
  usernamesOf(address: string): string[] {
    return this.#logins.all(address).map((r) => r.username);
  }
}

export class SessionRepository {
  readonly #insert;
  readonly #live;
  readonly #expiry;
  readonly #delete;
  readonly #purge;

  constructor(db: Db) {
    this.#insert = db.prepare<[string, number, number, number]>("INSERT INTO sessions(token_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)");
    this.#live = db.prepare<[string, number], SessionUserRow>(`${SESSION_SELECT} WHERE s.token_hash = ? AND s.expires_at > ?`);
    this.#expiry = db.prepare<[string], { expires_at: number }>("SELECT expires_at FROM sessions WHERE token_hash = ?");
    this.#delete = db.prepare<[string]>("DELETE FROM sessions WHERE token_hash = ?");
    this.#purge = db.prepare<[number]>("DELETE FROM sessions WHERE expires_at <= ?");
  }

  insert(tokenHash: string, userId: number, createdAt: number, expiresAt: number): void {
    this.#insert.run(tokenHash, userId, createdAt, expiresAt);
  }

  /** The user of the session, if it expires after `now` (Unix seconds). */
  live(tokenHash: string, now: number): SessionUserRow | undefined {
    return this.#live.get(tokenHash, now);
  }

  /** The session's expiry (Unix seconds), expired or not; undefined when there is no such session. */
  expiry(tokenHash: string): number | undefined {
    return this.#expiry.get(tokenHash)?.expires_at;
  }

  delete(tokenHash: string): void {
    this.#delete.run(tokenHash);
  }

  /** Deletes the sessions expired at `now` (Unix seconds). */
  purgeExpired(now: number): void {
    this.#purge.run(now);
  }
}
