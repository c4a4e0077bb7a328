/**
 * Helpers shared by the receivable ledger suites. The money arithmetic here is written from the
 * NatSpec of IReceivableLedger and DESIGN.md section 3, independently of the contracts, so that
 * the suites check the contracts against the specification and not against themselves.
 */
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";

import { DAY, DOC_HASH, type Sandbox } from "../helpers/fixtures.js";
import { ANY_RATE, approveReviewed } from "../helpers/fixtures.js";

export const MAX_FACE = 2n ** 48n - 1n;
/** Day-count basis (360) times basis points (10_000). */
export const DISCOUNT_DIVISOR = 360n * 10_000n;
export const MAX_PIECES = 64n;

/** Whole days from `now` to `due`, a started day counting as one; 0 once due. */
export function daysToMaturity(now: bigint, due: bigint): bigint {
  if (due <= now) return 0n;
  const whole = (due - now) / DAY;
  return (due - now) % DAY === 0n ? whole : whole + 1n;
}

/** floor(amount * rateBps * days / 3_600_000). */
export function discountOf(amount: bigint, rateBps: bigint, days: bigint): bigint {
  return (amount * rateBps * days) / DISCOUNT_DIVISOR;
}

/** Cumulative share of a piece once `paidTotal` of `face` is paid: floor(paidTotal * amount / face). */
export function paidShare(paidTotal: bigint, amount: bigint, face: bigint): bigint {
  return (paidTotal * amount) / face;
}

/** A piece as plain values, comparable with `deep.equal`. */
export interface PieceValue {
  holder: string;
  amount: bigint;
  tier: bigint;
  status: bigint;
  parent: bigint;
}

export function pieceValue(
  holder: string | { address: string },
  amount: bigint,
  tier: number | bigint,
  status: number | bigint,
  parent: number | bigint,
): PieceValue {
  return {
    holder: typeof holder === "string" ? holder : holder.address,
    amount,
    tier: BigInt(tier),
    status: BigInt(status),
    parent: BigInt(parent),
  };
}

type PieceLike = { holder: string; amount: bigint; tier: bigint; status: bigint; parent: bigint };

function plain(p: PieceLike): PieceValue {
  return { holder: p.holder, amount: p.amount, tier: p.tier, status: p.status, parent: p.parent };
}

/** Piece `index` of `id`, as plain values. */
export async function readPiece(
  sb: Sandbox,
  id: string,
  index: number | bigint,
): Promise<PieceValue> {
  return plain(await sb.ledger.piece(id, index));
}

/** Every piece of `id`, as plain values. */
export async function readPieces(sb: Sandbox, id: string): Promise<PieceValue[]> {
  return (await sb.ledger.pieces(id)).map(plain);
}

export interface InvoiceSpec {
  number: string;
  amount: bigint;
  issueDate: bigint;
  dueDate: bigint;
  documentHash?: string;
}

/**
 * Submits an invoice with explicit dates (the fixture's `submit` draws a random number and dates
 * relative to the last block) and returns its id.
 */
export async function submitSpec(
  sb: Sandbox,
  seller: HardhatEthersSigner,
  buyer: HardhatEthersSigner,
  spec: InvoiceSpec,
): Promise<string> {
  await sb.ledger
    .connect(seller)
    .submitInvoice(
      buyer.address,
      spec.number,
      spec.amount,
      spec.issueDate,
      spec.dueDate,
      spec.documentHash ?? DOC_HASH,
    );
  return sb.ledger.invoiceIdOf(seller.address, buyer.address, spec.number);
}

/** Submits and confirms an invoice of `amount` fen due `dueIn` seconds after the last block. */
export async function confirmedInvoice(
  sb: Sandbox,
  seller: HardhatEthersSigner,
  buyer: HardhatEthersSigner,
  number: string,
  amount: bigint,
  dueIn: bigint = 90n * DAY,
): Promise<{ id: string; dueDate: bigint }> {
  const now = await sb.now();
  const dueDate = now + dueIn;
  const id = await submitSpec(sb, seller, buyer, { number, amount, issueDate: now - DAY, dueDate });
  await sb.ledger.connect(buyer).confirmInvoice(id);
  return { id, dueDate };
}

/** `holder` asks `bank` to finance piece `index` and the bank approves at `rateBps`. */
export async function finance(
  sb: Sandbox,
  id: string,
  index: number | bigint,
  holder: HardhatEthersSigner,
  bank: HardhatEthersSigner,
  rateBps: bigint,
  withRecourse = false,
): Promise<void> {
  await sb.ledger.connect(holder).requestFinancing(id, index, bank.address, withRecourse, ANY_RATE);
  await approveReviewed(sb.ledger, bank, id, index, rateBps);
}

/** Sum of the amounts of every piece of `id`. */
export async function piecesTotal(sb: Sandbox, id: string): Promise<bigint> {
  return (await sb.ledger.pieces(id)).reduce((sum, p) => sum + p.amount, 0n);
}
