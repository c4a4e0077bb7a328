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

/**
 * Throws InvoiceNotFound unless the invoice exists and `actor` is party to it. An invoice id is
 * guessable (the keccak of seller, buyer and number): another firm's invoice answers as a missing
 * one does, so an answer never tells who trades with whom.
 */
export function requireParty(db: Db, actor: Actor, invoiceId: string): void {
  const visible = isSupervisor(actor) ? db.prepare("SELECT 1 FROM invoices WHERE id = ?").get(invoiceId) !== undefined : isParty(db, actor, invoiceId);
  if (!visible) throw new AppError("InvoiceNotFound", { invoiceId });
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

/** Events of one firm's financing: its bank, rate, advance and reasons are that firm's business. */
const FINANCING_EVENTS = new Set(["FinancingRequested", "FinancingApproved", "FinancingRejected", "FinancingCancelled", "RecourseClaimed"]);

/**
 * True when `actor` may see an event of an invoice it is party to. A financing event only to the
 * bank and the firm financed (and supervisors), as GET /api/financings lists them.
 */
export function seesInvoiceEvent(actor: Actor, name: string, args: Record<string, unknown>): boolean {
  if (!FINANCING_EVENTS.has(name) || isSupervisor(actor)) return true;
  const me = actor.address.toLowerCase();
  return [args.bank, args.holder, args.financedParty].some((a) => typeof a === "string" && a.toLowerCase() === me);
}
