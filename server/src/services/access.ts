/**
 * Ownership rules for reads and writes, checked before anything is sent to the chain (the chain
 * checks again): who may see an invoice and who may act on it.
 */
import type { InvoiceRepository } from "../db/repositories/invoices.js";
import { AppError } from "../errors.js";
import type { Actor } from "./context.js";

/** Supervisors see the whole sandbox. */
export const isSupervisor = (actor: Actor) => actor.role === "Regulator" || actor.role === "Operator";

/**
 * Throws InvoiceNotFound unless the invoice exists and `actor` is party to it. An invoice id is
 * guessable (the keccak of seller, buyer and number): another firm's invoice answers as a missing
 * one does, so an answer never tells who trades with whom.
 */
export function requireParty(invoices: InvoiceRepository, actor: Actor, invoiceId: string): void {
  // Party: its seller or buyer, a holder of one of its pieces, a bank asked to finance one; or a supervisor.
  const visible = isSupervisor(actor) ? invoices.exists(invoiceId) : invoices.isParty(invoiceId, actor.address);
  if (!visible) throw new AppError("InvoiceNotFound", { invoiceId });
}

/** Throws unless `actor` is party to the invoice (see requireParty) and its buyer. */
export function requireBuyer(invoices: InvoiceRepository, actor: Actor, invoiceId: string): void {
  requireParty(invoices, actor, invoiceId);
  const buyer = invoices.buyerOf(invoiceId);
  if (buyer === undefined) throw new AppError("InvoiceNotFound", { invoiceId });
  if (buyer !== actor.address) throw new AppError("NotInvoiceBuyer", { invoiceId, buyer, caller: actor.address });
}

/**
 * The address whose invoices, financings or payments `actor` may see, or undefined when it may
 * see all of them (supervisors).
 */
export const visibleTo = (actor: Actor): string | undefined => (isSupervisor(actor) ? undefined : actor.address);

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
