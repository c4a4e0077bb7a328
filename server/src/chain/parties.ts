/**
 * Which participants an event concerns, the one rule for both the index (which tells listeners
 * live) and the live-update stream's catch-up (which finds them again from the stored event).
 * A firm sees the events that concern it; the regulator and the operator see every event.
 */
import type { EventName, LogOf } from "./contracts.js";

const ZERO_ADDRESS = "0x0000000000000000000000000000000000000000";

/** Who event `E` concerns: arguments naming participants (the actor first), and who else. */
interface PartyRule<E extends EventName> {
  /** The arguments that name participants, the acting one first. */
  args: readonly (keyof LogOf<E>["args"] & string)[];
  /** Also the invoice's seller and buyer (events of an invoice that name neither). */
  invoice?: true;
  /** Also every holder of the invoice's pieces (receivable-wide events). */
  holders?: true;
}

/** Every contract event's rule; the compiler refuses an event of the ABIs without one. */
export const partyRules: { readonly [E in EventName]: PartyRule<E> } = {
  // admission
  ParticipantAdmitted: { args: ["by", "account"] },
  ParticipantRemoved: { args: ["by", "account"] },
  AdmissionRenewed: { args: ["by", "account"] },
  ParticipantFrozen: { args: ["by", "account"] },
  ParticipantUnfrozen: { args: ["by", "account"] },
  // invoices
  InvoiceSubmitted: { args: ["seller", "buyer"] },
  InvoiceConfirmed: { args: ["buyer", "seller"] },
  InvoiceDisputed: { args: ["buyer"], invoice: true },
  ReceivableOverdue: { args: [], invoice: true, holders: true },
  ReceivableDefaulted: { args: [], invoice: true, holders: true },
  ReceivableFrozen: { args: ["by"], invoice: true, holders: true },
  ReceivableUnfrozen: { args: ["by"], invoice: true, holders: true },
  // pieces
  PieceTransferred: { args: ["from", "to"], invoice: true },
  // financing
  FinancingRequested: { args: ["holder", "bank"] },
  FinancingApproved: { args: ["bank", "holder"] },
  FinancingRejected: { args: ["bank", "holder"] },
  FinancingCancelled: { args: ["holder", "bank"] },
  // settlement
  PaymentReceived: { args: ["buyer"], invoice: true },
  PieceSettled: { args: ["holder"] },
  RecourseClaimed: { args: ["bank", "financedParty"] },
  // governance
  LimitChanged: { args: ["by"] },
  PilotWindowChanged: { args: ["by"] },
  SandboxPaused: { args: ["by"] },
  SandboxResumed: { args: ["by"] },
  WindDownStarted: { args: ["by"] },
  LedgerBound: { args: ["by"] },
  // token: a mint or burn names the zero address, which is nobody
  Transfer: { args: ["from", "to"] },
  Approval: { args: [] },
  SettlementAgentBound: { args: [] },
};

/** The invoice an event belongs to, asked only when the event's rule needs it. */
export interface InvoiceParties {
  /** The invoice's seller and buyer (none when the index does not know the invoice). */
  sellerAndBuyer(): string[];
  /** Every holder of the invoice's pieces. */
  holders(): string[];
}

/**
 * The participants event `name` with `args` concerns, the acting one first (it may repeat one);
 * none for an event no rule knows. `args` are decoded or as stored (addresses as strings).
 */
export function partiesOf(name: string, args: Readonly<Record<string, unknown>>, invoice: InvoiceParties): string[] {
  const rule = (partyRules as Record<string, PartyRule<EventName> | undefined>)[name];
  if (rule === undefined) return [];
  const parties = rule.args.map((arg) => String(args[arg]));
  if (rule.invoice) parties.push(...invoice.sellerAndBuyer());
  if (rule.holders) parties.push(...invoice.holders());
  return parties.filter((p) => p !== ZERO_ADDRESS);
}
