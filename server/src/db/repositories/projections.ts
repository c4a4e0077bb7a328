/**
 * The index's writes: the statements the indexer (chain/indexer.ts) runs to project each
 * contract event into the tables the services read, prepared once per database.
 */
import type { Db } from "../database.js";

/** The prepared statements of the projections, by what they do. */
export function projectionStatements(db: Db) {
  const q = (sql: string) => db.prepare(sql);
  return {
    insertEvent: q(`INSERT OR IGNORE INTO events(block_number, log_index, tx_hash, timestamp, contract, name, invoice_id, actor, args)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`),
    upsertParticipant: q(`INSERT INTO participants(address, name, role, admitted_until, created_at) VALUES (?, ?, ?, ?, ?)
                          ON CONFLICT(address) DO UPDATE SET role = excluded.role, admitted_until = excluded.admitted_until, removed = 0`),
    removed: q("UPDATE participants SET removed = ? WHERE address = ?"),
    admittedUntil: q("UPDATE participants SET admitted_until = ? WHERE address = ?"),
    participantFrozen: q("UPDATE participants SET frozen = ? WHERE address = ?"),
    outstanding: q("UPDATE participants SET outstanding = outstanding + ? WHERE address = ?"),
    insertInvoice: q(`INSERT INTO invoices(id, seller, buyer, invoice_number, face_amount, issue_date, due_date, status, document_hash, submitted_at)
                      VALUES (?, ?, ?, ?, ?, ?, ?, 'Submitted', ?, ?)`),
    invoice: q("SELECT seller, buyer, face_amount FROM invoices WHERE id = ?"),
    confirm: q("UPDATE invoices SET status = 'Confirmed', confirmed_at = ?, piece_count = 1 WHERE id = ?"),
    invoiceStatus: q("UPDATE invoices SET status = ? WHERE id = ?"),
    dispute: q("UPDATE invoices SET status = 'Disputed', dispute_reason = ? WHERE id = ?"),
    frozen: q("UPDATE invoices SET frozen = ? WHERE id = ?"),
    paid: q(`UPDATE invoices SET paid_amount = ?, status = CASE WHEN ? = face_amount THEN 'Settled' ELSE status END,
               settled_at = CASE WHEN ? = face_amount THEN ? ELSE settled_at END WHERE id = ?`),
    pieceCount: q("UPDATE invoices SET piece_count = piece_count + 1 WHERE id = ?"),
    insertPiece: q(`INSERT INTO pieces(invoice_id, idx, holder, amount, tier, status, parent, created_at) VALUES (?, ?, ?, ?, ?, 'Active', ?, ?)`),
    piece: q("SELECT holder, amount, status FROM pieces WHERE invoice_id = ? AND idx = ?"),
    movePiece: q("UPDATE pieces SET holder = ?, tier = ? WHERE invoice_id = ? AND idx = ?"),
    shrinkPiece: q("UPDATE pieces SET amount = amount - ? WHERE invoice_id = ? AND idx = ?"),
    pieceStatus: q("UPDATE pieces SET status = ? WHERE invoice_id = ? AND idx = ?"),
    pieceHolderStatus: q("UPDATE pieces SET holder = ?, status = ? WHERE invoice_id = ? AND idx = ?"),
    pieceReceived: q("UPDATE pieces SET received = received + ? WHERE invoice_id = ? AND idx = ?"),
    insertFinancing: q(`INSERT INTO financings(invoice_id, piece_index, holder, bank, amount, with_recourse, max_rate_bps, status, requested_at)
                        VALUES (?, ?, ?, ?, ?, ?, ?, 'Requested', ?)`),
    latestFinancing: q("SELECT id, holder, bank FROM financings WHERE invoice_id = ? AND piece_index = ? ORDER BY id DESC LIMIT 1"),
    decideFinancing: q("UPDATE financings SET status = ?, decided_at = ?, reason = ? WHERE id = ?"),
    approveFinancing: q(`UPDATE financings SET status = 'Approved', decided_at = ?, rate_bps = ?, days = ?, discount = ?, advance = ? WHERE id = ?`),
    recourse: q("UPDATE financings SET status = 'Recoursed', recovered = ? WHERE id = ?"),
    insertPayment: q("INSERT INTO payments(invoice_id, buyer, amount, paid_total, timestamp, tx_hash) VALUES (?, ?, ?, ?, ?, ?)"),
    insertPayout: q("INSERT INTO payouts(invoice_id, piece_index, holder, amount, timestamp) VALUES (?, ?, ?, ?, ?)"),
  };
}

export type ProjectionStatements = ReturnType<typeof projectionStatements>;

/** Every holder of an invoice's pieces today. */
export function holdersOf(db: Db): (invoiceId: string | null) => string[] {
  const stmt = db.prepare<[string | null], { holder: string }>("SELECT DISTINCT holder FROM pieces WHERE invoice_id = ?");
  return (invoiceId) => stmt.all(invoiceId).map((r) => r.holder);
}
