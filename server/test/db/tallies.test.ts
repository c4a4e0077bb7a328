/**
 * The summary rows behind the dashboard and the audit trail's totals (migration 6) are kept by
 * triggers as the index writes: whatever it does to receivables, pieces, financings, payments,
 * blocked actions and events, in any order, they must equal a full recount of those tables, and a
 * data directory made before them must get them filled from its data when it is opened.
 */
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";

import Database from "better-sqlite3";
import fc from "fast-check";
import { describe, expect, it } from "vitest";

import { openDatabase, type Db } from "../../src/db/database.js";
import { migrations } from "../../src/db/migrations.js";

const BUYERS = ["0xB1", "0xB2", "0xB3"];
const BANKS = ["0xK1", "0xK2"];
const INVOICE_STATUSES = ["Submitted", "Confirmed", "Disputed", "Overdue", "Defaulted", "Settled"];
const FINANCING_STATUSES = ["Requested", "Approved", "Rejected", "Recoursed", "Repaid"];
const EVENT_NAMES = ["InvoiceSubmitted", "InvoiceConfirmed", "PieceTransferred"];
const ACTORS = [null, "0xA1", "0xA2"];
const DAY = 86_400;

/** What the summary tables must hold, counted from the tables themselves. */
function recount(db: Db | Database.Database) {
  const all = (sql: string) => db.prepare(sql).all();
  return {
    invoices: all(`SELECT buyer, status, COUNT(*) AS n, SUM(face_amount) AS face, SUM(paid_amount) AS paid FROM invoices
                   GROUP BY buyer, status ORDER BY buyer, status`),
    financings: all(`SELECT bank, status, COUNT(*) AS n, SUM(amount) AS amount, COALESCE(SUM(advance), 0) AS advance FROM financings
                     GROUP BY bank, status ORDER BY bank, status`),
    pieces: all("SELECT tier, COUNT(*) AS n, SUM(amount) AS amount FROM pieces GROUP BY tier ORDER BY tier"),
    days: all(`SELECT day, SUM(submitted) AS submitted, SUM(financed) AS financed, SUM(settled) AS settled FROM (
                 SELECT submitted_at / 86400 AS day, face_amount AS submitted, 0 AS financed, 0 AS settled FROM invoices
                 UNION ALL SELECT decided_at / 86400, 0, amount, 0 FROM financings WHERE status IN ('Approved', 'Recoursed') AND decided_at IS NOT NULL
                 UNION ALL SELECT timestamp / 86400, 0, 0, amount FROM payments)
               GROUP BY day ORDER BY day`),
    blocked: all("SELECT rule, code, COUNT(*) AS n FROM blocked_actions GROUP BY rule, code ORDER BY rule, code"),
    events: all(`SELECT '' AS dimension, '' AS value, COUNT(*) AS n FROM events HAVING COUNT(*) > 0
                 UNION ALL SELECT 'name', name, COUNT(*) FROM events GROUP BY name
                 UNION ALL SELECT 'actor', actor, COUNT(*) FROM events WHERE actor IS NOT NULL GROUP BY actor
                 ORDER BY 1, 2`),
  };
}

/** The summary tables as kept, without the rows whose counts fell back to zero. */
function kept(db: Db | Database.Database) {
  const all = (sql: string) => db.prepare(sql).all();
  return {
    invoices: all("SELECT buyer, status, n, face, paid FROM invoice_tally WHERE n <> 0 OR face <> 0 OR paid <> 0 ORDER BY buyer, status"),
    financings: all("SELECT bank, status, n, amount, advance FROM financing_tally WHERE n <> 0 OR amount <> 0 OR advance <> 0 ORDER BY bank, status"),
    pieces: all("SELECT tier, n, amount FROM piece_tally WHERE n <> 0 OR amount <> 0 ORDER BY tier"),
    days: all("SELECT day, submitted, financed, settled FROM daily_volume WHERE submitted <> 0 OR financed <> 0 OR settled <> 0 ORDER BY day"),
    blocked: all("SELECT rule, code, n FROM blocked_tally WHERE n <> 0 ORDER BY rule, code"),
    events: all("SELECT dimension, value, n FROM event_tally WHERE n <> 0 ORDER BY 1, 2"),
  };
}

type Op =
  | { kind: "invoice"; buyer: number; status: number; face: number; day: number }
  | { kind: "invoiceStatus"; which: number; status: number }
  | { kind: "pay"; which: number; amount: number; day: number }
  | { kind: "piece"; which: number; tier: number; amount: number }
  | { kind: "split"; which: number; amount: number; tier: number }
  | { kind: "unpiece"; which: number }
  | { kind: "financing"; which: number; bank: number; amount: number }
  | { kind: "decide"; which: number; status: number; day: number; advance: number }
  | { kind: "unfinance"; which: number }
  | { kind: "unpay"; which: number }
  | { kind: "blocked"; rule: number }
  | { kind: "unblock"; which: number }
  | { kind: "event"; name: number; actor: number }
  | { kind: "unevent"; which: number };

const which = fc.nat(50);
const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant("invoice" as const), buyer: fc.nat(2), status: fc.nat(5), face: fc.integer({ min: 1, max: 1e9 }), day: fc.nat(5) }),
  fc.record({ kind: fc.constant("invoiceStatus" as const), which, status: fc.nat(5) }),
  fc.record({ kind: fc.constant("pay" as const), which, amount: fc.integer({ min: 1, max: 1e6 }), day: fc.nat(5) }),
  fc.record({ kind: fc.constant("piece" as const), which, tier: fc.integer({ min: 1, max: 4 }), amount: fc.integer({ min: 1, max: 1e6 }) }),
  fc.record({ kind: fc.constant("split" as const), which, amount: fc.integer({ min: 1, max: 1e3 }), tier: fc.integer({ min: 1, max: 4 }) }),
  fc.record({ kind: fc.constant("unpiece" as const), which }),
  fc.record({ kind: fc.constant("financing" as const), which, bank: fc.nat(1), amount: fc.integer({ min: 1, max: 1e6 }) }),
  fc.record({ kind: fc.constant("decide" as const), which, status: fc.nat(4), day: fc.oneof(fc.nat(5), fc.constant(-1)), advance: fc.nat(1e5) }),
  fc.record({ kind: fc.constant("unfinance" as const), which }),
  fc.record({ kind: fc.constant("unpay" as const), which }),
  fc.record({ kind: fc.constant("blocked" as const), rule: fc.nat(2) }),
  fc.record({ kind: fc.constant("unblock" as const), which }),
  fc.record({ kind: fc.constant("event" as const), name: fc.nat(2), actor: fc.nat(2) }),
  fc.record({ kind: fc.constant("unevent" as const), which }),
);

function addInvoice(db: Db | Database.Database, id: string, buyer: string, status: string, face: number, submittedAt: number) {
  db.prepare(
    `INSERT INTO invoices(id, seller, buyer, invoice_number, face_amount, issue_date, due_date, status, document_hash, submitted_at)
     VALUES (?, '0xS', ?, ?, ?, 0, ?, ?, '0x', ?)`,
  ).run(id, buyer, `N-${id}`, face, submittedAt + 30 * DAY, status, submittedAt);
}

function apply(db: Db | Database.Database, o: Op, serial: { next: number }) {
  const ids = (table: string, key = "id") => (db.prepare(`SELECT ${key} AS k FROM ${table} ORDER BY ${key}`).all() as { k: string | number }[]).map((r) => r.k);
  const pick = <T>(list: T[], i: number) => (list.length === 0 ? undefined : list[i % list.length]);
  const run = (sql: string, ...params: unknown[]) => db.prepare(sql).run(...params);
  switch (o.kind) {
    case "invoice":
      addInvoice(db, `I${serial.next++}`, BUYERS[o.buyer], INVOICE_STATUSES[o.status], o.face, 20_000 * DAY + o.day * DAY + 3_600);
      break;
    case "invoiceStatus": {
      const id = pick(ids("invoices"), o.which);
      if (id !== undefined) run("UPDATE invoices SET status = ? WHERE id = ?", INVOICE_STATUSES[o.status], id);
      break;
    }
    case "pay": {
      const id = pick(ids("invoices"), o.which);
      if (id === undefined) break;
      run("UPDATE invoices SET paid_amount = paid_amount + ?, status = CASE WHEN paid_amount + ? >= face_amount THEN 'Settled' ELSE status END WHERE id = ?", o.amount, o.amount, id);
      run("INSERT INTO payments(invoice_id, buyer, amount, paid_total, timestamp, tx_hash) VALUES (?, '0xB1', ?, 0, ?, '0x')", id, o.amount, 20_000 * DAY + o.day * DAY);
      break;
    }
    case "piece": {
      const id = pick(ids("invoices"), o.which);
      if (id === undefined) break;
      const idx = (db.prepare("SELECT COALESCE(MAX(idx) + 1, 0) AS n FROM pieces WHERE invoice_id = ?").get(id) as { n: number }).n;
      run("INSERT INTO pieces(invoice_id, idx, holder, amount, tier, status, parent, created_at) VALUES (?, ?, '0xH', ?, ?, 'Active', 0, 0)", id, idx, o.amount, o.tier);
      break;
    }
    case "split": {
      const p = pick(db.prepare("SELECT invoice_id, idx FROM pieces ORDER BY invoice_id, idx").all() as { invoice_id: string; idx: number }[], o.which);
      if (p !== undefined) run("UPDATE pieces SET amount = amount - ?, tier = ? WHERE invoice_id = ? AND idx = ?", o.amount, o.tier, p.invoice_id, p.idx);
      break;
    }
    case "unpiece": {
      const p = pick(db.prepare("SELECT invoice_id, idx FROM pieces ORDER BY invoice_id, idx").all() as { invoice_id: string; idx: number }[], o.which);
      if (p !== undefined) run("DELETE FROM pieces WHERE invoice_id = ? AND idx = ?", p.invoice_id, p.idx);
      break;
    }
    case "financing": {
      const id = pick(ids("invoices"), o.which);
      if (id !== undefined) {
        run(`INSERT INTO financings(invoice_id, piece_index, holder, bank, amount, with_recourse, status, requested_at)
             VALUES (?, 0, '0xH', ?, ?, 0, 'Requested', 0)`, id, BANKS[o.bank], o.amount);
      }
      break;
    }
    case "decide": {
      const id = pick(ids("financings"), o.which);
      if (id !== undefined) {
        run("UPDATE financings SET status = ?, decided_at = ?, advance = ? WHERE id = ?",
          FINANCING_STATUSES[o.status], o.day < 0 ? null : 20_000 * DAY + o.day * DAY + 60, o.advance, id);
      }
      break;
    }
    case "unfinance": {
      const id = pick(ids("financings"), o.which);
      if (id !== undefined) run("DELETE FROM financings WHERE id = ?", id);
      break;
    }
    case "unpay": {
      const id = pick(ids("payments"), o.which);
      if (id !== undefined) run("DELETE FROM payments WHERE id = ?", id);
      break;
    }
    case "blocked":
      run("INSERT INTO blocked_actions(timestamp, actor, action, code, rule, details) VALUES (0, NULL, 'submit', ?, ?, '{}')", `E${o.rule % 2}`, `R${o.rule}`);
      break;
    case "unblock": {
      const id = pick(ids("blocked_actions"), o.which);
      if (id !== undefined) run("DELETE FROM blocked_actions WHERE id = ?", id);
      break;
    }
    case "event": {
      const n = serial.next++;
      run(`INSERT INTO events(block_number, log_index, tx_hash, timestamp, contract, name, invoice_id, actor, args)
           VALUES (?, 0, '0x', 0, 'ReceivableLedger', ?, NULL, ?, '{}')`, n, EVENT_NAMES[o.name], ACTORS[o.actor]);
      break;
    }
    case "unevent": {
      const id = pick(ids("events"), o.which);
      if (id !== undefined) run("DELETE FROM events WHERE id = ?", id);
      break;
    }
  }
}

describe("summary rows kept by triggers", () => {
  it("when receivables, pieces, financings, payments, blocked actions and events come, change and go in any order, then the summary rows equal a full recount", () => {
    fc.assert(
      fc.property(fc.array(op, { minLength: 1, maxLength: 80, size: "max" }), (ops) => {
        const db = openDatabase(":memory:");
        db.pragma("foreign_keys = OFF"); // rows deleted in any order, children or not
        try {
          const serial = { next: 0 };
          for (const o of ops) apply(db, o, serial);
          expect(kept(db)).toEqual(recount(db));
        } finally {
          db.close();
        }
      }),
      { numRuns: 150 },
    );
  });

  it("when a data directory of the previous schema version with data in it is opened, then it is upgraded and its summary rows are filled from its data", () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "scf-tallies-"));
    try {
      const raw = new Database(path.join(dir, "platform.sqlite"));
      raw.pragma("journal_mode = WAL");
      for (const m of migrations.slice(0, 4)) raw.exec(m);
      raw.pragma("user_version = 4");
      const serial = { next: 0 };
      fc.assert(
        fc.property(fc.array(op, { minLength: 200, maxLength: 200 }), (ops) => {
          for (const o of ops) apply(raw, o, serial);
        }),
        { numRuns: 1, seed: 17 },
      );
      const before = recount(raw);
      expect((before.invoices as unknown[]).length).toBeGreaterThan(0);
      expect((before.events as unknown[]).length).toBeGreaterThan(0);
      raw.close();

      const db = openDatabase(dir);
      expect(db.pragma("user_version", { simple: true })).toBe(migrations.length);
      expect(kept(db)).toEqual(before);
      // And kept from then on.
      for (let i = 0; i < 50; i++) apply(db, { kind: "pay", which: i, amount: 7, day: 2 }, serial);
      expect(kept(db)).toEqual(recount(db));
      db.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
