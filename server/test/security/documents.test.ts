/**
 * Another firm's document: its hash is public (every InvoiceSubmitted log carries it), so anchoring
 * it in an invoice of one's own must not lend its bytes to that invoice's parties.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { act } from "../../src/services/actions.js";
import { isoDateToUnix } from "../../../domain/time.js";
import { pilot, startTestPlatform, type Pilot, type TestPlatform } from "../support/platform.js";
import { as, dayFromNow, expectError, expectUnchanged, invoiceNumber, pdf, snapshot, submitBody, upload, YUAN, type Client } from "../routes/helpers.js";

describe("documents anchored by another firm", () => {
  let t: TestPlatform;
  let p: Pilot;
  let dir: string;
  let supplier1: Client;
  let supplier2: Client;
  let buyer2: Client;
  let secret: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "scf-sec-docs-"));
    t = await startTestPlatform({ dataDir: dir });
    p = await pilot(t);
    [supplier1, supplier2, buyer2] = await Promise.all(["supplier1", "supplier2", "buyer2"].map((u) => as(t, u)));
    secret = await upload(supplier1, "supplier1's own invoice");
    expect((await supplier1.post("/api/invoices", submitBody(t, p.buyers[0], secret))).status).toBe(201);
  });
  afterAll(async () => {
    await t.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("when a supplier anchors another firm's document hash in its own invoice, then 422 SCF-1011, nothing is sent, and neither it nor its buyer can download the document", async () => {
    const before = await snapshot(t);
    const res = await supplier2.post("/api/invoices", submitBody(t, p.buyers[1], secret));
    expectError(res, 422, "DocumentNotUploaded", { documentHash: secret });
    await expectUnchanged(t, before);
    for (const who of [supplier2, buyer2]) expectError(await who.get(`/api/documents/${secret}`), 404, "NotFound");
  });

  it("when the foreign hash is anchored on chain directly (around the API), then the new invoice's parties still cannot download it", async () => {
    await act(t.platform.ctx, p.suppliers[1], "ReceivableLedger", "submitInvoice", [
      p.buyers[1].address,
      invoiceNumber("ONCHAIN"),
      1_000n * YUAN,
      isoDateToUnix(dayFromNow(t, -1)),
      isoDateToUnix(dayFromNow(t, 60)),
      secret,
    ]);
    for (const who of [supplier2, buyer2]) expectError(await who.get(`/api/documents/${secret}`), 404, "NotFound");
    expect((await supplier1.get(`/api/documents/${secret}`)).status).toBe(200);
  });

  it("when another firm uploads the very same bytes itself, then it holds them and may anchor them", async () => {
    const content = pdf("the same bytes for both firms");
    const send = (who: Client) => who.post("/api/documents").attach("file", content, { filename: "same.pdf", contentType: "application/pdf" });
    const hash = (await send(supplier1)).body.sha256 as string;
    expect((await send(supplier2)).status).toBe(201);
    const res = await supplier2.post("/api/invoices", submitBody(t, p.buyers[1], hash));
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect((await buyer2.get(`/api/documents/${hash}`)).status).toBe(200);
  });
});
