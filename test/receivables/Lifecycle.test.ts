/**
 * One receivable's whole life as DESIGN.md section 3 tells it: a supplier submits an invoice, the
 * core enterprise confirms it, the supplier passes 30% to its own (tier-2) supplier, which has it
 * financed by a bank; at maturity the buyer pays in full and both holders are paid. The last test
 * plays the regulator: it rebuilds the whole flow from the ledger's events alone.
 */
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import { expect } from "chai";
import type { LogDescription } from "ethers";
import { network } from "hardhat";

import {
  DAY,
  DOC_HASH,
  FinancingStatus,
  InvoiceStatus,
  PieceStatus,
  deploySandbox,
} from "../helpers/fixtures.js";
import { daysToMaturity, discountOf, pieceValue, readPieces, type PieceValue } from "./helpers.js";
import { ANY_RATE, approveReviewed } from "../helpers/fixtures.js";

const connection = await network.create();
const { ethers, networkHelpers } = connection;
const { time } = networkHelpers;

const NUMBER = "SCF-2026/0001";
const FACE = 123_456_789n; // 1,234,567.89 yuan
const TIER2_SHARE = (FACE * 30n) / 100n; // 37,037,036 fen
const RATE = 450n; // 4.5% a year

async function story() {
  const sb = await deploySandbox(connection);
  const [supplier, tier2] = sb.suppliers;
  const [buyer] = sb.buyers;
  const [bank] = sb.banks;
  const people = [supplier, tier2, buyer, bank];
  const fromBlock = (await ethers.provider.getBlockNumber()) + 1;
  const balancesBefore = await Promise.all(people.map((p) => sb.token.balanceOf(p.address)));

  // 1. The supplier submits the invoice, issued two days ago and due in 90 days.
  const now = await sb.now();
  const issueDate = now - 2n * DAY;
  const dueDate = now + 90n * DAY;
  await sb.ledger
    .connect(supplier)
    .submitInvoice(buyer.address, NUMBER, FACE, issueDate, dueDate, DOC_HASH);
  const id = await sb.ledger.invoiceIdOf(supplier.address, buyer.address, NUMBER);
  // 2. The core enterprise confirms it.
  await sb.ledger.connect(buyer).confirmInvoice(id);
  // 3. The supplier passes 30% to its own supplier, a tier deeper.
  await sb.ledger.connect(supplier).transferPiece(id, 0, tier2.address, TIER2_SHARE);
  // 4. The tier-2 supplier asks the bank to finance its piece.
  await sb.ledger.connect(tier2).requestFinancing(id, 1, bank.address, false, ANY_RATE);
  // 5. The bank approves 80 days and 1 hour before maturity: 81 days of discount.
  const financedAt = dueDate - 80n * DAY - 3_600n;
  await time.setNextBlockTimestamp(financedAt);
  await approveReviewed(sb.ledger, bank, id, 1, RATE);
  // 6. Maturity: the buyer pays in full.
  await time.setNextBlockTimestamp(dueDate);
  await sb.ledger.connect(buyer).pay(id, FACE);

  const toBlock = await ethers.provider.getBlockNumber();
  const balancesAfter = await Promise.all(people.map((p) => sb.token.balanceOf(p.address)));
  return {
    sb,
    id,
    supplier,
    tier2,
    buyer,
    bank,
    people,
    issueDate,
    dueDate,
    financedAt,
    fromBlock,
    toBlock,
    change: (who: HardhatEthersSigner) =>
      balancesAfter[people.indexOf(who)] - balancesBefore[people.indexOf(who)],
  };
}

describe("Receivable lifecycle", function () {
  let s: Awaited<ReturnType<typeof story>>;
  // Figures of DESIGN.md 3.4, computed here: face x rate x days / 360, days rounded up.
  const DAYS = 81n;
  const DISCOUNT = discountOf(TIER2_SHARE, RATE, DAYS);
  const ADVANCE = TIER2_SHARE - DISCOUNT;

  beforeEach(async function () {
    s = await networkHelpers.loadFixture(story);
  });

  it("discounts the tier-2 piece for the days left to maturity", async function () {
    expect(daysToMaturity(s.financedAt, s.dueDate)).to.equal(DAYS);
    // 37,037,036 * 450 * 81 / 3,600,000 = 374,999.9895: rounded down.
    expect(DISCOUNT).to.equal(374_999n);
    expect(ADVANCE).to.equal(36_662_037n);
  });

  it("pays everyone what the design says", async function () {
    expect(s.change(s.buyer)).to.equal(-FACE);
    expect(s.change(s.supplier)).to.equal(FACE - TIER2_SHARE);
    expect(s.change(s.tier2)).to.equal(ADVANCE);
    expect(s.change(s.bank)).to.equal(TIER2_SHARE - ADVANCE); // earns the discount
    expect(await s.sb.token.balanceOf(s.sb.ledger)).to.equal(0n);
    // Money only moved between the parties: nothing created, nothing lost.
    expect(s.people.reduce((sum, p) => sum + s.change(p), 0n)).to.equal(0n);
  });

  it("ends with a settled invoice, its two pieces and their lineage", async function () {
    const inv = await s.sb.ledger.invoice(s.id);
    expect(inv.status).to.equal(InvoiceStatus.Settled);
    expect(inv.paidAmount).to.equal(FACE);
    expect(inv.pieceCount).to.equal(2n);
    expect(await readPieces(s.sb, s.id)).to.deep.equal([
      pieceValue(s.supplier, FACE - TIER2_SHARE, 1, PieceStatus.Active, 0),
      pieceValue(s.bank, TIER2_SHARE, 2, PieceStatus.Financed, 0),
    ]);
    const f = await s.sb.ledger.financing(s.id, 1);
    expect(f.status).to.equal(FinancingStatus.Approved);
    expect(f.financedParty).to.equal(s.tier2.address);
    expect([f.advance, f.discount]).to.deep.equal([ADVANCE, DISCOUNT]);
    for (const p of s.people) {
      expect((await s.sb.controller.participant(p.address)).outstanding).to.equal(0n);
    }
  });

  it("can be reconstructed from the ledger's events alone", async function () {
    const logs = await ethers.provider.getLogs({
      address: await s.sb.ledger.getAddress(),
      fromBlock: s.fromBlock,
      toBlock: s.toBlock,
    });
    const events = logs.map((log) => s.sb.ledger.interface.parseLog(log)) as LogDescription[];
    expect(events.map((e) => e.name)).to.deep.equal([
      "InvoiceSubmitted",
      "InvoiceConfirmed",
      "PieceTransferred",
      "FinancingRequested",
      "FinancingApproved",
      "PieceSettled",
      "PieceSettled",
      "PaymentReceived",
    ]);

    // Replay: invoices, pieces and every account's cash, from the events and nothing else.
    const invoices = new Map<string, { face: bigint; paid: bigint; status: number; due: bigint }>();
    const pieces = new Map<string, PieceValue[]>();
    const cash = new Map<string, bigint>();
    const credit = (who: string, amount: bigint) => cash.set(who, (cash.get(who) ?? 0n) + amount);
    for (const e of events) {
      const a = e.args;
      const id: string = a.invoiceId;
      switch (e.name) {
        case "InvoiceSubmitted":
          invoices.set(id, {
            face: a.faceAmount,
            paid: 0n,
            status: InvoiceStatus.Submitted,
            due: a.dueDate,
          });
          expect(a.invoiceNumber).to.equal(NUMBER);
          expect(a.issueDate).to.equal(s.issueDate);
          expect(a.documentHash).to.equal(DOC_HASH);
          break;
        case "InvoiceConfirmed":
          invoices.get(id)!.status = InvoiceStatus.Confirmed;
          pieces.set(id, [pieceValue(a.seller, a.faceAmount, 1, PieceStatus.Active, 0)]);
          break;
        case "PieceTransferred": {
          const list = pieces.get(id)!;
          const from = list[Number(a.fromIndex)];
          expect(from.holder).to.equal(a.from);
          if (a.toIndex === a.fromIndex) {
            from.holder = a.to;
            from.tier = a.tier;
          } else {
            expect(a.toIndex).to.equal(BigInt(list.length));
            from.amount -= a.amount;
            list.push(pieceValue(a.to, a.amount, a.tier, PieceStatus.Active, a.fromIndex));
          }
          break;
        }
        case "FinancingRequested": {
          const p = pieces.get(id)![Number(a.pieceIndex)];
          expect([p.holder, p.amount]).to.deep.equal([a.holder, a.amount]);
          p.status = BigInt(PieceStatus.Locked);
          break;
        }
        case "FinancingApproved": {
          const p = pieces.get(id)![Number(a.pieceIndex)];
          expect(p.holder).to.equal(a.holder);
          // The regulator can check the pricing too: discount + advance is the piece.
          expect(a.discount + a.advance).to.equal(p.amount);
          expect(a.discount).to.equal(discountOf(p.amount, a.rateBps, a.daysToMaturity));
          p.holder = a.bank;
          p.status = BigInt(PieceStatus.Financed);
          credit(a.bank, 0n - a.advance);
          credit(a.holder, a.advance);
          break;
        }
        case "PieceSettled":
          expect(pieces.get(id)![Number(a.pieceIndex)].holder).to.equal(a.holder);
          credit(a.holder, a.amount);
          break;
        case "PaymentReceived": {
          const inv = invoices.get(id)!;
          inv.paid += a.amount;
          expect(inv.paid).to.equal(a.paidTotal);
          if (inv.paid === inv.face) inv.status = InvoiceStatus.Settled;
          credit(a.buyer, 0n - a.amount);
          break;
        }
        default:
          expect.fail(`unexpected event ${e.name}`);
      }
    }

    // The replay matches the ledger's own views ...
    const inv = await s.sb.ledger.invoice(s.id);
    expect(invoices.get(s.id)).to.deep.equal({
      face: inv.faceAmount,
      paid: inv.paidAmount,
      status: Number(inv.status),
      due: inv.dueDate,
    });
    expect(pieces.get(s.id)).to.deep.equal(await readPieces(s.sb, s.id));
    // ... and every account's token balance change.
    for (const p of s.people) {
      expect(cash.get(p.address) ?? 0n, p.address).to.equal(s.change(p));
    }
    // Sum of pieces == face amount, and the payouts add up to what the buyer paid.
    expect(pieces.get(s.id)!.reduce((sum, p) => sum + p.amount, 0n)).to.equal(FACE);
  });
});
