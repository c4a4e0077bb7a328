/**
 * Invoices and their pieces as the index keeps them: who is party to one, the filtered and sorted
 * receivables lists (with their counts), and the receivables the keeper must mark.
 */
import type { Piece } from "../../../../domain/api.js";
import type { InvoiceStatusName } from "../../../../domain/enums.js";
import type { Db } from "../database.js";

export interface InvoiceRow {
  id: string;
  invoice_number: string;
  seller: string;
  /** Absent when the names come from a {NameBook}. */
  seller_name?: string | null;
  buyer: string;
  buyer_name?: string | null;
  face_amount: number;
  paid_amount: number;
  issue_date: number;
  due_date: number;
  status: InvoiceStatusName;
  frozen: number;
  document_hash: string;
  piece_count: number;
  dispute_reason: string | null;
  submitted_at: number;
  confirmed_at: number | null;
  settled_at: number | null;
}

export interface PieceRow {
  invoice_id: string;
  idx: number;
  holder: string;
  holder_name: string | null;
  amount: number;
  tier: number;
  status: Piece["status"];
  parent: number;
  received: number;
}

/** A receivable the keeper may have to mark overdue or defaulted. */
export interface DueCandidateRow {
  id: string;
  status: InvoiceStatusName;
  due_date: number;
}

export type InvoiceSort = "due" | "-due" | "submitted" | "-submitted";

/** A receivables list: every filter optional; dates as Unix seconds, addresses checksummed. */
export interface InvoiceFilter {
  holder?: string;
  seller?: string;
  buyer?: string;
  status?: string;
  dueFrom?: number;
  dueTo?: number;
  /** Only invoices this address is party to (undefined: no such restriction). */
  visibleTo?: string;
  sort: InvoiceSort;
  limit: number;
  offset: number;
}

/** The name of the participant at `column`, as a subquery (one row looked up, not joined). */
const participantName = (column: string) => `(SELECT name FROM participants WHERE address = ${column})`;

/**
 * Invoices with their parties' names, for one or a few rows (an invoice by id): the names looked
 * up by subqueries, which a one-row statement runs about 6 times faster than joins.
 */
const INVOICE_SELECT = `SELECT i.*, ${participantName("i.seller")} AS seller_name, ${participantName("i.buyer")} AS buyer_name FROM invoices i`;

/** Pieces (alias `pc`) with their holders' names, for one invoice's few pieces (see INVOICE_SELECT). */
const PIECE_SELECT = `SELECT pc.*, ${participantName("pc.holder")} AS holder_name FROM pieces pc`;

/** Rows of invoices (alias `i`, read from `from`), without their parties' names (see NameBook). */
const invoiceSelect = (from: string) => `SELECT i.* FROM ${from}`;

/** SQL condition (on alias `i`) restricting invoices to those one address is party to (5 times that address). */
const VISIBLE_TO = `(i.seller = ? OR i.buyer = ? OR EXISTS (SELECT 1 FROM pieces x WHERE x.invoice_id = i.id AND x.holder = ?)
           OR EXISTS (SELECT 1 FROM financings y WHERE y.invoice_id = i.id AND (y.bank = ? OR y.holder = ?)))`;

const SORTS: Record<InvoiceSort, [column: string, direction: string]> = {
  due: ["due_date", "ASC"],
  "-due": ["due_date", "DESC"],
  submitted: ["submitted_at", "ASC"],
  "-submitted": ["submitted_at", "DESC"],
};

export class InvoiceRepository {
  readonly #exists;
  readonly #isParty;
  readonly #buyer;
  readonly #byId;
  readonly #pieces;
  readonly #piece;
  readonly #pieceHolder;
  readonly #pieceAmount;
  readonly #dueCandidates;

  constructor(private readonly db: Db) {
    this.#exists = db.prepare<[string], unknown>("SELECT 1 FROM invoices WHERE id = ?");
    this.#isParty = db.prepare<{ id: string; me: string }, unknown>(
      `SELECT 1 FROM invoices i WHERE i.id = @id AND (i.seller = @me OR i.buyer = @me
         OR EXISTS (SELECT 1 FROM pieces WHERE invoice_id = @id AND holder = @me)
         OR EXISTS (SELECT 1 FROM financings WHERE invoice_id = @id AND (bank = @me OR holder = @me)))`,
    );
    this.#buyer = db.prepare<[string], { buyer: string }>("SELECT buyer FROM invoices WHERE id = ?");
    this.#byId = db.prepare<[string], InvoiceRow>(`${INVOICE_SELECT} WHERE i.id = ?`);
    this.#pieces = db.prepare<[string], PieceRow>(`${PIECE_SELECT} WHERE pc.invoice_id = ?`);
    this.#piece = db.prepare<[string, number], PieceRow>(`${PIECE_SELECT} WHERE pc.invoice_id = ? AND pc.idx = ?`);
    this.#pieceHolder = db.prepare<[string, number], { holder: string }>("SELECT holder FROM pieces WHERE invoice_id = ? AND idx = ?");
    this.#pieceAmount = db.prepare<[string, number], { amount: number }>("SELECT amount FROM pieces WHERE invoice_id = ? AND idx = ?");
    this.#dueCandidates = db.prepare<{ grace: number; default: number; now: number }, DueCandidateRow>(
      `SELECT id, status, due_date FROM invoices WHERE frozen = 0 AND (
           (status = 'Confirmed' AND due_date + @grace < @now)
           OR (status IN ('Confirmed', 'Overdue') AND due_date + @default < @now))
         ORDER BY due_date`,
    );
  }

  exists(invoiceId: string): boolean {
    return this.#exists.get(invoiceId) !== undefined;
  }

  /**
   * True when `address` is party to the invoice: its seller or buyer, a holder of one of its
   * pieces, or a bank asked to finance one (or the holder of such a request).
   */
  isParty(invoiceId: string, address: string): boolean {
    return this.#isParty.get({ id: invoiceId, me: address }) !== undefined;
  }

  buyerOf(invoiceId: string): string | undefined {
    return this.#buyer.get(invoiceId)?.buyer;
  }

  /** The invoice with its parties' names. */
  byId(invoiceId: string): InvoiceRow | undefined {
    return this.#byId.get(invoiceId);
  }

  /** The invoice's pieces with their holders' names, by index. */
  pieces(invoiceId: string): PieceRow[] {
    // Sorted here: SQLite's ORDER BY, even served by the index, cost more than this sort.
    return this.#pieces.all(invoiceId).sort((a, b) => a.idx - b.idx);
  }

  piece(invoiceId: string, index: number): PieceRow | undefined {
    return this.#piece.get(invoiceId, index);
  }

  holderOf(invoiceId: string, index: number): string | undefined {
    return this.#pieceHolder.get(invoiceId, index)?.holder;
  }

  pieceAmount(invoiceId: string, index: number): number | undefined {
    return this.#pieceAmount.get(invoiceId, index)?.amount;
  }

  /**
   * Unfrozen receivables past their grace period (`grace` seconds, still Confirmed) or their default
   * threshold (`default` seconds), oldest due first, read as the caller goes. Pauses are ignored
   * here (they only push deadlines later): the caller applies the chain's rule to each.
   */
  dueCandidates(now: number, grace: number, defaultAfter: number): IterableIterator<DueCandidateRow> {
    return this.#dueCandidates.iterate({ grace, default: defaultAfter, now });
  }

  /** One page of a receivables list (without the parties' names: see NameBook) and how many match. */
  list(q: InvoiceFilter): { rows: InvoiceRow[]; total: number } {
    const { holder, seller, buyer } = q;
    // With a holder, the holder's own read model (holdings: one row per invoice held, with its
    // status and dates) drives the query, read in order from its index; else the invoices table.
    // Either way `i` is the invoice; `f` is where the status and dates are filtered and sorted.
    const f = holder !== undefined ? "hd" : "i";
    // Conditions on the invoice row itself (the holdings alone answer the rest).
    const onInvoice: string[] = [];
    const onInvoiceParams: unknown[] = [];
    if (q.visibleTo !== undefined) {
      onInvoice.push(VISIBLE_TO);
      onInvoiceParams.push(...Array<string>(5).fill(q.visibleTo));
    }
    if (seller !== undefined) {
      onInvoice.push("i.seller = ?");
      onInvoiceParams.push(seller);
    }
    if (buyer !== undefined) {
      onInvoice.push("i.buyer = ?");
      onInvoiceParams.push(buyer);
    }
    const where: string[] = [];
    const params: unknown[] = [];
    if (holder !== undefined) {
      where.push("hd.holder = ?");
      params.push(holder);
    }
    if (q.status !== undefined) {
      where.push(`${f}.status = ?`);
      params.push(q.status);
    }
    if (q.dueFrom !== undefined) {
      where.push(`${f}.due_date >= ?`);
      params.push(q.dueFrom);
    }
    if (q.dueTo !== undefined) {
      where.push(`${f}.due_date <= ?`);
      params.push(q.dueTo);
    }
    where.push(...onInvoice);
    params.push(...onInvoiceParams);
    const filter = where.length === 0 ? "1" : where.join(" AND ");
    // CROSS JOIN keeps the holder's holdings as the outer loop (each invoice then one key lookup),
    // whatever the planner's statistics say.
    const from = holder !== undefined ? "holdings hd CROSS JOIN invoices i ON i.id = hd.invoice_id" : "invoices i";
    const countFrom = holder !== undefined && onInvoice.length === 0 ? "holdings hd" : from;
    const total = this.#count(countFrom, filter, params, q);
    // Ties (same date) in the order the index already holds them, in the sort's direction, so the
    // index gives the whole order and the page stops reading at its last row: the invoices' own
    // indexes end with the row id (invoices in the order they were indexed), the holdings' with
    // the invoice id. Tied by invoice id instead, SQLite sorted every row sharing a date.
    const [column, direction] = SORTS[q.sort];
    const tie = f === "hd" ? "hd.invoice_id" : "i.rowid";
    const rows = this.db
      .prepare<unknown[], InvoiceRow>(`${invoiceSelect(from)} WHERE ${filter} ORDER BY ${f}.${column} ${direction}, ${tie} ${direction} LIMIT ? OFFSET ?`)
      .all(...params, q.limit, q.offset);
    return { rows, total };
  }

  /**
   * The number of receivables a list matches. Filtered by status and/or buyer alone (the
   * regulator's list, a buyer's own), the trigger-kept tally answers in a few rows (migration 6);
   * any other filter counts the matching rows.
   */
  #count(countFrom: string, filter: string, params: unknown[], q: InvoiceFilter): number {
    if (q.visibleTo === undefined && q.holder === undefined && q.seller === undefined && q.dueFrom === undefined && q.dueTo === undefined) {
      const where: string[] = [];
      const args: unknown[] = [];
      if (q.status !== undefined) {
        where.push("status = ?");
        args.push(q.status);
      }
      if (q.buyer !== undefined) {
        where.push("buyer = ?");
        args.push(q.buyer);
      }
      const sql = `SELECT COALESCE(SUM(n), 0) AS n FROM invoice_tally${where.length === 0 ? "" : ` WHERE ${where.join(" AND ")}`}`;
      return this.db.prepare<unknown[], { n: number }>(sql).get(...args)?.n ?? 0;
    }
    return this.db.prepare<unknown[], { n: number }>(`SELECT COUNT(*) AS n FROM ${countFrom} WHERE ${filter}`).get(...params)?.n ?? 0;
  }
}
