/**
 * Shared deployment for the TypeScript contract suites: the production Ignition module, then a
 * small pilot's participants admitted by the regulator and settlement tokens minted by the
 * operator. Load it with `networkHelpers.loadFixture(fixture)` where
 * `const fixture = () => deploySandbox(connection)` is defined once per file.
 */
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import type { NetworkConnection } from "hardhat/types/network";

import SandboxModule from "../../ignition/modules/Sandbox.js";
import type {
  ReceivableLedger,
  SandboxController,
  SettlementToken,
} from "./contracts.js";

export { FinancingStatus, InvoiceStatus, Limit, PieceStatus, Role } from "../../domain/enums.js";
import { Role } from "../../domain/enums.js";
import { DAY as DAY_SECONDS } from "../../domain/time.js";

export const DAY = BigInt(DAY_SECONDS);
export const YUAN = 100n; // fen per yuan
export const NO_EXPIRY = 2n ** 32n - 1n;
/** Settlement tokens minted to every bank and core enterprise: 100 million yuan. */
export const FUNDING = 100_000_000n * YUAN;
export const DOC_HASH = "0x" + "ab".repeat(32);

export interface Sandbox {
  controller: SandboxController;
  ledger: ReceivableLedger;
  token: SettlementToken;
  operator: HardhatEthersSigner;
  regulator: HardhatEthersSigner;
  /** Tier-1 suppliers sell to the core enterprises; the others are their own suppliers. */
  suppliers: HardhatEthersSigner[];
  buyers: HardhatEthersSigner[];
  banks: HardhatEthersSigner[];
  /** Never admitted. */
  outsider: HardhatEthersSigner;
  now: () => Promise<bigint>;
}

export async function deploySandbox(connection: NetworkConnection): Promise<Sandbox> {
  const { ethers, ignition, networkHelpers } = connection;
  const signers = await ethers.getSigners();
  const [operator, regulator, s1, s2, s3, s4, c1, c2, b1, b2, outsider] = signers;
  const deployed = await ignition.deploy(SandboxModule, { displayUi: false });
  const controller = deployed.controller as unknown as SandboxController;
  const ledger = deployed.ledger as unknown as ReceivableLedger;
  const token = deployed.token as unknown as SettlementToken;

  const suppliers = [s1, s2, s3, s4];
  const buyers = [c1, c2];
  const banks = [b1, b2];
  for (const s of suppliers)
    await controller.connect(regulator).admit(s.address, Role.Supplier, NO_EXPIRY);
  for (const c of buyers)
    await controller.connect(regulator).admit(c.address, Role.CoreEnterprise, NO_EXPIRY);
  for (const b of banks) await controller.connect(regulator).admit(b.address, Role.Bank, NO_EXPIRY);
  for (const a of [...buyers, ...banks]) await token.connect(operator).mint(a.address, FUNDING);

  return {
    controller,
    ledger,
    token,
    operator,
    regulator,
    suppliers,
    buyers,
    banks,
    outsider,
    now: async () => BigInt(await networkHelpers.time.latest()),
  };
}

export interface InvoiceInput {
  number?: string;
  amount?: bigint;
  /** Seconds from now; default 90 days. */
  dueIn?: bigint;
  /** Seconds before now; default 1 day. */
  issuedAgo?: bigint;
  documentHash?: string;
}

/** Submits an invoice from `seller` on `buyer` and returns its id. */
export async function submit(
  sb: Sandbox,
  seller: HardhatEthersSigner,
  buyer: HardhatEthersSigner,
  input: InvoiceInput = {},
): Promise<string> {
  const number = input.number ?? `INV-${Math.floor(Math.random() * 1e12)}`;
  const now = await sb.now();
  await sb.ledger
    .connect(seller)
    .submitInvoice(
      buyer.address,
      number,
      input.amount ?? 1_000_000n * YUAN,
      now - (input.issuedAgo ?? DAY),
      now + (input.dueIn ?? 90n * DAY),
      input.documentHash ?? DOC_HASH,
    );
  return sb.ledger.invoiceIdOf(seller.address, buyer.address, number);
}

/** Submits and confirms an invoice; piece 0 is held by `seller`. */
export async function confirmed(
  sb: Sandbox,
  seller: HardhatEthersSigner,
  buyer: HardhatEthersSigner,
  input: InvoiceInput = {},
): Promise<string> {
  const id = await submit(sb, seller, buyer, input);
  await sb.ledger.connect(buyer).confirmInvoice(id);
  return id;
}

/** Sets a sandbox limit as the regulator. */
export async function setLimit(sb: Sandbox, limit: number, value: bigint | number): Promise<void> {
  await sb.controller.connect(sb.regulator).setLimit(limit, value, "test");
}

/** A holder's maximum rate that accepts any rate within the ceiling (the largest a uint16 holds). */
export const ANY_RATE = 65_535n;

/**
 * The named bank approves the request pending on the piece now at `rateBps`, naming the terms it
 * reviewed (holder, amount, recourse) as read from the chain; with no piece or request to read,
 * it names nothing, so the ledger's own refusal shows.
 */
export async function approveReviewed(
  ledger: ReceivableLedger,
  bank: HardhatEthersSigner,
  invoiceId: string,
  pieceIndex: bigint | number,
  rateBps: bigint | number,
) {
  let terms: [string, bigint, boolean] = ["0x0000000000000000000000000000000000000000", 0n, false];
  try {
    const [piece, financing] = await Promise.all([ledger.piece(invoiceId, pieceIndex), ledger.financing(invoiceId, pieceIndex)]);
    terms = [piece.holder, piece.amount, financing.withRecourse];
  } catch {
    // No such invoice or piece: the approval below reverts with the ledger's reason.
  }
  return ledger.connect(bank).approveFinancing(invoiceId, pieceIndex, ...terms, rateBps);
}
