/**
 * Ownership rules for reads and writes, checked before anything is sent to the chain (the chain
 * checks again): who may see an invoice and who may act on it.
 */
import type { Db } from "../db/database.js";
import { AppError } from "../errors.js";
import type { Actor } from "./context.js";

/** Supervisors see the whole sandbox. */
export const isSupervisor = (actor: Actor) => actor.role === "Regulator" || actor.role === "Operator";

/**
 * True when `actor` is a party to the invoice: its seller or buyer, a holder of one of its pieces,
 * a bank asked to finance one, or a supervisor.
 */
export function isParty(db: Db, actor: Actor, invoiceId: string): boolean {
  if (isSupervisor(actor)) return true;
  const row = db
    .prepare(
      `SELECT 1 FROM invoices i WHERE i.id = @id AND (i.seller = @me OR i.buyer = @me
         OR EXISTS (SELECT 1 FROM pieces WHERE invoice_id = @id AND holder = @me)
         OR EXISTS (SELECT 1 FROM financings WHERE invoice_id = @id AND (bank = @me OR holder = @me)))`,
    )
    .get({ id: invoiceId, me: actor.address });
  return row !== undefined;
}

/** Throws NotFound for an unknown invoice and Forbidden for one the actor is not party to. */
export function requireParty(db: Db, actor: Actor, invoiceId: string): void {
  const exists = db.prepare("SELECT 1 FROM invoices WHERE id = ?").get(invoiceId);
  if (exists === undefined) throw new AppError("InvoiceNotFound", { invoiceId });
  if (!isParty(db, actor, invoiceId)) throw new AppError("Forbidden", { role: actor.role });
}

/** SQL condition (on alias `i`) restricting invoice lists to what `actor` may see. */
export function visibleInvoices(actor: Actor): { sql: string; params: unknown[] } {
  if (isSupervisor(actor)) return { sql: "1", params: [] };
  return {
    sql: `(i.seller = ? OR i.buyer = ? OR EXISTS (SELECT 1 FROM pieces x WHERE x.invoice_id = i.id AND x.holder = ?)
           OR EXISTS (SELECT 1 FROM financings y WHERE y.invoice_id = i.id AND (y.bank = ? OR y.holder = ?)))`,
    params: [actor.address, actor.address, actor.address, actor.address, actor.address],
  };
}
