/**
 * Uploaded documents (by SHA-256, hex without 0x) and which firms uploaded each: the bytes live on
 * disk, their description and uploaders here.
 */
import type { Db } from "../database.js";

export interface DocumentRow {
  sha256: string;
  filename: string;
  mime: string;
  size: number;
}

export class DocumentRepository {
  readonly #insert;
  readonly #addUploader;
  readonly #get;
  readonly #uploadedBy;
  readonly #anchoredFor;

  constructor(db: Db) {
    this.#insert = db.prepare<[string, string, string, number, number, number]>(
      `INSERT INTO documents(sha256, filename, mime, size, uploaded_by, created_at) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT(sha256) DO NOTHING`,
    );
    this.#addUploader = db.prepare<[string, string]>("INSERT INTO document_uploaders(sha256, participant) VALUES (?, ?) ON CONFLICT DO NOTHING");
    this.#get = db.prepare<[string], DocumentRow>("SELECT sha256, filename, mime, size FROM documents WHERE sha256 = ?");
    this.#uploadedBy = db.prepare<[string, string], unknown>("SELECT 1 FROM document_uploaders WHERE sha256 = ? AND participant = ?");
    this.#anchoredFor = db.prepare<{ hash: string; doc: string; me: string }, unknown>(
      `SELECT 1 FROM invoices i JOIN document_uploaders u ON u.sha256 = @hash AND u.participant = i.seller
             WHERE i.document_hash = @doc AND (i.seller = @me OR i.buyer = @me
               OR EXISTS (SELECT 1 FROM pieces p WHERE p.invoice_id = i.id AND p.holder = @me)
               OR EXISTS (SELECT 1 FROM financings f WHERE f.invoice_id = i.id AND f.bank = @me))`,
    );
  }

  /** Records a document (the first upload's description stays). */
  insert(doc: DocumentRow, uploadedBy: number, createdAt: number): void {
    this.#insert.run(doc.sha256, doc.filename, doc.mime, doc.size, uploadedBy, createdAt);
  }

  /** Records that `participant`'s firm uploaded the document (once). */
  addUploader(sha256: string, participant: string): void {
    this.#addUploader.run(sha256, participant);
  }

  get(sha256: string): DocumentRow | undefined {
    return this.#get.get(sha256);
  }

  uploadedBy(sha256: string, participant: string): boolean {
    return this.#uploadedBy.get(sha256, participant) !== undefined;
  }

  /**
   * True when an invoice anchoring the document, whose seller uploaded it, has `address` as its
   * seller, buyer, a piece's holder or a financing's bank.
   */
  anchoredFor(sha256: string, address: string): boolean {
    return this.#anchoredFor.get({ hash: sha256, doc: `0x${sha256}`, me: address }) !== undefined;
  }
}
