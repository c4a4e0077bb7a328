/**
 * Crash mid-load (DESIGN.md section 6, "nothing accepted is ever lost"): a request the API
 * acknowledged is on chain and in the index, or it was answered with an error; a kill -9 in
 * between never leaves it half done. The real server runs as a child process; many concurrent
 * invoice submissions with Idempotency-Keys are cut off by SIGKILL; after a restart on the same
 * data directory the journal, the chain and the index agree, and retrying every request with its
 * key yields exactly one invoice per key.
 */
import { copyFileSync, existsSync } from "node:fs";
import path from "node:path";

import Database from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";

import { interfaces } from "../../src/chain/contracts.js";
import { HttpRpc } from "../../src/chain/rpc.js";
import { chainInvoiceIds, Client, invoiceBody, tempDir, type Answer } from "./helpers.js";
import { startServer, type ServerProcess } from "./server-process.js";

const PASSWORD = "demo1234";
const SUPPLIERS = ["supplier1", "supplier2", "supplier3", "supplier4", "supplier5", "supplier6"];
const PER_SUPPLIER = 20;
const KILL_AFTER_ACKS = 24;

const ZERO_ADDRESS = "0x0000000000000000000000000000000000000000";

/** An invoice as the ledger's view gives it (a zero seller: the ledger has no such invoice). */
async function invoiceOnChainOf(rpc: HttpRpc, ledger: string, id: string): Promise<{ seller: string; faceAmount: bigint }> {
  const raw = (await rpc.request({ method: "eth_call", params: [{ to: ledger, data: interfaces.ReceivableLedger.encodeFunctionData("invoice", [id]) }, "latest"] })) as string;
  return interfaces.ReceivableLedger.decodeFunctionResult("invoice", raw)[0] as { seller: string; faceAmount: bigint };
}

interface Sent {
  supplier: string;
  key: string;
  number: string;
  body: ReturnType<typeof invoiceBody>;
  answer?: Answer;
  error?: string;
}

describe("crash mid-load: kill -9 under concurrent writes, restart, reconcile", () => {
  const data = tempDir("crash");
  let server: ServerProcess | undefined;
  afterAll(async () => {
    await server?.kill("SIGKILL");
    data.remove();
  });

  it("when the server is killed during 120 concurrent submissions, then every acknowledged invoice survives and every retry yields exactly one invoice per key", async () => {
    server = await startServer(data.dir);
    const firstStartMs = server.startMs;
    const regulator = await Client.login(server.url, "regulator", PASSWORD);
    const seeded = (await regulator.get("/api/invoices?limit=200")).body.total as number;
    const buyers = (await regulator.get("/api/participants?role=CoreEnterprise")).body.items.map((p: { address: string }) => p.address) as string[];
    expect(buyers).toHaveLength(2);
    const now = (await regulator.get("/api/chain")).body.timestamp as number;

    // Documents first (not part of the load), then the load: every supplier's submissions at once.
    const clients = new Map<string, Client>();
    const sent: Sent[] = [];
    for (const supplier of SUPPLIERS) {
      const c = await Client.login(server.url, supplier, PASSWORD);
      clients.set(supplier, c);
      for (let i = 0; i < PER_SUPPLIER; i++) {
        const number = `CR-${supplier}-${i}`;
        const doc = await c.upload(number);
        sent.push({ supplier, key: `crash-${supplier}-${i}`, number, body: invoiceBody(buyers[i % 2], number, doc, now, { amountFen: 10_000_00n, dueInDays: 60 }) });
      }
    }
    let acks = 0;
    const victim = server;
    const loadStarted = Date.now();
    await Promise.all(
      sent.map(async (s) => {
        try {
          s.answer = await clients.get(s.supplier)!.post("/api/invoices", s.body, { key: s.key, timeoutMs: 30_000 });
          if (s.answer.status >= 200 && s.answer.status < 300 && ++acks === KILL_AFTER_ACKS) victim.proc.kill("SIGKILL");
        } catch (error) {
          s.error = (error as Error).message;
        }
      }),
    );
    const exit = await victim.exited;
    expect(exit.signal).toBe("SIGKILL");
    const loadMs = Date.now() - loadStarted;
    const acked = sent.filter((s) => s.answer !== undefined && s.answer.status < 300);
    const refused = sent.filter((s) => s.answer !== undefined && s.answer.status >= 300);
    const cut = sent.filter((s) => s.answer === undefined);
    // Nothing may fail for another reason than the kill: no 4xx/5xx before it.
    expect(refused.map((s) => `${s.key}: ${s.answer!.status} ${JSON.stringify(s.answer!.body)}`)).toEqual([]);
    expect(acked.length).toBeGreaterThanOrEqual(KILL_AFTER_ACKS);
    expect(cut.length).toBeGreaterThan(0);

    // What the crash left on disk (read from a copy, so the restart sees the files untouched).
    const copy = tempDir("crash-copy");
    const db = path.join(data.dir, "platform.sqlite");
    for (const suffix of ["", "-wal", "-shm"]) if (existsSync(db + suffix)) copyFileSync(db + suffix, path.join(copy.dir, "platform.sqlite" + suffix));
    const disk = new Database(path.join(copy.dir, "platform.sqlite"));
    const journaled = (disk.prepare("SELECT MAX(number) AS n FROM chain_blocks").get() as { n: number }).n;
    const synced = Number((disk.prepare("SELECT value FROM meta WHERE key = 'synced_block'").get() as { value: string }).value);
    const pending = disk.prepare("SELECT key, tx_hash, tx_hash IN (SELECT hash FROM chain_txs) AS journaled FROM idempotency WHERE state = 'pending'").all() as {
      key: string;
      tx_hash: string | null;
      journaled: number;
    }[];
    const journaledInvoices = (disk.prepare("SELECT COUNT(*) AS n FROM invoices").get() as { n: number }).n;
    disk.close();
    copy.remove();
    expect(synced).toBe(journaled);

    // ---- Restart on the same directory (with the chain's JSON-RPC, to ask the chain itself) ----
    server = await startServer(data.dir, {}, { chainRpc: true });
    // From the last checkpoint written while it ran (every few blocks) and the journal's tail, or
    // from genesis when none was written.
    expect(server.stdout()).toMatch(/Local chain rebuilt(: \d+ blocks| from the checkpoint at block \d+ and the journal's \d+ blocks after it), state root verified\./);
    expect(server.stdout()).not.toContain("Seeding the demo pilot");
    const rpc = new HttpRpc(server.rpcUrl!);
    const ledger = (await new Client(server.url, (await Client.login(server.url, "regulator", PASSWORD)).token).get("/api/chain")).body.addresses
      .ReceivableLedger as string;
    // The rebuilt chain is the journal's (plus, after a stop of a minute or more, one empty block
    // recording the time that passed).
    const head = Number((await rpc.request({ method: "eth_blockNumber" })) as string);
    expect([journaled, journaled + 1]).toContain(head);
    if (head > journaled) expect(((await rpc.request({ method: "eth_getBlockByNumber", params: ["latest", false] })) as { transactions: unknown[] }).transactions).toEqual([]);
    const reg = await Client.login(server.url, "regulator", PASSWORD);

    // Index and chain agree, invoice for invoice: every invoice of the index is on chain, and every
    // one the chain's logs name is in the index (a chain loaded from a checkpoint has the logs of
    // the blocks after it only; the journal and the index keep the others).
    const onChain = await chainInvoiceIds(rpc, ledger);
    const index = (await reg.get("/api/invoices?limit=200")).body as { items: { id: string }[]; total: number };
    expect(index.total).toBe(index.items.length);
    for (const id of onChain) expect(index.items.map((i) => i.id)).toContain(id);
    for (const { id } of index.items) expect((await invoiceOnChainOf(rpc, ledger, id)).seller).not.toBe(ZERO_ADDRESS);
    expect(index.total).toBe(journaledInvoices);

    // Every acknowledged request is on chain and in the index.
    const invoiceOnChain = async (id: string) => {
      const raw = (await rpc.request({ method: "eth_call", params: [{ to: ledger, data: interfaces.ReceivableLedger.encodeFunctionData("invoice", [id]) }, "latest"] })) as string;
      return interfaces.ReceivableLedger.decodeFunctionResult("invoice", raw)[0] as { seller: string; faceAmount: bigint };
    };
    // The document's hash is recorded by the submission's event alone (the ledger does not store
    // it): on the chain for a submission after its checkpoint, else in the index's copy of the event.
    const submittedDocument = async (id: string) => {
      const topic = interfaces.ReceivableLedger.getEvent("InvoiceSubmitted")!.topicHash;
      const logs = (await rpc.request({ method: "eth_getLogs", params: [{ address: ledger, fromBlock: "0x0", toBlock: "latest", topics: [topic, id] }] })) as {
        topics: string[];
        data: string;
      }[];
      expect(logs.length).toBeLessThanOrEqual(1);
      if (logs.length === 1) return interfaces.ReceivableLedger.parseLog(logs[0])!.args.documentHash as string;
      return (await reg.get(`/api/invoices/${id}`)).body.documentHash as string;
    };
    for (const s of acked) {
      const id = s.answer!.body.id as string;
      expect(index.items.map((i) => i.id)).toContain(id);
      const chained = await invoiceOnChain(id);
      expect(chained.faceAmount).toBe(BigInt(s.body.faceAmount));
      expect(await submittedDocument(id)).toBe(s.body.documentHash);
      expect(chained.seller).toBe(s.answer!.body.seller.address);
    }

    // Retrying every request with its key: exactly one invoice per key, the acknowledged ones unchanged.
    const retried = new Map<string, Client>();
    for (const supplier of SUPPLIERS) retried.set(supplier, await Client.login(server.url, supplier, PASSWORD));
    const retries = await Promise.all(sent.map((s) => retried.get(s.supplier)!.post("/api/invoices", s.body, { key: s.key, timeoutMs: 60_000 })));
    const ids = new Set<string>();
    let recovered = 0;
    retries.forEach((r, i) => {
      const s = sent[i];
      expect(r.status, `${s.key}: ${JSON.stringify(r.body)}`).toBe(201);
      expect(r.body.invoiceNumber).toBe(s.number);
      if (s.answer !== undefined) {
        expect(r.headers.get("idempotent-replayed")).toBe("true");
        expect(r.body.id).toBe(s.answer.body.id);
      } else if (r.headers.get("idempotent-replayed") === "true") recovered++;
      ids.add(r.body.id as string);
    });
    expect(ids.size).toBe(sent.length);
    const finalChain = await chainInvoiceIds(rpc, ledger);
    const finalIndex = (await reg.get("/api/invoices?limit=200")).body as { items: { id: string }[]; total: number };
    expect(finalIndex.total).toBe(seeded + sent.length);
    for (const id of finalChain) expect(finalIndex.items.map((i) => i.id)).toContain(id);
    for (const id of ids) expect((await invoiceOnChainOf(rpc, ledger, id)).seller).not.toBe(ZERO_ADDRESS);

    const restartMs = server.startMs;
    console.info(
      [
        `crash: first start (deploy + demo seed) ${firstStartMs} ms; load of ${sent.length} submissions killed after ${loadMs} ms`,
        `  acknowledged ${acked.length}, cut off ${cut.length}; ${journaled} blocks journaled, ${journaledInvoices - seeded} load invoices in the journal`,
        `  pending idempotency records at the kill: ${pending.length} (${pending.filter((p) => p.journaled).length} with their tx journaled, ${pending.filter((p) => p.tx_hash !== null && !p.journaled).length} with a tx lost with the chain, ${pending.filter((p) => p.tx_hash === null).length} not signed yet)`,
        `  restart (replay + reconcile) ${restartMs} ms; retries answered from a recovered record: ${recovered}`,
      ].join("\n"),
    );

    // A clean stop: SIGTERM exits 0 and releases the data directory.
    const stopped = await server.kill("SIGTERM");
    expect(stopped.code, server.stderr().slice(-2000)).toBe(0);
    expect(existsSync(path.join(data.dir, "platform.lock"))).toBe(false);
    server = undefined;
  }, 180_000);
});
