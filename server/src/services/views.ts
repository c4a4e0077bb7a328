/**
 * Read models as API shapes (domain/api.ts): rows of the index joined with participants' names.
 * Money leaves as decimal strings of fen.
 */
import type { Financing, Invoice, Participant, Piece } from "../../../domain/api.js";
import { standingOf, type SettlementTerms } from "../../../domain/settlement.js";
import type { FinancingRow } from "../db/repositories/financings.js";
import type { InvoiceRow, PieceRow } from "../db/repositories/invoices.js";
import type { ParticipantRow } from "../db/repositories/participants.js";

export type { SettlementTerms };

/** An invoice as the API shows it; its parties' names from the row, or from `names` when given. */
export function invoiceView(row: InvoiceRow, now: number, terms: SettlementTerms, names?: ReadonlyMap<string, string>): Invoice {
  return {
    id: row.id,
    invoiceNumber: row.invoice_number,
    seller: { address: row.seller, name: (names === undefined ? row.seller_name : names.get(row.seller)) ?? row.seller },
    buyer: { address: row.buyer, name: (names === undefined ? row.buyer_name : names.get(row.buyer)) ?? row.buyer },
    faceAmount: String(row.face_amount),
    paidAmount: String(row.paid_amount),
    issueDate: row.issue_date,
    dueDate: row.due_date,
    status: row.status,
    standing: standingOf(row.status, row.due_date, now, terms),
    frozen: row.frozen === 1,
    documentHash: row.document_hash,
    pieceCount: row.piece_count,
    disputeReason: row.dispute_reason,
    submittedAt: row.submitted_at,
    confirmedAt: row.confirmed_at,
    settledAt: row.settled_at,
  };
}

export function pieceView(row: PieceRow): Piece {
  return {
    invoiceId: row.invoice_id,
    index: row.idx,
    holder: { address: row.holder, name: row.holder_name ?? row.holder },
    amount: String(row.amount),
    tier: row.tier,
    status: row.status,
    parent: row.parent,
    received: String(row.received),
  };
}

const fen = (v: number | null) => (v === null ? null : String(v));

export function financingView(row: FinancingRow): Financing {
  return {
    id: row.id,
    invoiceId: row.invoice_id,
    pieceIndex: row.piece_index,
    holder: { address: row.holder, name: row.holder_name ?? row.holder },
    bank: { address: row.bank, name: row.bank_name ?? row.bank },
    buyer: { address: row.buyer, name: row.buyer_name ?? row.buyer },
    amount: String(row.amount),
    dueDate: row.due_date,
    withRecourse: row.with_recourse === 1,
    status: row.status,
    maxRateBps: row.max_rate_bps,
    rateBps: row.rate_bps,
    days: row.days,
    discount: fen(row.discount),
    advance: fen(row.advance),
    reason: row.reason,
    recovered: fen(row.recovered),
    requestedAt: row.requested_at,
    decidedAt: row.decided_at,
  };
}

export function participantView(row: ParticipantRow): Participant {
  return {
    address: row.address,
    name: row.name,
    role: row.role,
    tier: row.tier,
    admittedUntil: row.admitted_until,
    frozen: row.frozen === 1,
    removed: row.removed === 1,
    outstanding: String(row.outstanding),
  };
}
