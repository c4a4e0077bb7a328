/**
 * The index's totals that the simulator's accounting checks compare with the chain and with its
 * own books (sim/checks.ts): a narrow, read-only view, so the simulator runs no SQL of its own.
 */
import type { Db } from "../database.js";

export interface InvoiceTotalsRow {
  id: string;
  status: string;
  faceAmount: number;
  paidAmount: number;
}

export class IndexTotalsRepository {
  readonly #invoices;
  readonly #pieceSums;
  readonly #payments;
  readonly #payouts;
  readonly #unevenSettled;
  readonly #outstanding;

  constructor(db: Db) {
    this.#invoices = db.prepare<[], { id: string; status: string; face_amount: number; paid_amount: number }>("SELECT id, status, face_amount, paid_amount FROM invoices");
    this.#pieceSums = db.prepare<[], { invoice_id: string; total: number }>("SELECT invoice_id, SUM(amount) AS total FROM pieces GROUP BY invoice_id");
    this.#payments = db.prepare<[], { total: number }>("SELECT COALESCE(SUM(amount), 0) AS total FROM payments");
    this.#payouts = db.prepare<[], { total: number }>("SELECT COALESCE(SUM(amount), 0) AS total FROM payouts");
    this.#unevenSettled = db.prepare<[], { n: number }>(
      `SELECT COUNT(*) AS n FROM invoices i WHERE i.status = 'Settled'
       AND i.face_amount <> (SELECT COALESCE(SUM(amount), 0) FROM payouts o WHERE o.invoice_id = i.id)`,
    );
    this.#outstanding = db.prepare<[], { address: string; outstanding: number }>("SELECT address, outstanding FROM participants");
  }

  /** Every indexed invoice, by id. */
  invoices(): Map<string, InvoiceTotalsRow> {
    return new Map(this.#invoices.all().map((r) => [r.id, { id: r.id, status: r.status, faceAmount: r.face_amount, paidAmount: r.paid_amount }]));
  }

  /** The sum of each invoice's pieces, by invoice id. */
  pieceSums(): Map<string, number> {
    return new Map(this.#pieceSums.all().map((r) => [r.invoice_id, r.total]));
  }

  /** What buyers paid, in all. */
  paymentsTotal(): number {
    return this.#payments.get()!.total;
  }

  /** What holders received, in all. */
  payoutsTotal(): number {
    return this.#payouts.get()!.total;
  }

  /** Settled invoices whose payouts do not add up to their face amount. */
  unevenlySettled(): number {
    return this.#unevenSettled.get()!.n;
  }

  /** Each participant's outstanding figure (exposure, financing or payables by role), by address. */
  outstanding(): Map<string, number> {
    return new Map(this.#outstanding.all().map((r) => [r.address, r.outstanding]));
  }
}
