/**
 * Gas benchmark of the receivable lifecycle (`npm run bench:gas`).
 *
 * Deploys the sandbox with the production Ignition module on an in-process chain, runs the
 * lifecycle of one invoice split once and financed once (submit, confirm, split-transfer, request
 * financing, approve financing, pay) twice: "cold" on fresh accounts, then "warm" with the same
 * parties. Beside it, in the same run, measures plain OpenZeppelin 5 tokens deployed only here
 * (ERC-1155 mint and partial transfer, ERC-20 transfer), cold and warm. The last line is one JSON
 * object with every figure; `floorGas` is the reference operations a lifecycle needs at the least.
 */
import type { Contract, ContractTransactionResponse } from "ethers";
import { network } from "hardhat";

import { DAY as DAY_SECONDS } from "../domain/time.js";
import SandboxModule from "../ignition/modules/Sandbox.js";
import type { ReceivableLedger, SandboxController, SettlementToken } from "../test/helpers/contracts.js";

const DAY = BigInt(DAY_SECONDS);
const YUAN = 100n;
const FACE = 1_000_000n * YUAN;
const SPLIT = 300_000n * YUAN; // 30% to the tier-2 supplier
const RATE_BPS = 450n;

const { ethers, ignition, networkHelpers } = await network.create();
const [operator, regulator, seller, tier2, buyer, bank, refA, refB, refC, refD, sellerW] = await ethers.getSigners();
const deployed = await ignition.deploy(SandboxModule, { displayUi: false });
const token = deployed.token as unknown as SettlementToken;
const controller = deployed.controller as unknown as SandboxController;
const ledger = deployed.ledger as unknown as ReceivableLedger;

async function gasOf(tx: Promise<ContractTransactionResponse>): Promise<number> {
  const receipt = await (await tx).wait();
  if (receipt === null) throw new Error("transaction was not mined");
  return Number(receipt.gasUsed);
}

// ---- Setup: admission and funding (not measured) -------------------------------------------
const NO_EXPIRY = 2n ** 32n - 1n;
for (const [who, role] of [
  [seller, 1],
  [tier2, 1],
  [sellerW, 1],
  [buyer, 2],
  [bank, 3],
] as const) {
  await controller.connect(regulator).admit(who.address, role, NO_EXPIRY);
}
await token.connect(operator).mint(bank.address, 100_000_000n * YUAN);
await token.connect(operator).mint(buyer.address, 100_000_000n * YUAN);

type Steps = Record<string, number>;

/** One invoice: submitted, confirmed, 30% split to tier 2, that piece financed, paid in full. */
async function lifecycle(number: string): Promise<Steps> {
  const now = BigInt(await networkHelpers.time.latest());
  const doc = ethers.sha256(ethers.toUtf8Bytes(number));
  const id = await ledger.invoiceIdOf(seller.address, buyer.address, number);
  const s: Steps = {};
  s.submit = await gasOf(
    ledger.connect(seller).submitInvoice(buyer.address, number, FACE, now - DAY, now + 90n * DAY, doc),
  );
  s.confirm = await gasOf(ledger.connect(buyer).confirmInvoice(id));
  s.splitTransfer = await gasOf(ledger.connect(seller).transferPiece(id, 0, tier2.address, SPLIT));
  s.requestFinancing = await gasOf(ledger.connect(tier2).requestFinancing(id, 1, bank.address, true, RATE_BPS));
  s.approveFinancing = await gasOf(ledger.connect(bank).approveFinancing(id, 1, tier2.address, SPLIT, true, RATE_BPS));
  await networkHelpers.time.increase(90n * DAY);
  s.pay = await gasOf(ledger.connect(buyer).pay(id, FACE));
  return s;
}

/** The same invoice without split or financing: pay reaches one holder instead of two. */
async function singleHolderPay(from: typeof seller, number: string): Promise<number> {
  const now = BigInt(await networkHelpers.time.latest());
  const id = await ledger.invoiceIdOf(from.address, buyer.address, number);
  const doc = ethers.sha256(ethers.toUtf8Bytes(number));
  await ledger.connect(from).submitInvoice(buyer.address, number, FACE, now - DAY, now + 90n * DAY, doc);
  await ledger.connect(buyer).confirmInvoice(id);
  return gasOf(ledger.connect(buyer).pay(id, FACE));
}

const total = (s: Steps) => Object.values(s).reduce((a, b) => a + b, 0);

const cold = await lifecycle("BENCH-0001");
const warm = await lifecycle("BENCH-0002");
// Receipt of each holder: pay is push-based (every holder is paid inside `pay`), so a holder's
// receipt is the gas one more holder adds to `pay`. sellerW has never held tokens (cold receipt).
const payOneHolderCold = await singleHolderPay(sellerW, "BENCH-0003");
const payOneHolderWarm = await singleHolderPay(sellerW, "BENCH-0004");

// ---- Reference operations on plain OpenZeppelin 5 tokens -----------------------------------
const erc1155 = await ethers.deployContract("ReferenceERC1155");
const erc20 = await ethers.deployContract("ReferenceERC20");
const ref = {
  erc1155MintCold: await gasOf(erc1155.mint(refA.address, 1, FACE)),
  erc1155MintWarm: await gasOf(erc1155.mint(refA.address, 1, FACE)),
  erc1155PartialTransferCold: await gasOf(
    (erc1155.connect(refA) as Contract).safeTransferFrom(refA.address, refB.address, 1, SPLIT, "0x"),
  ),
  erc1155PartialTransferWarm: await gasOf(
    (erc1155.connect(refA) as Contract).safeTransferFrom(refA.address, refB.address, 1, SPLIT, "0x"),
  ),
  erc20TransferCold: 0,
  erc20TransferWarm: 0,
};
await erc20.mint(refC.address, FACE);
ref.erc20TransferCold = await gasOf((erc20.connect(refC) as Contract).transfer(refD.address, SPLIT));
ref.erc20TransferWarm = await gasOf((erc20.connect(refC) as Contract).transfer(refD.address, SPLIT));

// The least a tokenized lifecycle must do: mint the receivable, move part of it (split), move a
// piece to the bank, pay the advance, and pay two holders at maturity (one new, one known).
const floor = {
  mintReceivable: ref.erc1155MintCold,
  splitTransfer: ref.erc1155PartialTransferCold,
  pieceToBank: ref.erc1155PartialTransferCold,
  advanceToHolder: ref.erc20TransferCold,
  payFirstHolder: ref.erc20TransferCold,
  paySecondHolder: ref.erc20TransferWarm,
};
const floorGas = total(floor);
const lifecycleGas = total(cold);

// ---- Report --------------------------------------------------------------------------------
const fmt = (n: number) => n.toLocaleString("en-US").padStart(9);
console.log("Receivable lifecycle (one invoice, split once, financed once), gas used per step:");
console.log(`  ${"step".padEnd(34)}${"cold".padStart(9)}  ${"warm".padStart(9)}`);
for (const k of Object.keys(cold)) console.log(`  ${k.padEnd(34)}${fmt(cold[k])}  ${fmt(warm[k])}`);
console.log(`  ${"whole lifecycle".padEnd(34)}${fmt(lifecycleGas)}  ${fmt(total(warm))}`);
console.log(
  `  ${"holder receipts (inside pay)".padEnd(34)}${fmt(cold.pay - payOneHolderCold)}  ${fmt(warm.pay - payOneHolderWarm)}  (second holder's share of pay; pay to one holder: ${payOneHolderCold.toLocaleString("en-US")} / ${payOneHolderWarm.toLocaleString("en-US")})`,
);
console.log("Reference operations, plain OpenZeppelin 5 tokens (same run):");
console.log(`  ERC-1155 mint               ${fmt(ref.erc1155MintCold)}  ${fmt(ref.erc1155MintWarm)}`);
console.log(`  ERC-1155 partial transfer   ${fmt(ref.erc1155PartialTransferCold)}  ${fmt(ref.erc1155PartialTransferWarm)}`);
console.log(`  ERC-20 transfer             ${fmt(ref.erc20TransferCold)}  ${fmt(ref.erc20TransferWarm)}`);
console.log(`Floor (${Object.keys(floor).join(" + ")}): ${floorGas.toLocaleString("en-US")}`);
const targets = {
  lifecycle: { limit: 650_000, value: lifecycleGas },
  splitTransfer: { limit: 100_000, value: cold.splitTransfer },
  submitPlusConfirm: { limit: 200_000, value: cold.submit + cold.confirm },
};
for (const [name, t] of Object.entries(targets)) {
  console.log(`Target ${name}: ${t.value.toLocaleString("en-US")} <= ${t.limit.toLocaleString("en-US")} ${t.value <= t.limit ? "met" : "MISSED"}`);
}
console.log(
  JSON.stringify({
    lifecycleGas,
    lifecycleGasWarm: total(warm),
    floorGas,
    ratio: Number((lifecycleGas / floorGas).toFixed(3)),
    steps: { cold, warm, payOneHolderCold, payOneHolderWarm },
    reference: ref,
    floor,
    targetsMet: Object.values(targets).every((t) => t.value <= t.limit),
  }),
);
