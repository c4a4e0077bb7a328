/**
 * The event index: applies the contracts' events, in chain order, to the read models the API
 * serves (invoices, pieces, financings, payments, participants) and to the audit trail. It holds
 * no rule of its own: every figure is what the events say, so the index can always be rebuilt
 * from the chain. `apply` runs inside the caller's database transaction.
 */
import { checksummed } from "./addresses.js";

import { FinancingStatus, InvoiceStatus, nameOf, PieceStatus, Role } from "../../../domain/enums.js";
import type { Db } from "../db/database.js";
import type { DecodedLog, EventName, LogOf } from "./contracts.js";
import { partiesOf, type InvoiceParties } from "./parties.js";
import { holdersOf, projectionStatements, type ProjectionStatements } from "../db/repositories/projections.js";

/** What the index tells listeners after each committed batch (live updates). */
export interface IndexedEvent {
  id: number;
  name: string;
  contract: string;
  invoiceId: string | null;
  timestamp: number;
  blockNumber: number;
  txHash: string;
  /** Every participant the event concerns (for per-role live updates). */
  parties: string[];
  args: Record<string, string | number | boolean>;
}

type Args = Readonly<Record<string, unknown>>;

const addr = (v: string) => checksummed(v);
const num = (v: bigint) => Number(v);
/** The holder's maximum rate as the ledger stores it: capped at a uint16, above every ceiling. */
const storedMaxRate = (v: bigint) => Number(v > 0xffffn ? 0xffffn : v);

/** Event arguments as JSON-safe values (bigints as decimal strings). */
export function plainArgs(args: Args): Record<string, string | number | boolean> {
  const out: Record<string, string | number | boolean> = {};
  for (const [k, v] of Object.entries(args)) {
    out[k] = typeof v === "bigint" ? v.toString() : typeof v === "boolean" || typeof v === "number" ? v : String(v);
  }
  return out;
}

export class Indexer {
  readonly #stmts: ProjectionStatements;
  readonly #holdersOf: (invoiceId: string | null) => string[];
  /** The invoice of the event being applied, for {#invoiceParties}. */
  #invoiceId: string | null = null;
  /**
   * Who an event's invoice concerns, asked by partiesOf only when its rule needs it. One object for
   * every event (reading {#invoiceId}): two closures made per event cost more than most lookups.
   */
  readonly #invoiceParties: InvoiceParties = {
    sellerAndBuyer: () => {
      const inv = this.#stmts.invoice.get(this.#invoiceId) as { seller: string; buyer: string } | undefined;
      return inv === undefined ? [] : [inv.seller, inv.buyer];
    },
    holders: () => this.#holders(this.#invoiceId),
  };

  constructor(private readonly db: Db) {
    this.#stmts = projectionStatements(db);
    this.#holdersOf = holdersOf(db);
  }

  /** Applies one decoded log seen at `timestamp`; returns what listeners should hear. */
  apply(log: DecodedLog, timestamp: number): IndexedEvent {
    const a: Args = log.args;
    const invoiceId = typeof a.invoiceId === "string" ? a.invoiceId : null;
    const at: At = { id: invoiceId, ts: timestamp, txHash: log.txHash };
    // The union of handlers, called with its own event's arguments (the table pairs them by name).
    (projections[log.name] as (indexer: Indexer, a: Args, at: At) => void)(this, a, at);
    this.#invoiceId = invoiceId;
    const parties = partiesOf(log.name, a, this.#invoiceParties);
    const actor = parties[0] ?? null;
    const args = plainArgs(a);
    const result = this.#stmts.insertEvent.run(
      log.blockNumber,
      log.logIndex,
      log.txHash,
      timestamp,
      log.contract,
      log.name,
      invoiceId,
      actor,
      JSON.stringify(args),
    );
    return {
      id: Number(result.lastInsertRowid),
      name: log.name,
      contract: log.contract,
      invoiceId,
      timestamp,
      blockNumber: log.blockNumber,
      txHash: log.txHash,
      parties: [...new Set(parties)],
      args,
    };
  }

  /** The prepared statements, for the projections below. */
  get statements() {
    return this.#stmts;
  }

  latestFinancing(id: string | null, pieceIndex: bigint | number): { id: number; holder: string; bank: string } {
    const f = this.#stmts.latestFinancing.get(id, Number(pieceIndex)) as { id: number; holder: string; bank: string } | undefined;
    if (f === undefined) throw new Error(`index out of step: no financing for ${id}#${String(pieceIndex)}`);
    return f;
  }

  #holders(id: string | null): string[] {
    return this.#holdersOf(id);
  }
}

/** Status names as stored in the read models. */
export const statusNames = {
  invoice: (v: number) => nameOf(InvoiceStatus, v),
  piece: (v: number) => nameOf(PieceStatus, v),
  financing: (v: number) => nameOf(FinancingStatus, v),
};

/** Where an event happened: its invoice (if it names one), block time and transaction. */
interface At {
  id: string | null;
  ts: number;
  txHash: string;
}

/** How one event updates the read models, given its decoded arguments. */
type Projection<E extends EventName> = (indexer: Indexer, a: LogOf<E>["args"], at: At) => void;

/** Events that change no read model (the audit trail still records them). */
const recordOnly = () => {};

/**
 * Every contract event's projection onto the read models. Typed by the ABIs' event names, so an
 * event added to a contract does not compile until it is handled here (and in ./parties.ts).
 */
export const projections: { readonly [E in EventName]: Projection<E> } = {
  // ---- admission -------------------------------------------------------------------------
  ParticipantAdmitted: ({ statements: s }, a, { ts }) => {
    const account = addr(a.account);
    s.upsertParticipant.run(account, account, nameOf(Role, num(a.role)), num(a.admittedUntil), ts);
  },
  ParticipantRemoved: ({ statements: s }, a) => void s.removed.run(1, addr(a.account)),
  AdmissionRenewed: ({ statements: s }, a) => void s.admittedUntil.run(num(a.admittedUntil), addr(a.account)),
  ParticipantFrozen: ({ statements: s }, a) => void s.participantFrozen.run(1, addr(a.account)),
  ParticipantUnfrozen: ({ statements: s }, a) => void s.participantFrozen.run(0, addr(a.account)),

  // ---- invoices --------------------------------------------------------------------------
  InvoiceSubmitted: ({ statements: s }, a, { id, ts }) =>
    void s.insertInvoice.run(
      id,
      addr(a.seller),
      addr(a.buyer),
      a.invoiceNumber,
      num(a.faceAmount),
      num(a.issueDate),
      num(a.dueDate),
      a.documentHash,
      ts,
    ),
  InvoiceConfirmed: ({ statements: s }, a, { id, ts }) => {
    s.confirm.run(ts, id);
    s.insertPiece.run(id, 0, addr(a.seller), num(a.faceAmount), 1, 0, ts);
    s.outstanding.run(num(a.faceAmount), addr(a.buyer));
  },
  InvoiceDisputed: ({ statements: s }, a, { id }) => void s.dispute.run(a.reason, id),
  ReceivableOverdue: ({ statements: s }, _a, { id }) => void s.invoiceStatus.run("Overdue", id),
  ReceivableDefaulted: ({ statements: s }, _a, { id }) => void s.invoiceStatus.run("Defaulted", id),
  ReceivableFrozen: ({ statements: s }, _a, { id }) => void s.frozen.run(1, id),
  ReceivableUnfrozen: ({ statements: s }, _a, { id }) => void s.frozen.run(0, id),

  // ---- pieces ----------------------------------------------------------------------------
  PieceTransferred: ({ statements: s }, a, { id, ts }) => {
    const from = num(a.fromIndex);
    const to = num(a.toIndex);
    if (from === to) {
      s.movePiece.run(addr(a.to), num(a.tier), id, from);
    } else {
      s.shrinkPiece.run(num(a.amount), id, from);
      s.insertPiece.run(id, to, addr(a.to), num(a.amount), num(a.tier), from, ts);
      s.pieceCount.run(id);
    }
  },

  // ---- financing -------------------------------------------------------------------------
  FinancingRequested: ({ statements: s }, a, { id, ts }) => {
    s.insertFinancing.run(id, num(a.pieceIndex), addr(a.holder), addr(a.bank), num(a.amount), a.withRecourse ? 1 : 0, storedMaxRate(a.maxRateBps), ts);
    s.pieceStatus.run("Locked", id, num(a.pieceIndex));
  },
  FinancingApproved: (indexer, a, { id, ts }) => {
    const s = indexer.statements;
    const f = indexer.latestFinancing(id, a.pieceIndex);
    const amount = num(a.discount) + num(a.advance);
    s.approveFinancing.run(ts, num(a.rateBps), num(a.daysToMaturity), num(a.discount), num(a.advance), f.id);
    s.pieceHolderStatus.run(addr(a.bank), "Financed", id, num(a.pieceIndex));
    s.outstanding.run(amount, addr(a.bank));
    s.outstanding.run(amount, addr(a.holder));
  },
  FinancingRejected: (indexer, a, at) => financingClosed(indexer, "Rejected", a.pieceIndex, a.reason, at),
  FinancingCancelled: (indexer, a, at) => financingClosed(indexer, "Cancelled", a.pieceIndex, null, at),

  // ---- settlement ------------------------------------------------------------------------
  PaymentReceived: ({ statements: s }, a, { id, ts, txHash }) => {
    s.paid.run(num(a.paidTotal), num(a.paidTotal), num(a.paidTotal), ts, id);
    s.insertPayment.run(id, addr(a.buyer), num(a.amount), num(a.paidTotal), ts, txHash);
    s.outstanding.run(-num(a.amount), addr(a.buyer));
  },
  PieceSettled: (indexer, a, { id, ts }) => {
    const s = indexer.statements;
    const index = num(a.pieceIndex);
    const piece = s.piece.get(id, index) as { status: string } | undefined;
    s.pieceReceived.run(num(a.amount), id, index);
    s.insertPayout.run(id, index, addr(a.holder), num(a.amount), ts);
    if (piece?.status === "Financed") {
      const f = indexer.latestFinancing(id, index);
      s.outstanding.run(-num(a.amount), f.bank);
      s.outstanding.run(-num(a.amount), f.holder);
    }
  },
  RecourseClaimed: (indexer, a, { id }) => {
    const s = indexer.statements;
    const f = indexer.latestFinancing(id, a.pieceIndex);
    s.recourse.run(num(a.amount), f.id);
    s.pieceHolderStatus.run(addr(a.financedParty), "Recoursed", id, num(a.pieceIndex));
    s.outstanding.run(-num(a.amount), addr(a.bank));
    s.outstanding.run(-num(a.amount), addr(a.financedParty));
  },

  // ---- governance and token ----------------------------------------------------------------
  LimitChanged: recordOnly,
  PilotWindowChanged: recordOnly,
  SandboxPaused: recordOnly,
  SandboxResumed: recordOnly,
  WindDownStarted: recordOnly,
  LedgerBound: recordOnly,
  Transfer: recordOnly,
  Approval: recordOnly,
  SettlementAgentBound: recordOnly,
};

/** A financing request rejected by its bank or cancelled by its holder: the piece is free again. */
function financingClosed(indexer: Indexer, status: "Rejected" | "Cancelled", pieceIndex: bigint, reason: string | null, { id, ts }: At): void {
  const f = indexer.latestFinancing(id, pieceIndex);
  indexer.statements.decideFinancing.run(status, ts, reason, f.id);
  indexer.statements.pieceStatus.run("Active", id, num(pieceIndex));
}
