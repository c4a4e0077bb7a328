/** The platform's own participants (the operator, the regulator) and their logins, if any. */
import type { Db } from "../database.js";

export interface PlatformParticipantRow {
  name: string;
  /** The participant's first login, if one was created. */
  user: { id: number; username: string; displayName: string } | undefined;
}

export class PlatformParticipantRepository {
  readonly #upsert;
  readonly #register;
  readonly #user;
  readonly #name;

  constructor(db: Db) {
    // A name given by the regulator is kept; the address as a placeholder name is replaced.
    this.#upsert = db.prepare<[string, string, string, number]>(
      `INSERT INTO participants(address, name, role, created_at) VALUES (?, ?, ?, ?)
       ON CONFLICT(address) DO UPDATE SET name = CASE WHEN participants.name = participants.address THEN excluded.name ELSE participants.name END`,
    );
    this.#register = db.prepare<[string, string, string, number]>(
      "INSERT INTO participants(address, name, role, created_at) VALUES (?, ?, ?, ?) ON CONFLICT(address) DO NOTHING",
    );
    this.#user = db.prepare<[string], { id: number; username: string; display_name: string }>("SELECT id, username, display_name FROM users WHERE participant = ?");
    this.#name = db.prepare<[string], { name: string }>("SELECT name FROM participants WHERE address = ?");
  }

  /** Registers the account of a key the platform holds, named by its address until the start names it (see ensure). */
  register(address: string, role: "Operator" | "Regulator", now: number): void {
    this.#register.run(address, address, role, now);
  }

  /** Registers `address` as a participant of `role` named `name` (unless renamed since) and reads it back. */
  ensure(address: string, role: "Operator" | "Regulator", name: string, now: number): PlatformParticipantRow {
    this.#upsert.run(address, name, role, now);
    const user = this.#user.get(address);
    return {
      name: this.#name.get(address)!.name,
      user: user === undefined ? undefined : { id: user.id, username: user.username, displayName: user.display_name },
    };
  }
}
