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
    // Every firm that uploads the same bytes holds them: each may anchor them.
    this.ctx.db
      .prepare("INSERT INTO document_uploaders(sha256, participant) VALUES (?, ?) ON CONFLICT DO NOTHING")
      .run(sha256, actor.address);
    const row = this.ctx.db.prepare("SELECT sha256, filename, mime, size FROM documents WHERE sha256 = ?").get(sha256) as StoredDocument;
    return { ...row, sha256: `0x${row.sha256}` };
  }

  /** True when `actor`'s firm uploaded the document (hex SHA-256, with or without 0x). */
  #uploadedBy(actor: Actor, sha256: string): boolean {
    const hash = sha256.replace(/^0x/, "").toLowerCase();
    return this.ctx.db.prepare("SELECT 1 FROM document_uploaders WHERE sha256 = ? AND participant = ?").get(hash, actor.address) !== undefined;
  }

  /**
   * The document's bytes, for a firm that uploaded it, the parties of an invoice anchoring it whose
   * seller uploaded it (a hash seen on chain and anchored by another firm lends nothing), or
   * supervisors. Anyone else is told it does not exist: hashes are public on chain.
   */
  async read(actor: Actor, sha256: string): Promise<{ info: StoredDocument; content: Buffer }> {
    const hash = sha256.replace(/^0x/, "").toLowerCase();
    const info = this.ctx.db.prepare("SELECT sha256, filename, mime, size FROM documents WHERE sha256 = ?").get(hash) as StoredDocument | undefined;
    const allowed =
      info !== undefined &&
      (isSupervisor(actor) ||
        this.#uploadedBy(actor, hash) ||
        this.ctx.db
          .prepare(
            `SELECT 1 FROM invoices i JOIN document_uploaders u ON u.sha256 = @hash AND u.participant = i.seller
             WHERE i.document_hash = @doc AND (i.seller = @me OR i.buyer = @me
               OR EXISTS (SELECT 1 FROM pieces p WHERE p.invoice_id = i.id AND p.holder = @me)
               OR EXISTS (SELECT 1 FROM financings f WHERE f.invoice_id = i.id AND f.bank = @me))`,
          )
          .get({ hash, doc: `0x${hash}`, me: actor.address }) !== undefined);
    if (!allowed || this.dir === null) throw new AppError("NotFound", { what: "document" });
    return { info: { ...info, sha256: `0x${hash}` }, content: await readFile(path.join(this.dir, hash)) };
  }
}
