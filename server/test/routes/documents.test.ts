import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { crc32, deflateSync } from "node:zlib";

import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { DocumentInfo } from "../../../domain/api.js";
import { pilot, startTestPlatform, type Pilot, type TestPlatform } from "../support/platform.js";
import {
  as,
  expectError,
  expectFields,
  expectUnchanged,
  pdf,
  sha256,
  shape,
  snapshot,
  submitBody,
  type Client,
} from "./helpers.js";

const MB = 1024 * 1024;

/** A valid 1x1 PNG. */
function png(): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, "latin1"), data]);
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([len, body, crc]);
  };
  const ihdr = Buffer.from([0, 0, 0, 1, 0, 0, 0, 1, 8, 2, 0, 0, 0]);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", ihdr),
    chunk("IDAT", deflateSync(Buffer.from([0, 255, 0, 0]))),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

/** A PDF of exactly `size` bytes (a real header, padded with a comment). */
function pdfOfSize(size: number): Buffer {
  const head = pdf("big");
  return Buffer.concat([head, Buffer.alloc(size - head.length, 0x25)]);
}

describe("document routes", () => {
  let t: TestPlatform;
  let p: Pilot;
  let dir: string;
  let supplier1: Client;
  let supplier2: Client;
  let buyer1: Client;
  let buyer2: Client;
  let bank1: Client;
  let bank2: Client;
  let regulator: Client;
  const send = (who: Client, content: Buffer, filename: string, contentType = "application/pdf") =>
    who.post("/api/documents").attach("file", content, { filename, contentType });

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "scf-docs-"));
    t = await startTestPlatform({ dataDir: dir });
    p = await pilot(t);
    [supplier1, supplier2, buyer1, buyer2, bank1, bank2, regulator] = await Promise.all(
      ["supplier1", "supplier2", "buyer1", "buyer2", "bank1", "bank2", "regulator"].map((u) => as(t, u)),
    );
  });
  afterAll(async () => {
    await t.close();
    await rm(dir, { recursive: true, force: true });
  });

  describe("POST /api/documents", () => {
    it("when a supplier uploads a PDF, then 201 with the SHA-256 of its bytes, its type and size", async () => {
      const content = pdf("INV-1");
      const info = shape(DocumentInfo, await send(supplier1, content, "INV-1.pdf"), 201);
      expect(info).toEqual({ sha256: sha256(content), filename: "INV-1.pdf", mime: "application/pdf", size: content.length });
    });

    it("when a supplier uploads a PNG under any declared type, then it is recognized by its content", async () => {
      const content = png();
      const info = shape(DocumentInfo, await send(supplier1, content, "scan.bin", "application/octet-stream"), 201);
      expect(info).toMatchObject({ sha256: sha256(content), mime: "image/png", size: content.length });
    });

    it("when the same bytes are uploaded twice, then the same hash comes back and one document is stored", async () => {
      const content = pdf("twice");
      const first = shape(DocumentInfo, await send(supplier1, content, "a.pdf"), 201);
      const before = await snapshot(t);
      const second = shape(DocumentInfo, await send(supplier1, content, "b.pdf"), 201);
      expect(second.sha256).toBe(first.sha256);
      await expectUnchanged(t, before);
    });

    it("when the file name carries a path, then only its base name is kept", async () => {
      const info = shape(DocumentInfo, await send(supplier1, pdf("path"), "../../etc/<evil>.pdf"), 201);
      expect(info.filename).toBe("_evil_.pdf");
    });

    it("when a text file is renamed .pdf and declared as a PDF, then 415 SCF-1010 and nothing is stored", async () => {
      const before = await snapshot(t);
      const res = await send(supplier1, Buffer.from("just some text, not a PDF\n".repeat(20)), "invoice.pdf");
      expectError(res, 415, "UnsupportedDocument", { detected: "unknown" });
      await expectUnchanged(t, before);
    });

    it("when the file is an image type that is not accepted (GIF), then 415 naming the detected type", async () => {
      const gif = Buffer.from("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7", "base64");
      expectError(await send(supplier1, gif, "x.png", "image/png"), 415, "UnsupportedDocument", { detected: "image/gif" });
    });

    it("when the file is exactly 10 MB, then it is accepted", async () => {
      const content = pdfOfSize(10 * MB);
      expect(shape(DocumentInfo, await send(supplier1, content, "big.pdf"), 201).size).toBe(10 * MB);
    });

    it("when the file is one byte over 10 MB, then 413 SCF-1009 and nothing is stored", async () => {
      const before = await snapshot(t);
      expectError(await send(supplier1, pdfOfSize(10 * MB + 1), "huge.pdf"), 413, "PayloadTooLarge", { max: "10 MB" });
      await expectUnchanged(t, before);
    });

    it("when no file is sent, then 400 on file (required); a file under another field is 400 on file", async () => {
      expectFields(await supplier1.post("/api/documents"), [["file", "required"]]);
      expectFields(await supplier1.post("/api/documents").attach("document", pdf(), "a.pdf"), [["file", "upload"]]);
      expectFields(await supplier1.post("/api/documents").field("note", "hello"), [["file", "required"]]);
    });

    it("when a bank or buyer uploads, then 403 SCF-1004", async () => {
      expectError(await send(bank1, pdf(), "a.pdf"), 403, "Forbidden", { role: "Bank" });
      expectError(await send(buyer1, pdf(), "a.pdf"), 403, "Forbidden", { role: "CoreEnterprise" });
    });

    it("when nobody is signed in, then 401 before the upload is read, even for a file over the limit", async () => {
      expectError(await request(t.app).post("/api/documents").attach("file", pdf(), "a.pdf"), 401, "Unauthenticated");
      expectError(await request(t.app).post("/api/documents").attach("file", pdfOfSize(10 * MB + 1), "a.pdf"), 401, "Unauthenticated");
      expectError(await send(bank1, pdfOfSize(10 * MB + 1), "a.pdf"), 403, "Forbidden");
    });
  });

  describe("POST /api/invoices with a document", () => {
    it("when the hash was never uploaded, then 422 SCF-1011 and nothing reaches the chain", async () => {
      const before = await snapshot(t);
      const never = sha256(Buffer.from("never uploaded"));
      expectError(await supplier1.post("/api/invoices", submitBody(t, p.buyers[0], never)), 422, "DocumentNotUploaded", { documentHash: never });
      await expectUnchanged(t, before);
    });
  });

  describe("GET /api/documents/:sha256", () => {
    let hash: string;
    let content: Buffer;
    let invoiceId: string;
    beforeAll(async () => {
      content = pdf("anchored");
      hash = shape(DocumentInfo, await send(supplier1, content, "anchored.pdf"), 201).sha256;
      const res = await supplier1.post("/api/invoices", submitBody(t, p.buyers[0], hash));
      expect(res.status).toBe(201);
      invoiceId = res.body.id as string;
    });

    it("when the uploader, the buyer of the invoice or the regulator downloads, then the exact bytes with their type", async () => {
      for (const who of [supplier1, buyer1, regulator]) {
        const res = await who.get(`/api/documents/${hash}`).buffer(true).parse((r, cb) => {
          const chunks: Buffer[] = [];
          r.on("data", (c: Buffer) => chunks.push(c));
          r.on("end", () => cb(null, Buffer.concat(chunks)));
        });
        expect(res.status).toBe(200);
        expect(res.headers["content-type"]).toMatch(/^application\/pdf/);
        expect(res.headers["content-disposition"]).toBe("inline; filename*=UTF-8''anchored.pdf");
        expect(sha256(res.body as Buffer)).toBe(hash);
      }
    });

    it("when the hash is given without 0x or in upper case, then the same document", async () => {
      expect((await buyer1.get(`/api/documents/${hash.slice(2).toUpperCase()}`)).status).toBe(200);
    });

    it("when a firm with no part in the invoice downloads, then 404 SCF-1005, as for a document that does not exist", async () => {
      expectError(await supplier2.get(`/api/documents/${hash}`), 404, "NotFound", { what: "document" });
      expectError(await buyer2.get(`/api/documents/${hash}`), 404, "NotFound", { what: "document" });
      expectError(await bank2.get(`/api/documents/${hash}`), 404, "NotFound", { what: "document" });
    });

    it("when a bank is asked to finance a piece of the invoice, then it may download the document", async () => {
      expectError(await bank1.get(`/api/documents/${hash}`), 404, "NotFound");
      await t.platform.services.invoices.confirm(p.buyers[0], invoiceId);
      await t.platform.services.financing.request(p.suppliers[0], invoiceId, 0, p.banks[0].address, true);
      expect((await bank1.get(`/api/documents/${hash}`)).status).toBe(200);
    });

    it("when the hash is unknown, then 404; malformed is 400; anonymous 401", async () => {
      expectError(await regulator.get(`/api/documents/${sha256(Buffer.from("nothing"))}`), 404, "NotFound");
      expectFields(await regulator.get("/api/documents/abc"), [["params.sha256", "invalid_format"]]);
      expectError(await request(t.app).get(`/api/documents/${hash}`), 401, "Unauthenticated");
    });
  });
});
