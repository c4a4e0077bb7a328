/**
 * The audit trail's pages are read by keyset (server/src/services/audit.ts): from a cursor, or
 * from the oldest end for pages past the middle. Whatever way a page is read, it must hold the
 * rows the plain `ORDER BY id DESC LIMIT/OFFSET` query gave, in the same order, with the same
 * total; the CSV export, read in chunks, must hold every row once, oldest first.
 */
import { getAddress } from "ethers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { openDatabase, type Db } from "../../src/db/database.js";
import { AuditService, csvCell } from "../../src/services/audit.js";
import type { Ctx } from "../../src/services/context.js";

const ACTORS = ["0x70997970c51812dc3a010c7d01b50e0d17dc79c8", "0x3c44cdddb6a900fa2b585dd299e03d12fa4293bc", "0x90f79bf6eb2c4f870365e785982e1f101e93b906"].map(getAddress);
const NAMES = ["InvoiceSubmitted", "InvoiceConfirmed", "PieceTransferred", "FinancingApproved"];
const INVOICES = ["0x" + "11".repeat(32), "0x" + "22".repeat(32)];
const EVENTS = 1_234;

type Filter = { name?: string; actor?: string; invoiceId?: string; from?: number; to?: number };

/** The rows as the plain query gives them, newest first. */
function reference(db: Db, f: Filter) {
  const where: string[] = [];
  const params: unknown[] = [];
  if (f.name !== undefined) {
    where.push("name = ?");
    params.push(f.name);
  }
  if (f.invoiceId !== undefined) {
    where.push("invoice_id = ?");
    params.push(f.invoiceId);
  }
  if (f.actor !== undefined) {
    where.push("actor = ? COLLATE NOCASE");
    params.push(f.actor);
  }
  if (f.from !== undefined) {
    where.push("timestamp >= ?");
    params.push(f.from);
  }
  if (f.to !== undefined) {
    where.push("timestamp <= ?");
    params.push(f.to);
  }
  const sql = where.length === 0 ? "1" : where.join(" AND ");
  return db.prepare(`SELECT * FROM events WHERE ${sql} ORDER BY id DESC`).all(...params) as { id: number; timestamp: number; block_number: number; tx_hash: string; contract: string; name: string; invoice_id: string | null; actor: string | null; args: string }[];
}

describe("audit trail pages", () => {
  let db: Db;
  let audit: AuditService;
  beforeAll(() => {
    db = openDatabase(":memory:");
    const insert = db.prepare(`INSERT INTO events(block_number, log_index, tx_hash, timestamp, contract, name, invoice_id, actor, args)
                               VALUES (?, ?, ?, ?, 'ReceivableLedger', ?, ?, ?, ?)`);
    db.transaction(() => {
      for (let i = 0; i < EVENTS; i++) {
        insert.run(Math.floor(i / 3), i % 3, `0x${i.toString(16).padStart(64, "0")}`, 1_700_000_000 + Math.floor(i / 3) * 2,
          NAMES[(i * 7) % NAMES.length], i % 5 === 0 ? null : INVOICES[i % 2], i % 11 === 0 ? null : ACTORS[i % ACTORS.length],
          JSON.stringify({ n: i, note: i % 13 === 0 ? "=cmd,\"quoted\"" : "plain" }));
      }
    })();
    audit = new AuditService({ db } as unknown as Ctx);
  });
  afterAll(() => db.close());

  const filters: Filter[] = [
    {},
    { name: "PieceTransferred" },
    { actor: ACTORS[1] },
    { actor: ACTORS[2].toLowerCase() },
    { invoiceId: INVOICES[0] },
    { name: "InvoiceSubmitted", actor: ACTORS[0] },
    { from: 1_700_000_300, to: 1_700_000_600 },
    { name: "Nothing" },
  ];

  for (const f of filters) {
    it(`when the trail is paged by offset (${JSON.stringify(f)}), then every page, the last one too, holds the plain query's rows in its order, with its total`, () => {
      const expected = reference(db, f).map((r) => r.id);
      for (const limit of [7, 50]) {
        for (let offset = 0; offset <= expected.length + limit; offset += limit) {
          const page = audit.list({ ...f, limit, offset });
          expect(page.total).toBe(expected.length);
          expect(page.items.map((e) => e.id)).toEqual(expected.slice(offset, offset + limit));
        }
      }
      // The last page on its own (as the pager's "last" asks for it).
      const limit = 50;
      const last = Math.max(0, Math.ceil(expected.length / limit) - 1) * limit;
      expect(audit.list({ ...f, limit, offset: last }).items.map((e) => e.id)).toEqual(expected.slice(last));
    });

    it(`when the trail is walked with the cursor (${JSON.stringify(f)}), then the pages together hold the plain query's rows, in its order, each once`, () => {
      const expected = reference(db, f).map((r) => r.id);
      const seen: number[] = [];
      let before: number | undefined;
      for (;;) {
        const page = audit.list({ ...f, limit: 37, offset: 0, before });
        expect(page.total).toBe(expected.length);
        seen.push(...page.items.map((e) => e.id));
        if (page.items.length < 37) break;
        before = page.items[page.items.length - 1].id;
      }
      expect(seen).toEqual(expected);
    });
  }

  it("when the trail is exported, then the CSV holds every row once, oldest first, as one chunk after another", async () => {
    for (const f of [{}, { actor: ACTORS[0].toLowerCase() }]) {
      const chunks: string[] = [];
      for await (const chunk of audit.csv(f)) chunks.push(chunk);
      const rows = reference(db, f).reverse();
      // The whole trail comes in several pieces, not one string built in one go.
      if (rows.length === EVENTS) expect(chunks.length).toBeGreaterThan(2);
      const expected = "id,time_utc,block,tx_hash,contract,event,invoice_id,actor,arguments\n" + rows
        .map((r) => `${[r.id, new Date(r.timestamp * 1000).toISOString(), r.block_number, r.tx_hash, r.contract, r.name, r.invoice_id ?? "", r.actor ?? "", r.args].map(csvCell).join(",")}\n`)
        .join("");
      expect(chunks.join("")).toBe(expected);
    }
  });
});
