import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import { expect } from "chai";
import { network } from "hardhat";

import {
  DAY,
  FinancingStatus,
  InvoiceStatus,
  PieceStatus,
  Role,
  deploySandbox,
  submit,
  type Sandbox,
} from "../helpers/fixtures.js";
import {
  confirmedInvoice,
  daysToMaturity,
  discountOf,
  finance,
  pieceValue,
  readPiece,
} from "./helpers.js";
import { ANY_RATE, approveReviewed } from "../helpers/fixtures.js";

const connection = await network.create();
const { ethers, networkHelpers } = connection;
const { time } = networkHelpers;
const fixture = () => deploySandbox(connection);

const FACE = 1_000_000n; // 10,000 yuan in fen
const PIECE = 333_333n; // split off to the tier-2 supplier: rounding shows in every discount
const UNKNOWN_ID = ethers.id("no such invoice");

interface FinancingValue {
  bank: string;
  status: bigint;
  withRecourse: boolean;
  rateBps: bigint;
  requestedAt: bigint;
  decidedAt: bigint;
  financedParty: string;
  advance: bigint;
  discount: bigint;
}

describe("FinancingDesk", function () {
  let sb: Sandbox;
  let s1: HardhatEthersSigner;
  let s2: HardhatEthersSigner;
  let s3: HardhatEthersSigner;
  let buyer: HardhatEthersSigner;
  let bank: HardhatEthersSigner;
  let bank2: HardhatEthersSigner;
  let id: string;
  let dueDate: bigint;

  beforeEach(async function () {
    sb = await networkHelpers.loadFixture(fixture);
    [s1, s2, s3] = sb.suppliers;
    [buyer] = sb.buyers;
    [bank, bank2] = sb.banks;
    ({ id, dueDate } = await confirmedInvoice(sb, s1, buyer, "FD-1", FACE));
    await sb.ledger.connect(s1).transferPiece(id, 0, s2.address, PIECE); // piece 1, held by s2
  });

  async function readFinancing(index: number, invoiceId = id): Promise<FinancingValue> {
    const f = await sb.ledger.financing(invoiceId, index);
    return {
      bank: f.bank,
      status: f.status,
      withRecourse: f.withRecourse,
      rateBps: f.rateBps,
      requestedAt: f.requestedAt,
      decidedAt: f.decidedAt,
      financedParty: f.financedParty,
      advance: f.advance,
      discount: f.discount,
    };
  }

  function financingValue(v: Partial<FinancingValue>): FinancingValue {
    return {
      bank: ethers.ZeroAddress,
      status: 0n,
      withRecourse: false,
      rateBps: 0n,
      requestedAt: 0n,
      decidedAt: 0n,
      financedParty: ethers.ZeroAddress,
      advance: 0n,
      discount: 0n,
      ...v,
    };
  }

  /** Requests financing of piece 1 by s2 from `to`; returns the block time of the request. */
  async function requested(to = bank, withRecourse = false): Promise<bigint> {
    await sb.ledger.connect(s2).requestFinancing(id, 1, to.address, withRecourse, ANY_RATE);
    return sb.now();
  }

  describe("requestFinancing", function () {
    it("locks the piece, records the request and emits FinancingRequested", async function () {
      await expect(sb.ledger.connect(s2).requestFinancing(id, 1, bank.address, true, ANY_RATE))
        .to.emit(sb.ledger, "FinancingRequested")
        .withArgs(id, 1, s2.address, bank.address, PIECE, true, ANY_RATE);
      const at = await sb.now();
      expect(await readPiece(sb, id, 1)).to.deep.equal(
        pieceValue(s2, PIECE, 2, PieceStatus.Locked, 0),
      );
      expect(await readFinancing(1)).to.deep.equal(
        financingValue({
          bank: bank.address,
          status: BigInt(FinancingStatus.Requested),
          withRecourse: true,
          rateBps: ANY_RATE,
          requestedAt: at,
        }),
      );
      // Nothing is financed yet: no exposure is recorded.
      expect((await sb.controller.participant(bank.address)).outstanding).to.equal(0n);
      expect((await sb.controller.participant(s2.address)).outstanding).to.equal(0n);
    });

    it("has no financing record for a piece never requested", async function () {
      expect(await readFinancing(0)).to.deep.equal(financingValue({}));
      expect(await readFinancing(5, UNKNOWN_ID)).to.deep.equal(financingValue({}));
    });

    it("is only for the piece's holder", async function () {
      for (const caller of [s1, s3, bank, buyer, sb.outsider]) {
        await expect(sb.ledger.connect(caller).requestFinancing(id, 1, bank.address, false, ANY_RATE))
          .to.be.revertedWithCustomError(sb.ledger, "NotPieceHolder")
          .withArgs(id, 1, s2.address, caller.address);
      }
    });

    it("cannot ask again while a request is pending, at the same bank or another", async function () {
      await requested(bank);
      for (const other of [bank, bank2]) {
        await expect(sb.ledger.connect(s2).requestFinancing(id, 1, other.address, false, ANY_RATE))
          .to.be.revertedWithCustomError(sb.ledger, "PieceNotActive")
          .withArgs(id, 1, PieceStatus.Locked);
      }
    });

    it("only asks an admitted bank", async function () {
      await expect(sb.ledger.connect(s2).requestFinancing(id, 1, s3.address, false, ANY_RATE))
        .to.be.revertedWithCustomError(sb.ledger, "ParticipantRoleMismatch")
        .withArgs(s3.address, Role.Bank, Role.Supplier);
      await expect(sb.ledger.connect(s2).requestFinancing(id, 1, sb.outsider.address, false, ANY_RATE))
        .to.be.revertedWithCustomError(sb.ledger, "ParticipantNotAdmitted")
        .withArgs(sb.outsider.address);
    });

    it("needs an existing piece of a confirmed receivable, not due and not paid in part", async function () {
      await expect(sb.ledger.connect(s2).requestFinancing(id, 2, bank.address, false, ANY_RATE))
        .to.be.revertedWithCustomError(sb.ledger, "PieceNotFound")
        .withArgs(id, 2);
      await expect(sb.ledger.connect(s2).requestFinancing(UNKNOWN_ID, 0, bank.address, false, ANY_RATE))
        .to.be.revertedWithCustomError(sb.ledger, "InvoiceNotFound")
        .withArgs(UNKNOWN_ID);
      const submitted = await submit(sb, s1, buyer, { number: "FD-SUB" });
      await expect(sb.ledger.connect(s1).requestFinancing(submitted, 0, bank.address, false, ANY_RATE))
        .to.be.revertedWithCustomError(sb.ledger, "InvoiceStatusMismatch")
        .withArgs(submitted, InvoiceStatus.Submitted, InvoiceStatus.Confirmed);

      await time.setNextBlockTimestamp(dueDate);
      await expect(sb.ledger.connect(s2).requestFinancing(id, 1, bank.address, false, ANY_RATE))
        .to.be.revertedWithCustomError(sb.ledger, "ReceivableMatured")
        .withArgs(id, dueDate, dueDate);
      await sb.ledger.connect(buyer).pay(id, 3n);
      await expect(sb.ledger.connect(s2).requestFinancing(id, 1, bank.address, false, ANY_RATE))
        .to.be.revertedWithCustomError(sb.ledger, "PaymentsStarted")
        .withArgs(id, 3n);
    });
  });

  describe("cancelFinancing", function () {
    it("unlocks the piece, records the cancellation and emits FinancingCancelled", async function () {
      const requestedAt = await requested(bank, true);
      await expect(sb.ledger.connect(s2).cancelFinancing(id, 1))
        .to.emit(sb.ledger, "FinancingCancelled")
        .withArgs(id, 1, s2.address, bank.address);
      expect(await readPiece(sb, id, 1)).to.deep.equal(
        pieceValue(s2, PIECE, 2, PieceStatus.Active, 0),
      );
      expect(await readFinancing(1)).to.deep.equal(
        financingValue({
          bank: bank.address,
          status: BigInt(FinancingStatus.Cancelled),
          withRecourse: true,
          rateBps: ANY_RATE,
          requestedAt,
          decidedAt: await sb.now(),
        }),
      );
      // The bank can no longer approve, and the holder may ask again.
      await expect(approveReviewed(sb.ledger, bank, id, 1, 100n))
        .to.be.revertedWithCustomError(sb.ledger, "NoPendingFinancing")
        .withArgs(id, 1, FinancingStatus.Cancelled);
      await expect(sb.ledger.connect(s2).cancelFinancing(id, 1))
        .to.be.revertedWithCustomError(sb.ledger, "NoPendingFinancing")
        .withArgs(id, 1, FinancingStatus.Cancelled);
      await expect(sb.ledger.connect(s2).requestFinancing(id, 1, bank2.address, false, ANY_RATE))
        .to.emit(sb.ledger, "FinancingRequested")
        .withArgs(id, 1, s2.address, bank2.address, PIECE, false, ANY_RATE);
    });

    it("is only for the piece's holder", async function () {
      await requested();
      for (const caller of [s1, bank, sb.outsider]) {
        await expect(sb.ledger.connect(caller).cancelFinancing(id, 1))
          .to.be.revertedWithCustomError(sb.ledger, "NotPieceHolder")
          .withArgs(id, 1, s2.address, caller.address);
      }
    });

    it("needs a pending request", async function () {
      await expect(sb.ledger.connect(s2).cancelFinancing(id, 1))
        .to.be.revertedWithCustomError(sb.ledger, "NoPendingFinancing")
        .withArgs(id, 1, FinancingStatus.None);
      await requested();
      await sb.ledger.connect(bank).rejectFinancing(id, 1, "no");
      await expect(sb.ledger.connect(s2).cancelFinancing(id, 1))
        .to.be.revertedWithCustomError(sb.ledger, "NoPendingFinancing")
        .withArgs(id, 1, FinancingStatus.Rejected);
    });
  });

  describe("rejectFinancing", function () {
    it("unlocks the piece, records the rejection and emits FinancingRejected", async function () {
      const requestedAt = await requested(bank, true);
      await expect(sb.ledger.connect(bank).rejectFinancing(id, 1, "buyer over our limit"))
        .to.emit(sb.ledger, "FinancingRejected")
        .withArgs(id, 1, bank.address, s2.address, "buyer over our limit");
      expect(await readPiece(sb, id, 1)).to.deep.equal(
        pieceValue(s2, PIECE, 2, PieceStatus.Active, 0),
      );
      expect(await readFinancing(1)).to.deep.equal(
        financingValue({
          bank: bank.address,
          status: BigInt(FinancingStatus.Rejected),
          withRecourse: true,
          rateBps: ANY_RATE,
          requestedAt,
          decidedAt: await sb.now(),
        }),
      );
    });

    it("lets the holder ask another bank, which alone may then decide", async function () {
      await requested(bank);
      await sb.ledger.connect(bank).rejectFinancing(id, 1, "no appetite");
      await expect(sb.ledger.connect(bank).rejectFinancing(id, 1, "again"))
        .to.be.revertedWithCustomError(sb.ledger, "NoPendingFinancing")
        .withArgs(id, 1, FinancingStatus.Rejected);

      await requested(bank2);
      expect((await sb.ledger.financing(id, 1)).bank).to.equal(bank2.address);
      await expect(approveReviewed(sb.ledger, bank, id, 1, 100n))
        .to.be.revertedWithCustomError(sb.ledger, "NotFinancingBank")
        .withArgs(id, 1, bank2.address, bank.address);
      await expect(approveReviewed(sb.ledger, bank2, id, 1, 100n)).to.emit(
        sb.ledger,
        "FinancingApproved",
      );
      expect((await readPiece(sb, id, 1)).holder).to.equal(bank2.address);
    });

    it("is only for the bank named in the request", async function () {
      await requested(bank);
      for (const caller of [bank2, s2, s1, buyer, sb.regulator, sb.outsider]) {
        await expect(sb.ledger.connect(caller).rejectFinancing(id, 1, "no"))
          .to.be.revertedWithCustomError(sb.ledger, "NotFinancingBank")
          .withArgs(id, 1, bank.address, caller.address);
      }
    });

    it("requires a reason", async function () {
      await requested(bank);
      await expect(
        sb.ledger.connect(bank).rejectFinancing(id, 1, ""),
      ).to.be.revertedWithCustomError(sb.ledger, "ReasonRequired");
    });

    it("needs a pending request", async function () {
      await expect(sb.ledger.connect(bank).rejectFinancing(id, 1, "no"))
        .to.be.revertedWithCustomError(sb.ledger, "NoPendingFinancing")
        .withArgs(id, 1, FinancingStatus.None);
      await expect(sb.ledger.connect(bank).rejectFinancing(UNKNOWN_ID, 1, "no"))
        .to.be.revertedWithCustomError(sb.ledger, "InvoiceNotFound")
        .withArgs(UNKNOWN_ID);
    });
  });

  describe("approveFinancing", function () {
    const RATE = 725n; // 7.25% a year

    /** Approves piece 1 at `rate` in a block at time `at`. */
    async function approveAt(at: bigint, rate = RATE, from = bank) {
      await time.setNextBlockTimestamp(at);
      return approveReviewed(sb.ledger, from, id, 1, rate);
    }

    describe("delivery versus payment", function () {
      // 30 days and one second before the due date: the started day counts, so 31 days.
      let at: bigint;
      let days: bigint;
      let discount: bigint;
      let advance: bigint;
      let requestedAt: bigint;

      beforeEach(async function () {
        requestedAt = await requested(bank, true);
        at = dueDate - 30n * DAY - 1n;
        days = 31n;
        // 333_333 * 725 * 31 / 3_600_000 = 2081.016...: rounded down, the holder keeps the fraction.
        discount = (PIECE * RATE * days) / 3_600_000n;
        expect(discount).to.equal(2081n);
        expect(daysToMaturity(at, dueDate)).to.equal(days);
        advance = PIECE - discount;
      });

      it("pays the holder exactly the advance from the bank", async function () {
        await expect(approveAt(at)).to.changeTokenBalances(
          ethers,
          sb.token,
          [bank, s2, s1, sb.ledger],
          [-advance, advance, 0n, 0n],
        );
      });

      it("emits FinancingApproved with the days, the discount and the advance", async function () {
        await expect(approveAt(at))
          .to.emit(sb.ledger, "FinancingApproved")
          .withArgs(id, 1, bank.address, s2.address, RATE, days, discount, advance);
      });

      it("moves the piece to the bank and records the financing", async function () {
        await approveAt(at);
        expect(await readPiece(sb, id, 1)).to.deep.equal(
          pieceValue(bank, PIECE, 2, PieceStatus.Financed, 0),
        );
        expect(await readFinancing(1)).to.deep.equal(
          financingValue({
            bank: bank.address,
            status: BigInt(FinancingStatus.Approved),
            withRecourse: true,
            rateBps: RATE,
            requestedAt,
            decidedAt: at,
            financedParty: s2.address,
            advance,
            discount,
          }),
        );
        // The exposure recorded is the piece's face amount.
        expect((await sb.controller.participant(bank.address)).outstanding).to.equal(PIECE);
        expect((await sb.controller.participant(s2.address)).outstanding).to.equal(PIECE);
        expect((await sb.controller.policy()).pilotFinanced).to.equal(PIECE);
        // The rest of the receivable is untouched.
        expect(await readPiece(sb, id, 0)).to.deep.equal(
          pieceValue(s1, FACE - PIECE, 1, PieceStatus.Active, 0),
        );
      });

      it("returns the advance", async function () {
        await time.increaseTo(at);
        // Evaluated in the latest block, at `at`.
        expect(await sb.ledger.connect(bank).approveFinancing.staticCall(id, 1, s2.address, PIECE, true, RATE)).to.equal(
          advance,
        );
      });

      it("is quoted exactly by quoteFinancing at the same timestamp", async function () {
        await time.increaseTo(at);
        expect(await sb.ledger.quoteFinancing(id, 1, RATE)).to.deep.equal([
          days,
          discount,
          advance,
        ]);
        // And at the very block of the approval, on another day count.
        const at2 = dueDate - 17n * DAY + 5n;
        const tx = await approveAt(at2, 1_234n);
        const receipt = await tx.wait();
        const quote = await sb.ledger.quoteFinancing(id, 1, 1_234n, {
          blockTag: receipt!.blockNumber,
        });
        const d2 = 17n;
        const disc2 = (PIECE * 1_234n * d2) / 3_600_000n;
        expect(quote).to.deep.equal([d2, disc2, PIECE - disc2]);
        await expect(tx)
          .to.emit(sb.ledger, "FinancingApproved")
          .withArgs(id, 1, bank.address, s2.address, 1_234n, d2, disc2, PIECE - disc2);
      });
    });

    it("counts whole days exactly, and a started day as a full day", async function () {
      await requested(bank);
      await time.increaseTo(dueDate - 45n * DAY);
      let [d, disc] = await sb.ledger.quoteFinancing(id, 1, RATE);
      expect(d).to.equal(45n);
      expect(disc).to.equal(discountOf(PIECE, RATE, 45n));
      await time.increaseTo(dueDate - 44n * DAY - 1n);
      [d, disc] = await sb.ledger.quoteFinancing(id, 1, RATE);
      expect(d).to.equal(45n);
      expect(disc).to.equal(discountOf(PIECE, RATE, 45n));
      await time.increaseTo(dueDate - 44n * DAY);
      [d, disc] = await sb.ledger.quoteFinancing(id, 1, RATE);
      expect(d).to.equal(44n);
      expect(disc).to.equal(discountOf(PIECE, RATE, 44n));

      // The last second before the due date is still one day.
      const at = dueDate - 1n;
      const lastDiscount = (PIECE * RATE * 1n) / 3_600_000n; // 67.1... -> 67
      expect(lastDiscount).to.equal(67n);
      await expect(approveAt(at))
        .to.emit(sb.ledger, "FinancingApproved")
        .withArgs(id, 1, bank.address, s2.address, RATE, 1n, lastDiscount, PIECE - lastDiscount);
    });

    it("pays the whole piece at a zero rate", async function () {
      await requested(bank);
      const at = (await sb.now()) + 10n;
      await expect(approveAt(at, 0n)).to.changeTokenBalances(
        ethers,
        sb.token,
        [bank, s2],
        [-PIECE, PIECE],
      );
      expect((await sb.ledger.financing(id, 1)).discount).to.equal(0n);
    });

    it("rejects a discount that would consume the whole piece", async function () {
      const long = await confirmedInvoice(sb, s1, buyer, "FD-LONG", 50_000n, 360n * DAY);
      await sb.ledger.connect(s1).requestFinancing(long.id, 0, bank.address, false, ANY_RATE);
      // 360 days at 100%: the discount is the whole piece.
      const at = (await sb.now()) + 1n;
      expect(daysToMaturity(at, long.dueDate)).to.equal(360n);
      await time.setNextBlockTimestamp(at);
      await expect(approveReviewed(sb.ledger, bank, long.id, 0, 10_000n))
        .to.be.revertedWithCustomError(sb.ledger, "DiscountExceedsAmount")
        .withArgs(50_000n, 50_000n);
      // The quote refuses exactly as approval does.
      await expect(sb.ledger.quoteFinancing(long.id, 0, 10_000n))
        .to.be.revertedWithCustomError(sb.ledger, "DiscountExceedsAmount")
        .withArgs(50_000n, 50_000n);
      // One basis point less leaves an advance of 5 fen: 50_000 * 9_999 * 360 / 3_600_000 = 49_995.
      await time.setNextBlockTimestamp(at);
      await expect(approveReviewed(sb.ledger, bank, long.id, 0, 9_999n))
        .to.emit(sb.ledger, "FinancingApproved")
        .withArgs(long.id, 0, bank.address, s1.address, 9_999n, 360n, 49_995n, 5n);
    });

    it("is only for the bank named in the request", async function () {
      await requested(bank);
      for (const caller of [bank2, s2, s1, buyer, sb.operator, sb.outsider]) {
        await expect(approveReviewed(sb.ledger, caller, id, 1, RATE))
          .to.be.revertedWithCustomError(sb.ledger, "NotFinancingBank")
          .withArgs(id, 1, bank.address, caller.address);
      }
    });

    it("needs a pending request", async function () {
      await expect(approveReviewed(sb.ledger, bank, id, 1, RATE))
        .to.be.revertedWithCustomError(sb.ledger, "NoPendingFinancing")
        .withArgs(id, 1, FinancingStatus.None);
      await expect(approveReviewed(sb.ledger, bank, UNKNOWN_ID, 1, RATE))
        .to.be.revertedWithCustomError(sb.ledger, "InvoiceNotFound")
        .withArgs(UNKNOWN_ID);
    });

    it("cannot approve once the receivable is due or paid in part", async function () {
      await requested(bank);
      await expect(approveAt(dueDate))
        .to.be.revertedWithCustomError(sb.ledger, "ReceivableMatured")
        .withArgs(id, dueDate, dueDate);
      await sb.ledger.connect(buyer).pay(id, 1n);
      await expect(approveReviewed(sb.ledger, bank, id, 1, RATE))
        .to.be.revertedWithCustomError(sb.ledger, "PaymentsStarted")
        .withArgs(id, 1n);
    });

    it("never finances a piece twice", async function () {
      await finance(sb, id, 1, s2, bank, RATE);
      await expect(approveReviewed(sb.ledger, bank, id, 1, RATE))
        .to.be.revertedWithCustomError(sb.ledger, "NoPendingFinancing")
        .withArgs(id, 1, FinancingStatus.Approved);
      await expect(sb.ledger.connect(bank).rejectFinancing(id, 1, "undo"))
        .to.be.revertedWithCustomError(sb.ledger, "NoPendingFinancing")
        .withArgs(id, 1, FinancingStatus.Approved);
      // The bank holds it now, and a financed piece is never active again.
      for (const other of [bank, bank2]) {
        await expect(sb.ledger.connect(bank).requestFinancing(id, 1, other.address, false, ANY_RATE))
          .to.be.revertedWithCustomError(sb.ledger, "PieceNotActive")
          .withArgs(id, 1, PieceStatus.Financed);
      }
      await expect(sb.ledger.connect(s2).requestFinancing(id, 1, bank2.address, false, ANY_RATE))
        .to.be.revertedWithCustomError(sb.ledger, "NotPieceHolder")
        .withArgs(id, 1, bank.address, s2.address);
      await expect(sb.ledger.connect(s2).cancelFinancing(id, 1))
        .to.be.revertedWithCustomError(sb.ledger, "NotPieceHolder")
        .withArgs(id, 1, bank.address, s2.address);
    });

    it("changes nothing when the bank cannot pay the advance", async function () {
      const requestedAt = await requested(bank);
      const at = (await sb.now()) + 100n;
      const advance = PIECE - discountOf(PIECE, RATE, daysToMaturity(at, dueDate));
      await sb.token.connect(bank).burn((await sb.token.balanceOf(bank.address)) - (advance - 1n));
      const before = await Promise.all([s2, bank].map((a) => sb.token.balanceOf(a.address)));

      await expect(approveAt(at))
        .to.be.revertedWithCustomError(sb.token, "ERC20InsufficientBalance")
        .withArgs(bank.address, advance - 1n, advance);

      expect(await Promise.all([s2, bank].map((a) => sb.token.balanceOf(a.address)))).to.deep.equal(
        before,
      );
      expect(await readPiece(sb, id, 1)).to.deep.equal(
        pieceValue(s2, PIECE, 2, PieceStatus.Locked, 0),
      );
      expect(await readFinancing(1)).to.deep.equal(
        financingValue({
          bank: bank.address,
          status: BigInt(FinancingStatus.Requested),
          rateBps: ANY_RATE,
          requestedAt,
        }),
      );
      expect((await sb.controller.participant(bank.address)).outstanding).to.equal(0n);
      expect((await sb.controller.participant(s2.address)).outstanding).to.equal(0n);
      expect((await sb.controller.policy()).pilotFinanced).to.equal(0n);

      // With one more fen the same approval goes through.
      await sb.token.connect(sb.operator).mint(bank.address, 1n); // mined at `at`
      expect(daysToMaturity(at + 1n, dueDate)).to.equal(daysToMaturity(at, dueDate));
      await expect(approveAt(at + 1n)).to.changeTokenBalances(
        ethers,
        sb.token,
        [bank, s2],
        [-advance, advance],
      );
    });
  });

  describe("quoteFinancing", function () {
    it("quotes any existing piece before a request, and refuses once the receivable is due", async function () {
      await time.increaseTo(dueDate - 10n * DAY);
      const d = 10n;
      expect(await sb.ledger.quoteFinancing(id, 0, 500n)).to.deep.equal([
        d,
        discountOf(FACE - PIECE, 500n, d),
        FACE - PIECE - discountOf(FACE - PIECE, 500n, d),
      ]);
      await time.increaseTo(dueDate);
      await expect(sb.ledger.quoteFinancing(id, 0, 500n))
        .to.be.revertedWithCustomError(sb.ledger, "ReceivableMatured")
        .withArgs(id, dueDate, dueDate);
    });

    it("reverts for an unknown invoice or piece, or a rate above the policy's ceiling", async function () {
      await expect(sb.ledger.quoteFinancing(UNKNOWN_ID, 0, 100n))
        .to.be.revertedWithCustomError(sb.ledger, "InvoiceNotFound")
        .withArgs(UNKNOWN_ID);
      await expect(sb.ledger.quoteFinancing(id, 2, 100n))
        .to.be.revertedWithCustomError(sb.ledger, "PieceNotFound")
        .withArgs(id, 2);
      const ceiling = (await sb.controller.policy()).rateCeilingBps;
      expect(await sb.ledger.quoteFinancing(id, 1, ceiling)).to.have.length(3);
      await expect(sb.ledger.quoteFinancing(id, 1, ceiling + 1n))
        .to.be.revertedWithCustomError(sb.ledger, "RateAboveCeiling")
        .withArgs(ceiling, ceiling + 1n);
    });
  });
});
