/**
 * Small helpers shared by the sandbox, token and behaviour suites. They only read the chain or
 * send the transactions a test would otherwise spell out; every assertion stays in the tests.
 */
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import type { NetworkHelpers } from "@nomicfoundation/hardhat-network-helpers/types";

import type { Sandbox } from "../helpers/fixtures.js";
import { DOC_HASH, NO_EXPIRY, Role } from "../helpers/fixtures.js";
import { ANY_RATE, approveReviewed } from "../helpers/fixtures.js";

export const REASON = "sandbox review";
export const MAX_UINT16 = 2n ** 16n - 1n;
export const MAX_UINT32 = 2n ** 32n - 1n;
export const MAX_UINT48 = 2n ** 48n - 1n;
export const MAX_UINT128 = 2n ** 128n - 1n;

/**
 * The policy a fresh deployment starts with: the Ignition module sets no limit, so these are the
 * constructor's values of SandboxPolicy.
 */
export const DEFAULT_POLICY = {
  paused: false,
  windingDown: false,
  pilotStart: 0n,
  pilotEnd: MAX_UINT32,
  maxTenorDays: 365n,
  rateCeilingBps: 10_000n,
  maxTierDepth: 255n,
  gracePeriodDays: 0n,
  defaultThresholdDays: 90n,
  minPieceAmount: 1n,
  supplierFinancingCap: MAX_UINT128,
  bankExposureCap: MAX_UINT128,
  buyerOutstandingCap: MAX_UINT128,
  pilotFinancingCap: MAX_UINT128,
  pilotFinanced: 0n,
  maxParticipants: MAX_UINT32,
  /** Regulator and operator (constructor) + 4 suppliers, 2 core enterprises, 2 banks (fixture). */
  admittedCount: 10n,
} as const;

export type PolicyView = {
  -readonly [K in keyof typeof DEFAULT_POLICY]: (typeof DEFAULT_POLICY)[K] extends boolean
    ? boolean
    : bigint;
};

/** `controller.policy()` as a plain object, for deep equality with {DEFAULT_POLICY}. */
export async function policyOf(sb: Sandbox): Promise<PolicyView> {
  const p = await sb.controller.policy();
  return {
    paused: p.paused,
    windingDown: p.windingDown,
    pilotStart: p.pilotStart,
    pilotEnd: p.pilotEnd,
    maxTenorDays: p.maxTenorDays,
    rateCeilingBps: p.rateCeilingBps,
    maxTierDepth: p.maxTierDepth,
    gracePeriodDays: p.gracePeriodDays,
    defaultThresholdDays: p.defaultThresholdDays,
    minPieceAmount: p.minPieceAmount,
    supplierFinancingCap: p.supplierFinancingCap,
    bankExposureCap: p.bankExposureCap,
    buyerOutstandingCap: p.buyerOutstandingCap,
    pilotFinancingCap: p.pilotFinancingCap,
    pilotFinanced: p.pilotFinanced,
    maxParticipants: p.maxParticipants,
    admittedCount: p.admittedCount,
  };
}

/** `controller.participant(account)` as a plain object. */
export async function participantOf(sb: Sandbox, account: { address: string } | string) {
  const address = typeof account === "string" ? account : account.address;
  const p = await sb.controller.participant(address);
  return {
    role: Number(p.role),
    frozen: p.frozen,
    admittedUntil: p.admittedUntil,
    outstanding: p.outstanding,
  };
}

/** Exposure counter of `account` (supplier financing, bank exposure or buyer outstanding). */
export async function outstandingOf(sb: Sandbox, account: { address: string }): Promise<bigint> {
  return (await sb.controller.participant(account.address)).outstanding;
}

/**
 * Fixes the timestamp of the next block at `delta` seconds after the latest one and returns it,
 * so that a rule's `now_` argument (or a boundary instant) is known before the transaction.
 * A transaction that reverts mines no block: the next one still gets this timestamp.
 */
export async function atNextBlock(helpers: NetworkHelpers, delta: bigint = 1n): Promise<bigint> {
  const ts = BigInt(await helpers.time.latest()) + delta;
  await helpers.time.setNextBlockTimestamp(ts);
  return ts;
}

/** Sets the timestamp of the next block to exactly `ts`. */
export async function nextBlockAt(helpers: NetworkHelpers, ts: bigint): Promise<bigint> {
  await helpers.time.setNextBlockTimestamp(ts);
  return ts;
}

/** Admits `account` as a second regulator (signed by the first one), without expiry by default. */
export async function admitRegulator(
  sb: Sandbox,
  account: HardhatEthersSigner,
  admittedUntil: bigint = NO_EXPIRY,
): Promise<HardhatEthersSigner> {
  await sb.controller.connect(sb.regulator).admit(account.address, Role.Regulator, admittedUntil);
  return account;
}

/** Raw invoice submission with explicit dates (the fixtures' `submit` computes them from now). */
export async function submitWithDates(
  sb: Sandbox,
  seller: HardhatEthersSigner,
  buyer: HardhatEthersSigner,
  number: string,
  amount: bigint,
  issueDate: bigint,
  dueDate: bigint,
) {
  return sb.ledger
    .connect(seller)
    .submitInvoice(buyer.address, number, amount, issueDate, dueDate, DOC_HASH);
}

let invoiceSerial = 0;
/** A fresh invoice number (deterministic, unlike the fixtures' random default). */
export function nextInvoiceNumber(prefix = "CTRL"): string {
  invoiceSerial += 1;
  return `${prefix}-${invoiceSerial}`;
}

/** The holder asks `bank` to finance piece `pieceIndex`. */
export async function requestFinancing(
  sb: Sandbox,
  holder: HardhatEthersSigner,
  invoiceId: string,
  pieceIndex: bigint | number,
  bank: HardhatEthersSigner,
  withRecourse = false,
): Promise<void> {
  await (
    await sb.ledger
      .connect(holder)
      .requestFinancing(invoiceId, pieceIndex, bank.address, withRecourse, ANY_RATE)
  ).wait();
}

/** Request and approval in one go: `bank` finances the piece of `holder` at `rateBps`. */
export async function finance(
  sb: Sandbox,
  holder: HardhatEthersSigner,
  invoiceId: string,
  pieceIndex: bigint | number,
  bank: HardhatEthersSigner,
  { rateBps = 0n, withRecourse = false }: { rateBps?: bigint; withRecourse?: boolean } = {},
): Promise<void> {
  await requestFinancing(sb, holder, invoiceId, pieceIndex, bank, withRecourse);
  await (await approveReviewed(sb.ledger, bank, invoiceId, pieceIndex, rateBps)).wait();
}

/** `holder` splits `amount` fen off piece `pieceIndex` for `to`; returns the new piece's index. */
export async function split(
  sb: Sandbox,
  holder: HardhatEthersSigner,
  invoiceId: string,
  pieceIndex: bigint | number,
  to: HardhatEthersSigner,
  amount: bigint,
): Promise<bigint> {
  await (
    await sb.ledger.connect(holder).transferPiece(invoiceId, pieceIndex, to.address, amount)
  ).wait();
  return (await sb.ledger.invoice(invoiceId)).pieceCount - 1n;
}
