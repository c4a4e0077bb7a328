/**
 * Invoice documents: PDF or image, at most 10 MB, type checked by content (not by name or the
 * declared type), stored under the data directory by their SHA-256, which the invoice anchors.
 */
import { createHash } from "node:crypto";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";

import { fileTypeFromBuffer } from "file-type";

import { AppError } from "../errors.js";
import { isSupervisor } from "./access.js";
import type { Actor, Ctx } from "./context.js";

export const MAX_DOCUMENT_BYTES = 10 * 1024 * 1024;
const ACCEPTED = new Set(["application/pdf", "image/png", "image/jpeg", "image/webp"]);

export interface StoredDocument {
  sha256: string;
  filename: string;
  mime: string;
  size: number;
}

export class DocumentService {
  constructor(
    private readonly ctx: Ctx,
    private readonly dir: string | null,
  ) {}

  async store(actor: Actor, filename: string, content: Buffer): Promise<StoredDocument> {
    if (content.length > MAX_DOCUMENT_BYTES) throw new AppError("PayloadTooLarge", { max: "10 MB" });
    const type = await fileTypeFromBuffer(content);
    if (type === undefined || !ACCEPTED.has(type.mime)) throw new AppError("UnsupportedDocument", { detected: type?.mime ?? "unknown" });
    const sha256 = createHash("sha256").update(content).digest("hex");
    const safeName = path.basename(filename).replace(/[^\p{L}\p{N}._ -]/gu, "_").slice(0, 200) || "document";
    if (this.dir !== null) {
      await mkdir(this.dir, { recursive: true });
      await writeFile(path.join(this.dir, sha256), content);
    }
    this.ctx.db
      .prepare(
        `INSERT INTO documents(sha256, filename, mime, size, uploaded_by, created_at) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT(sha256) DO NOTHING`,
      )
      .run(sha256, safeName, type.mime, content.length, actor.userId, Math.floor(Date.now() / 1000));
    const row = this.ctx.db.prepare("SELECT sha256, filename, mime, size FROM documents WHERE sha256 = ?").get(sha256) as StoredDocument;
    return { ...row, sha256: `0x${row.sha256}` };
  }

  /** The document's bytes, for its uploader, the parties of an invoice anchoring it, or supervisors. */
  async read(actor: Actor, sha256: string): Promise<{ info: StoredDocument; content: Buffer }> {
    const hash = sha256.replace(/^0x/, "").toLowerCase();
    const info = this.ctx.db.prepare("SELECT sha256, filename, mime, size, uploaded_by FROM documents WHERE sha256 = ?").get(hash) as
      | (StoredDocument & { uploaded_by: number })
      | undefined;
    if (info === undefined || this.dir === null) throw new AppError("NotFound", { what: "document" });
    const allowed =
      isSupervisor(actor) ||
      info.uploaded_by === actor.userId ||
      this.ctx.db
        .prepare(
          `SELECT 1 FROM invoices i WHERE i.document_hash = @doc AND (i.seller = @me OR i.buyer = @me
             OR EXISTS (SELECT 1 FROM pieces p WHERE p.invoice_id = i.id AND p.holder = @me)
             OR EXISTS (SELECT 1 FROM financings f WHERE f.invoice_id = i.id AND f.bank = @me))`,
        )
        .get({ doc: `0x${hash}`, me: actor.address }) !== undefined;
    if (!allowed) throw new AppError("Forbidden", { role: actor.role });
    return { info: { ...info, sha256: `0x${hash}` }, content: await readFile(path.join(this.dir, hash)) };
  }
}
