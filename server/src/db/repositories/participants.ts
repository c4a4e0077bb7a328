/**
 * Participants as the index keeps them (admission, freeze, outstanding amounts), the row written
 * at onboarding, and their names kept in memory for receivables pages (NameBook).
 */
import type { RoleName } from "../../../../domain/enums.js";
import type { Db } from "../database.js";

export interface ParticipantRow {
  address: string;
  name: string;
  role: string;
  tier: number | null;
  admitted_until: number | null;
  frozen: number;
  removed: number;
  outstanding: number;
}

export class ParticipantRepository {
  readonly #get;
  readonly #upsert;

  constructor(private readonly db: Db) {
    this.#get = db.prepare<[string], ParticipantRow>("SELECT * FROM participants WHERE address = ?");
    this.#upsert = db.prepare<[string, string, RoleName, number | null, number]>(
      `INSERT INTO participants(address, name, role, tier, created_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT(address) DO UPDATE SET name = excluded.name, tier = excluded.tier`,
    );
  }

  /** One page of participants (of one role, when given), by role and name, and how many match. */
  list(role: string | undefined, limit: number, offset: number): { rows: ParticipantRow[]; total: number } {
    const where = role === undefined ? "1" : "role = ?";
    const params = role === undefined ? [] : [role];
    const total = this.db.prepare<string[], { n: number }>(`SELECT COUNT(*) AS n FROM participants WHERE ${where}`).get(...params)?.n ?? 0;
    const rows = this.db
      .prepare<unknown[], ParticipantRow>(`SELECT * FROM participants WHERE ${where} ORDER BY role, name LIMIT ? OFFSET ?`)
      .all(...params, limit, offset);
    return { rows, total };
  }

  /** The participant at a checksummed address (an exact match is one primary-key lookup). */
  get(address: string): ParticipantRow | undefined {
    return this.#get.get(address);
  }

  /** Records a participant being onboarded (its admission then comes from the chain's events). */
  upsert(address: string, name: string, role: RoleName, tier: number | null, createdAt: number): void {
    this.#upsert.run(address, name, role, tier, createdAt);
  }
}

/**
 * The participants' names, kept in memory for pages of invoices: looking up a page's two names
 * per row in SQLite (joins) cost about a third of a receivables page's query. One value, moved by
 * triggers on every change of a name (migration 4), tells when to read them again.
 */
export class NameBook {
  #version: string | undefined;
  #names = new Map<string, string>();
  readonly #versionOf;
  readonly #all;

  constructor(db: Db) {
    this.#versionOf = db.prepare<[], { value: string }>("SELECT value FROM meta WHERE key = 'participant_names'");
    this.#all = db.prepare<[], { address: string; name: string }>("SELECT address, name FROM participants");
  }

  /** The names as they are now (read again if any changed since the last call). */
  current(): ReadonlyMap<string, string> {
    const version = this.#versionOf.get()?.value;
    if (version === undefined || version !== this.#version) {
      this.#names = new Map(this.#all.all().map((r) => [r.address, r.name]));
      this.#version = version;
    }
    return this.#names;
  }
}
