/**
 * Invoice documents: PDF or image, at most 10 MB, type checked by content (not by name or the
 * declared type), stored under the data directory by their SHA-256, which the invoice anchors.
 */
import { createHash } from "node:crypto";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";

import { fileTypeFromBuffer } from "file-type";

import { DocumentRepository } from "../db/repositories/documents.js";
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
  readonly #documents: DocumentRepository;

  constructor(
    ctx: Ctx,
    private readonly dir: string | null,
  ) {
    this.#documents = new DocumentRepository(ctx.db);
  }

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
    this.#documents.insert({ sha256, filename: safeName, mime: type.mime, size: content.length }, actor.userId, Math.floor(Date.now() / 1000));
    // Every firm that uploads the same bytes holds them: each may anchor them.
    this.#documents.addUploader(sha256, actor.address);
    // The first upload's description (name and type) stays.
    const row = this.#documents.get(sha256) ?? { sha256, filename: safeName, mime: type.mime, size: content.length };
    return { ...row, sha256: `0x${row.sha256}` };
  }

  /** True when `actor`'s firm uploaded the document (hex SHA-256, with or without 0x). */
  #uploadedBy(actor: Actor, sha256: string): boolean {
    const hash = sha256.replace(/^0x/, "").toLowerCase();
    return this.#documents.uploadedBy(hash, actor.address);
  }

  /**
   * The document's bytes, for a firm that uploaded it, the parties of an invoice anchoring it whose
   * seller uploaded it (a hash seen on chain and anchored by another firm lends nothing), or
   * supervisors. Anyone else is told it does not exist: hashes are public on chain.
   */
  async read(actor: Actor, sha256: string): Promise<{ info: StoredDocument; content: Buffer }> {
    const hash = sha256.replace(/^0x/, "").toLowerCase();
    const info = this.#documents.get(hash);
    const allowed = info !== undefined && (isSupervisor(actor) || this.#uploadedBy(actor, hash) || this.#documents.anchoredFor(hash, actor.address));
    if (!allowed || this.dir === null) throw new AppError("NotFound", { what: "document" });
    return { info: { ...info, sha256: `0x${hash}` }, content: await readFile(path.join(this.dir, hash)) };
  }
}
