/**
 * The holdings read model (one row per holder and invoice they hold a piece of, with the invoice's
 * status and dates) is kept by triggers: whatever the index does to pieces and invoices, it must
 * equal what pieces and invoices say.
 */
import Database from "better-sqlite3";
import fc from "fast-check";
import { describe, expect, it } from "vitest";

import { openDatabase, type Db } from "../../src/db/database.js";
import { migrations } from "../../src/db/migrations.js";

const HOLDERS = ["0xA", "0xB", "0xC"];
const STATUSES = ["Submitted", "Confirmed", "Financed", "Settled"];

/** What the holdings table must hold: derived from pieces and invoices. */
function derived(db: Db) {
  return db
    .prepare(
      `SELECT p.holder, i.id AS invoice_id, i.status, i.due_date, i.submitted_at, COUNT(*) AS pieces
       FROM pieces p JOIN invoices i ON i.id = p.invoice_id GROUP BY p.holder, i.id ORDER BY p.holder, i.id`,
    )
    .all();
}

const holdings = (db: Db) => db.prepare("SELECT * FROM holdings ORDER BY holder, invoice_id").all();

function addInvoice(db: Db, id: string, status: string, due: number) {
  db.prepare(
    `INSERT INTO invoices(id, seller, buyer, invoice_number, face_amount, issue_date, due_date, status, document_hash, submitted_at)
     VALUES (?, '0xS', '0xB', ?, 100, 0, ?, ?, '0x', ?)`,
  ).run(id, `N-${id}`, due, status, due - 100);
}

function addPiece(db: Db, invoiceId: string, holder: string) {
  const idx = (db.prepare("SELECT COALESCE(MAX(idx) + 1, 0) AS n FROM pieces WHERE invoice_id = ?").get(invoiceId) as { n: number }).n;
  db.prepare("INSERT INTO pieces(invoice_id, idx, holder, amount, tier, status, parent, created_at) VALUES (?, ?, ?, 1, 1, 'Active', 0, 0)").run(
    invoiceId,
    idx,
    holder,
  );
}

type Op =
  | { kind: "invoice"; status: number; due: number }
  | { kind: "piece"; invoice: number; holder: number }
  | { kind: "move"; piece: number; holder: number }
  | { kind: "status"; invoice: number; status: number }
  | { kind: "remove"; piece: number };

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant("invoice" as const), status: fc.nat(3), due: fc.integer({ min: 1_000, max: 9_000 }) }),
  fc.record({ kind: fc.constant("piece" as const), invoice: fc.nat(20), holder: fc.nat(2) }),
  fc.record({ kind: fc.constant("move" as const), piece: fc.nat(40), holder: fc.nat(2) }),
  fc.record({ kind: fc.constant("status" as const), invoice: fc.nat(20), status: fc.nat(3) }),
  fc.record({ kind: fc.constant("remove" as const), piece: fc.nat(40) }),
);

function apply(db: Db, o: Op) {
  const invoices = (db.prepare("SELECT id FROM invoices ORDER BY id").all() as { id: string }[]).map((r) => r.id);
  const pieces = db.prepare("SELECT invoice_id, idx FROM pieces ORDER BY invoice_id, idx").all() as { invoice_id: string; idx: number }[];
  switch (o.kind) {
    case "invoice":
      addInvoice(db, `I${String(invoices.length).padStart(3, "0")}`, STATUSES[o.status], o.due);
      break;
    case "piece":
      if (invoices.length > 0) addPiece(db, invoices[o.invoice % invoices.length], HOLDERS[o.holder]);
      break;
    case "move": {
      const p = pieces[o.piece % Math.max(1, pieces.length)];
      if (p !== undefined) db.prepare("UPDATE pieces SET holder = ? WHERE invoice_id = ? AND idx = ?").run(HOLDERS[o.holder], p.invoice_id, p.idx);
      break;
    }
    case "status":
      if (invoices.length > 0) db.prepare("UPDATE invoices SET status = ? WHERE id = ?").run(STATUSES[o.status], invoices[o.invoice % invoices.length]);
      break;
    case "remove": {
      const p = pieces[o.piece % Math.max(1, pieces.length)];
      if (p !== undefined) db.prepare("DELETE FROM pieces WHERE invoice_id = ? AND idx = ?").run(p.invoice_id, p.idx);
      break;
    }
  }
}

describe("holdings read model", () => {
  it("when pieces are added, change hands or go, and invoices change status, then holdings always equal what pieces and invoices say", () => {
    fc.assert(
      fc.property(fc.array(op, { minLength: 1, maxLength: 60, size: "max" }), (ops) => {
        const db = openDatabase(":memory:");
        try {
          for (const o of ops) {
            apply(db, o);
            expect(holdings(db)).toEqual(derived(db));
          }
        } finally {
          db.close();
        }
      }),
      { numRuns: 200 },
    );
  });

  it("when a holder has two pieces of one invoice and passes one on, then it still holds the invoice, once", () => {
    const db = openDatabase(":memory:");
    addInvoice(db, "I1", "Confirmed", 5_000);
    addPiece(db, "I1", "0xA");
    addPiece(db, "I1", "0xA");
    db.prepare("UPDATE pieces SET holder = '0xB' WHERE invoice_id = 'I1' AND idx = 1").run();
    expect(holdings(db)).toEqual([
      { holder: "0xA", invoice_id: "I1", status: "Confirmed", due_date: 5_000, submitted_at: 4_900, pieces: 1 },
      { holder: "0xB", invoice_id: "I1", status: "Confirmed", due_date: 5_000, submitted_at: 4_900, pieces: 1 },
    ]);
    db.close();
  });

  it("when a database made before holdings existed is opened, then holdings are filled from its pieces", () => {
    const raw = new Database(":memory:");
    raw.exec(migrations[0]);
    raw.exec(migrations[1]);
    raw.pragma("user_version = 2");
    addInvoice(raw, "I1", "Confirmed", 5_000);
    addInvoice(raw, "I2", "Settled", 6_000);
    addPiece(raw, "I1", "0xA");
    addPiece(raw, "I1", "0xA");
    addPiece(raw, "I2", "0xB");
    raw.exec(migrations[2]);
    expect(holdings(raw)).toEqual(derived(raw));
    expect(holdings(raw)).toHaveLength(2);
    raw.close();
  });
});
