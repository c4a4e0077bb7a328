/**
 * The indexed events of the platform's contracts as the services read them: an invoice's
 * timeline, the sandbox's pauses, and the events after an id for a reconnecting live stream.
 */
import type { Db } from "../database.js";

/** An event as the events table keeps it (its arguments as JSON). */
export interface EventRow {
  id: number;
  name: string;
  contract: string;
  timestamp: number;
  block_number: number;
  tx_hash: string;
  invoice_id: string | null;
  actor: string | null;
  args: string;
}

/** An event with its invoice's seller and buyer (null when it concerns no invoice). */
export interface EventWithPartiesRow extends Omit<EventRow, "actor"> {
  seller: string | null;
  buyer: string | null;
}

export class EventRepository {
  readonly #ofInvoice;
  readonly #pauses;
  readonly #after;
  readonly #holders;

  constructor(db: Db) {
    this.#ofInvoice = db.prepare<[string], Omit<EventRow, "contract" | "invoice_id">>(
      "SELECT id, name, timestamp, block_number, tx_hash, actor, args FROM events WHERE invoice_id = ? ORDER BY id",
    );
    this.#pauses = db.prepare<[], { name: string; timestamp: number }>(
      "SELECT name, timestamp FROM events WHERE name IN ('SandboxPaused', 'SandboxResumed') ORDER BY id",
    );
    this.#after = db.prepare<[number], EventWithPartiesRow>(
      `SELECT e.id, e.name, e.contract, e.invoice_id, e.timestamp, e.block_number, e.tx_hash, e.args, i.seller, i.buyer
       FROM events e LEFT JOIN invoices i ON i.id = e.invoice_id WHERE e.id > ? ORDER BY e.id LIMIT 1000`,
    );
    this.#holders = db.prepare<[string], { holder: string }>("SELECT DISTINCT holder FROM pieces WHERE invoice_id = ?");
  }

  /** Every event of the invoice, oldest first. */
  ofInvoice(invoiceId: string): Omit<EventRow, "contract" | "invoice_id">[] {
    return this.#ofInvoice.all(invoiceId);
  }

  /** The sandbox's pauses and resumptions, oldest first. */
  pausesAndResumptions(): { name: string; timestamp: number }[] {
    return this.#pauses.all();
  }

  /** The next (at most 1,000) events after id `after`, oldest first, with their invoice's parties. */
  after(after: number): EventWithPartiesRow[] {
    return this.#after.all(after);
  }

  /** Today's holders of the invoice's pieces. */
  holdersOf(invoiceId: string): string[] {
    return this.#holders.all(invoiceId).map((h) => h.holder);
  }
}
