/**
 * Every cap and every term of DESIGN.md section 4, at its boundary, through the ledger action that
 * consumes it: exactly at the limit passes, one unit over fails with the rule's error and numbers.
 */
import { expect } from "chai";
import { network } from "hardhat";

import type { Sandbox } from "../helpers/fixtures.js";
import {
  confirmed,
  DAY,
  deploySandbox,
  Limit,
  PieceStatus,
  setLimit,
  submit,
} from "../helpers/fixtures.js";
import {
  atNextBlock,
  finance,
  nextInvoiceNumber,
  outstandingOf,
  policyOf,
  REASON,
  requestFinancing,
  split,
  submitWithDates,
} from "./helpers.js";
import { ANY_RATE, approveReviewed } from "../helpers/fixtures.js";

const connection = await network.create();
const { networkHelpers } = connection;
const fixture = () => deploySandbox(connection);

describe("ExposureLimits", function () {
  let sb: Sandbox;

  beforeEach(async function () {
    sb = await networkHelpers.loadFixture(fixture);
  });

  describe("BuyerOutstandingCap, consumed by confirmInvoice", function () {
    const cap = 100_000n;

    it("confirms up to the cap exactly; one fen over fails with the cap, the outstanding and the request", async function () {
      const [s1] = sb.suppliers;
      const [c1] = sb.buyers;
      await setLimit(sb, Limit.BuyerOutstandingCap, cap);
      await confirmed(sb, s1, c1, { amount: 60_000n });
      expect(await outstandingOf(sb, c1)).to.equal(60_000n);

      // Submission does not consume the cap; confirmation does.
      const over = await submit(sb, s1, c1, { amount: 40_001n });
      await expect(sb.ledger.connect(c1).confirmInvoice(over))
        .to.be.revertedWithCustomError(sb.ledger, "BuyerOutstandingCapExceeded")
        .withArgs(c1.address, cap, 60_000n, 40_001n);

      const exact = await submit(sb, s1, c1, { amount: 40_000n });
      await expect(sb.ledger.connect(c1).confirmInvoice(exact))
        .to.emit(sb.ledger, "InvoiceConfirmed")
        .withArgs(exact, c1.address, s1.address, 40_000n);
      expect(await outstandingOf(sb, c1)).to.equal(cap);

      const oneFen = await submit(sb, s1, c1, { amount: 1n });
      await expect(sb.ledger.connect(c1).confirmInvoice(oneFen))
        .to.be.revertedWithCustomError(sb.ledger, "BuyerOutstandingCapExceeded")
        .withArgs(c1.address, cap, cap, 1n);
    });

    it("is measured per core enterprise", async function () {
      const [c1, c2] = sb.buyers;
      await setLimit(sb, Limit.BuyerOutstandingCap, cap);
      await confirmed(sb, sb.suppliers[0], c1, { amount: cap });
      await confirmed(sb, sb.suppliers[0], c2, { amount: cap });
      expect([await outstandingOf(sb, c1), await outstandingOf(sb, c2)]).to.deep.equal([cap, cap]);
    });

    it("a dispute consumes nothing", async function () {
      const [c1] = sb.buyers;
      const id = await submit(sb, sb.suppliers[0], c1, { amount: 5_000n });
      await sb.ledger.connect(c1).disputeInvoice(id, REASON);
      expect(await outstandingOf(sb, c1)).to.equal(0n);
    });

    it("payments release the outstanding and free capacity again", async function () {
      const [s1] = sb.suppliers;
      const [c1] = sb.buyers;
      await setLimit(sb, Limit.BuyerOutstandingCap, cap);
      const id = await confirmed(sb, s1, c1, { amount: cap });

      await sb.ledger.connect(c1).pay(id, 30_000n);
      expect(await outstandingOf(sb, c1)).to.equal(70_000n);
      await confirmed(sb, s1, c1, { amount: 30_000n });
      expect(await outstandingOf(sb, c1)).to.equal(cap);

      await sb.ledger.connect(c1).pay(id, 70_000n);
      expect(await outstandingOf(sb, c1)).to.equal(30_000n);
    });

    it("a cap lowered under the usage blocks new confirmations and unwinds nothing", async function () {
      const [c1] = sb.buyers;
      await confirmed(sb, sb.suppliers[0], c1, { amount: 60_000n });
      await setLimit(sb, Limit.BuyerOutstandingCap, 50_000n);
      expect(await outstandingOf(sb, c1)).to.equal(60_000n);
      const id = await submit(sb, sb.suppliers[0], c1, { amount: 1n });
      await expect(sb.ledger.connect(c1).confirmInvoice(id))
        .to.be.revertedWithCustomError(sb.ledger, "BuyerOutstandingCapExceeded")
        .withArgs(c1.address, 50_000n, 60_000n, 1n);
    });
  });

  describe("SupplierFinancingCap, previewed by requestFinancing and consumed by approveFinancing", function () {
    const cap = 50_000n;
    let id: string;

    /** Pieces 0 and 1 of 50,000 fen and piece 2 of 1 fen, all held by supplier 1 at tier 1. */
    beforeEach(async function () {
      const [s1] = sb.suppliers;
      id = await confirmed(sb, s1, sb.buyers[0], { amount: 100_001n });
      await split(sb, s1, id, 0, s1, 50_000n);
      await split(sb, s1, id, 0, s1, 1n);
    });

    it("a request over the cap fails at once; exactly the cap is requested and approved; then one fen more fails", async function () {
      const [s1] = sb.suppliers;
      const [b1] = sb.banks;
      await setLimit(sb, Limit.SupplierFinancingCap, cap - 1n);
      await expect(sb.ledger.connect(s1).requestFinancing(id, 0, b1.address, false, ANY_RATE))
        .to.be.revertedWithCustomError(sb.ledger, "SupplierFinancingCapExceeded")
        .withArgs(s1.address, cap - 1n, 0n, cap);

      await setLimit(sb, Limit.SupplierFinancingCap, cap);
      await finance(sb, s1, id, 0, b1);
      expect(await outstandingOf(sb, s1)).to.equal(cap);

      await expect(sb.ledger.connect(s1).requestFinancing(id, 2, b1.address, false, ANY_RATE))
        .to.be.revertedWithCustomError(sb.ledger, "SupplierFinancingCapExceeded")
        .withArgs(s1.address, cap, cap, 1n);
    });

    it("the request is only a preview: two requests that each fit, and only the first approval does", async function () {
      const [s1] = sb.suppliers;
      const [b1, b2] = sb.banks;
      await setLimit(sb, Limit.SupplierFinancingCap, cap + 10_000n);
      await requestFinancing(sb, s1, id, 0, b1);
      await requestFinancing(sb, s1, id, 1, b2);
      await approveReviewed(sb.ledger, b1, id, 0, 0);
      await expect(approveReviewed(sb.ledger, b2, id, 1, 0))
        .to.be.revertedWithCustomError(sb.ledger, "SupplierFinancingCapExceeded")
        .withArgs(s1.address, cap + 10_000n, cap, cap);
    });

    it("two approvals that reach the cap exactly both pass", async function () {
      const [s1] = sb.suppliers;
      const [b1, b2] = sb.banks;
      await setLimit(sb, Limit.SupplierFinancingCap, 2n * cap);
      await finance(sb, s1, id, 0, b1);
      await finance(sb, s1, id, 1, b2);
      expect(await outstandingOf(sb, s1)).to.equal(2n * cap);
    });

    it("a cap lowered after the request blocks the approval", async function () {
      const [s1] = sb.suppliers;
      const [b1] = sb.banks;
      await requestFinancing(sb, s1, id, 0, b1);
      await setLimit(sb, Limit.SupplierFinancingCap, cap - 1n);
      await expect(approveReviewed(sb.ledger, b1, id, 0, 0))
        .to.be.revertedWithCustomError(sb.ledger, "SupplierFinancingCapExceeded")
        .withArgs(s1.address, cap - 1n, 0n, cap);
    });

    it("is measured per supplier: the holder that is financed, not the original seller", async function () {
      const [s1, s2] = sb.suppliers;
      const [b1] = sb.banks;
      await setLimit(sb, Limit.SupplierFinancingCap, cap);
      await sb.ledger.connect(s1).transferPiece(id, 1, s2.address, cap);
      await finance(sb, s1, id, 0, b1);
      await finance(sb, s2, id, 1, b1);
      expect([await outstandingOf(sb, s1), await outstandingOf(sb, s2)]).to.deep.equal([cap, cap]);
    });
  });

  describe("BankExposureCap, previewed by requestFinancing and consumed by approveFinancing", function () {
    const cap = 50_000n;
    let id: string;

    /** Piece 0 (50,000 fen) held by supplier 1, piece 1 (50,000) by supplier 2, piece 2 (1 fen) by supplier 1. */
    beforeEach(async function () {
      const [s1, s2] = sb.suppliers;
      id = await confirmed(sb, s1, sb.buyers[0], { amount: 100_001n });
      await split(sb, s1, id, 0, s2, 50_000n);
      await split(sb, s1, id, 0, s1, 1n);
    });

    it("a request over the cap fails at once; exactly the cap is approved; then one fen more fails", async function () {
      const [s1] = sb.suppliers;
      const [b1, b2] = sb.banks;
      await setLimit(sb, Limit.BankExposureCap, cap - 1n);
      await expect(sb.ledger.connect(s1).requestFinancing(id, 0, b1.address, false, ANY_RATE))
        .to.be.revertedWithCustomError(sb.ledger, "BankExposureCapExceeded")
        .withArgs(b1.address, cap - 1n, 0n, cap);

      await setLimit(sb, Limit.BankExposureCap, cap);
      await finance(sb, s1, id, 0, b1);
      expect(await outstandingOf(sb, b1)).to.equal(cap);
      await expect(sb.ledger.connect(s1).requestFinancing(id, 2, b1.address, false, ANY_RATE))
        .to.be.revertedWithCustomError(sb.ledger, "BankExposureCapExceeded")
        .withArgs(b1.address, cap, cap, 1n);
      // Another bank has its own exposure.
      await finance(sb, s1, id, 2, b2);
      expect(await outstandingOf(sb, b2)).to.equal(1n);
    });

    it("two requests from different suppliers that each fit: the second approval exceeds", async function () {
      const [s1, s2] = sb.suppliers;
      const [b1] = sb.banks;
      await setLimit(sb, Limit.BankExposureCap, cap + 10_000n);
      await requestFinancing(sb, s1, id, 0, b1);
      await requestFinancing(sb, s2, id, 1, b1);
      await approveReviewed(sb.ledger, b1, id, 1, 0);
      await expect(approveReviewed(sb.ledger, b1, id, 0, 0))
        .to.be.revertedWithCustomError(sb.ledger, "BankExposureCapExceeded")
        .withArgs(b1.address, cap + 10_000n, cap, cap);
    });

    it("a cap lowered after the request blocks the approval", async function () {
      const [s1] = sb.suppliers;
      const [b1] = sb.banks;
      await requestFinancing(sb, s1, id, 0, b1);
      await setLimit(sb, Limit.BankExposureCap, 0n);
      await expect(approveReviewed(sb.ledger, b1, id, 0, 0))
        .to.be.revertedWithCustomError(sb.ledger, "BankExposureCapExceeded")
        .withArgs(b1.address, 0n, 0n, cap);
    });
  });

  describe("PilotFinancingCap, previewed by requestFinancing and consumed by approveFinancing", function () {
    const cap = 100_000n;
    let id: string;

    /** Pieces 0 and 1 of 50,000 fen held by supplier 1. */
    beforeEach(async function () {
      const [s1] = sb.suppliers;
      id = await confirmed(sb, s1, sb.buyers[0], { amount: 100_000n });
      await split(sb, s1, id, 0, s1, 50_000n);
    });

    it("finances up to the pilot cap exactly, across banks; one fen over fails at request", async function () {
      const [s1] = sb.suppliers;
      const [b1, b2] = sb.banks;
      await setLimit(sb, Limit.PilotFinancingCap, cap - 1n);
      await finance(sb, s1, id, 0, b1);
      await expect(sb.ledger.connect(s1).requestFinancing(id, 1, b2.address, false, ANY_RATE))
        .to.be.revertedWithCustomError(sb.ledger, "PilotFinancingCapExceeded")
        .withArgs(cap - 1n, 50_000n, 50_000n);
      await setLimit(sb, Limit.PilotFinancingCap, cap);
      await finance(sb, s1, id, 1, b2);
      expect((await policyOf(sb)).pilotFinanced).to.equal(cap);
    });

    it("the approval re-checks the pilot cap", async function () {
      const [s1] = sb.suppliers;
      const [b1, b2] = sb.banks;
      await setLimit(sb, Limit.PilotFinancingCap, cap - 1n);
      await requestFinancing(sb, s1, id, 0, b1);
      await requestFinancing(sb, s1, id, 1, b2);
      await approveReviewed(sb.ledger, b2, id, 1, 0);
      await expect(approveReviewed(sb.ledger, b1, id, 0, 0))
        .to.be.revertedWithCustomError(sb.ledger, "PilotFinancingCapExceeded")
        .withArgs(cap - 1n, 50_000n, 50_000n);
    });

    it("pilotFinanced never decreases: repayment frees no pilot volume", async function () {
      const [s1] = sb.suppliers;
      const [c1] = sb.buyers;
      const [b1] = sb.banks;
      await finance(sb, s1, id, 0, b1);
      await sb.ledger.connect(c1).pay(id, 100_000n);
      expect(await outstandingOf(sb, b1)).to.equal(0n);
      expect((await policyOf(sb)).pilotFinanced).to.equal(50_000n);

      await setLimit(sb, Limit.PilotFinancingCap, 50_000n);
      const next = await confirmed(sb, s1, c1, { amount: 1n });
      await expect(sb.ledger.connect(s1).requestFinancing(next, 0, b1.address, false, ANY_RATE))
        .to.be.revertedWithCustomError(sb.ledger, "PilotFinancingCapExceeded")
        .withArgs(50_000n, 50_000n, 1n);
    });
  });

  it("when several caps would break, the supplier's is reported first, then the bank's, then the pilot's", async function () {
    const [s1] = sb.suppliers;
    const [b1] = sb.banks;
    const id = await confirmed(sb, s1, sb.buyers[0], { amount: 10n });
    for (const limit of [
      Limit.SupplierFinancingCap,
      Limit.BankExposureCap,
      Limit.PilotFinancingCap,
    ]) {
      await setLimit(sb, limit, 9n);
    }
    await expect(sb.ledger.connect(s1).requestFinancing(id, 0, b1.address, false, ANY_RATE))
      .to.be.revertedWithCustomError(sb.ledger, "SupplierFinancingCapExceeded")
      .withArgs(s1.address, 9n, 0n, 10n);
    await setLimit(sb, Limit.SupplierFinancingCap, 10n);
    await expect(sb.ledger.connect(s1).requestFinancing(id, 0, b1.address, false, ANY_RATE))
      .to.be.revertedWithCustomError(sb.ledger, "BankExposureCapExceeded")
      .withArgs(b1.address, 9n, 0n, 10n);
    await setLimit(sb, Limit.BankExposureCap, 10n);
    await expect(sb.ledger.connect(s1).requestFinancing(id, 0, b1.address, false, ANY_RATE))
      .to.be.revertedWithCustomError(sb.ledger, "PilotFinancingCapExceeded")
      .withArgs(9n, 0n, 10n);
  });

  describe("release of exposure by payments and recourse", function () {
    it("a payment releases each financed piece's share from its bank and its financed supplier", async function () {
      const [s1, s2] = sb.suppliers;
      const [c1] = sb.buyers;
      const [b1, b2] = sb.banks;
      // Piece 0: 60,000 fen of supplier 1 financed by bank 1; piece 1: 40,000 of supplier 2 by bank 2.
      const id = await confirmed(sb, s1, c1, { amount: 100_000n });
      await split(sb, s1, id, 0, s2, 40_000n);
      await finance(sb, s1, id, 0, b1);
      await finance(sb, s2, id, 1, b2);

      await sb.ledger.connect(c1).pay(id, 50_000n);
      expect(await outstandingOf(sb, c1)).to.equal(50_000n);
      expect([await outstandingOf(sb, b1), await outstandingOf(sb, s1)]).to.deep.equal([
        30_000n,
        30_000n,
      ]);
      expect([await outstandingOf(sb, b2), await outstandingOf(sb, s2)]).to.deep.equal([
        20_000n,
        20_000n,
      ]);
    });

    it("after full payment every counter is back to what it was, and capacity is free again", async function () {
      const [s1] = sb.suppliers;
      const [c1] = sb.buyers;
      const [b1] = sb.banks;
      // Earlier business that stays outstanding.
      const earlier = await confirmed(sb, s1, c1, { amount: 7_000n });
      await finance(sb, s1, earlier, 0, b1);
      const before = [
        await outstandingOf(sb, c1),
        await outstandingOf(sb, b1),
        await outstandingOf(sb, s1),
      ];
      expect(before).to.deep.equal([7_000n, 7_000n, 7_000n]);

      await setLimit(sb, Limit.SupplierFinancingCap, 10_000n);
      await setLimit(sb, Limit.BankExposureCap, 10_000n);
      const id = await confirmed(sb, s1, c1, { amount: 3_000n });
      await finance(sb, s1, id, 0, b1);
      await sb.ledger.connect(c1).pay(id, 1_000n);
      await sb.ledger.connect(c1).pay(id, 2_000n);
      expect([
        await outstandingOf(sb, c1),
        await outstandingOf(sb, b1),
        await outstandingOf(sb, s1),
      ]).to.deep.equal(before);

      // The 3,000 fen of capacity are free again, for both caps.
      const again = await confirmed(sb, s1, c1, { amount: 3_000n });
      await finance(sb, s1, again, 0, b1);
      expect(await outstandingOf(sb, b1)).to.equal(10_000n);
    });

    it("exposure follows the holders' rounded shares; the last payment releases the rest", async function () {
      const [s1, s2, s3] = sb.suppliers;
      const [c1] = sb.buyers;
      const [b1] = sb.banks;
      // Three pieces of 1 fen, each financed by bank 1 for a different supplier.
      const id = await confirmed(sb, s1, c1, { amount: 3n });
      await split(sb, s1, id, 0, s2, 1n);
      await split(sb, s1, id, 0, s3, 1n);
      await finance(sb, s1, id, 0, b1);
      await finance(sb, s2, id, 1, b1);
      await finance(sb, s3, id, 2, b1);

      await sb.ledger.connect(c1).pay(id, 2n); // each piece's cumulative share: floor(2 / 3) = 0
      expect(await outstandingOf(sb, b1)).to.equal(3n);
      expect(await outstandingOf(sb, c1)).to.equal(1n);
      await sb.ledger.connect(c1).pay(id, 1n);
      expect(await outstandingOf(sb, b1)).to.equal(0n);
      for (const s of [s1, s2, s3]) expect(await outstandingOf(sb, s)).to.equal(0n);
    });

    it("recourse releases what the buyer had not paid; the buyer still owes it; later payments release nothing twice", async function () {
      const [s1] = sb.suppliers;
      const [c1] = sb.buyers;
      const [b1] = sb.banks;
      await setLimit(sb, Limit.DefaultThresholdDays, 1n);
      const id = await confirmed(sb, s1, c1, { amount: 100_000n, dueIn: 10n * DAY });
      await finance(sb, s1, id, 0, b1, { withRecourse: true });
      await sb.ledger.connect(c1).pay(id, 30_000n);
      expect([await outstandingOf(sb, b1), await outstandingOf(sb, s1)]).to.deep.equal([
        70_000n,
        70_000n,
      ]);

      const { dueDate } = await sb.ledger.invoice(id);
      await networkHelpers.time.increaseTo(dueDate + DAY + 1n);
      await expect(sb.ledger.connect(b1).claimRecourse(id, 0))
        .to.emit(sb.ledger, "RecourseClaimed")
        .withArgs(id, 0, b1.address, s1.address, 70_000n);
      expect([await outstandingOf(sb, b1), await outstandingOf(sb, s1)]).to.deep.equal([0n, 0n]);
      expect(await outstandingOf(sb, c1)).to.equal(70_000n);
      expect((await policyOf(sb)).pilotFinanced).to.equal(100_000n);

      await sb.ledger.connect(c1).pay(id, 70_000n);
      expect((await sb.ledger.piece(id, 0)).status).to.equal(PieceStatus.Recoursed);
      expect([
        await outstandingOf(sb, c1),
        await outstandingOf(sb, b1),
        await outstandingOf(sb, s1),
      ]).to.deep.equal([0n, 0n, 0n]);
      expect((await policyOf(sb)).pilotFinanced).to.equal(100_000n);
    });
  });

  describe("MaxTenorDays, checked by submitInvoice", function () {
    it("a tenor of exactly the maximum passes; one second more counts as one more day and fails", async function () {
      const [s1] = sb.suppliers;
      const [c1] = sb.buyers;
      await setLimit(sb, Limit.MaxTenorDays, 30n);
      const issue = BigInt(await networkHelpers.time.latest()) - DAY;
      await expect(
        submitWithDates(sb, s1, c1, nextInvoiceNumber(), 1_000n, issue, issue + 30n * DAY),
      ).to.emit(sb.ledger, "InvoiceSubmitted");
      await expect(
        submitWithDates(sb, s1, c1, nextInvoiceNumber(), 1_000n, issue, issue + 30n * DAY + 1n),
      )
        .to.be.revertedWithCustomError(sb.ledger, "TenorExceedsMaximum")
        .withArgs(30n, 31n);
    });

    it("the default maximum is 365 days", async function () {
      const issue = BigInt(await networkHelpers.time.latest()) - DAY;
      await expect(
        submitWithDates(
          sb,
          sb.suppliers[0],
          sb.buyers[0],
          nextInvoiceNumber(),
          1_000n,
          issue,
          issue + 365n * DAY,
        ),
      ).to.emit(sb.ledger, "InvoiceSubmitted");
      await expect(
        submitWithDates(
          sb,
          sb.suppliers[0],
          sb.buyers[0],
          nextInvoiceNumber(),
          1_000n,
          issue,
          issue + 366n * DAY,
        ),
      )
        .to.be.revertedWithCustomError(sb.ledger, "TenorExceedsMaximum")
        .withArgs(365n, 366n);
    });
  });

  describe("RateCeilingBps, checked by approveFinancing", function () {
    it("approves at exactly the ceiling; one basis point more fails", async function () {
      const [s1] = sb.suppliers;
      const [b1] = sb.banks;
      const amount = 1_000_000n;
      await setLimit(sb, Limit.RateCeilingBps, 1_200n);
      const id = await confirmed(sb, s1, sb.buyers[0], { amount, dueIn: 90n * DAY });
      await requestFinancing(sb, s1, id, 0, b1);

      await expect(approveReviewed(sb.ledger, b1, id, 0, 1_201n))
        .to.be.revertedWithCustomError(sb.ledger, "RateAboveCeiling")
        .withArgs(1_200n, 1_201n);

      const now = await atNextBlock(networkHelpers);
      const { dueDate } = await sb.ledger.invoice(id);
      const days = (dueDate - now + DAY - 1n) / DAY;
      const discount = (amount * 1_200n * days) / 3_600_000n;
      await expect(approveReviewed(sb.ledger, b1, id, 0, 1_200n))
        .to.emit(sb.ledger, "FinancingApproved")
        .withArgs(id, 0, b1.address, s1.address, 1_200n, days, discount, amount - discount);
    });

    it("a ceiling of zero admits only interest-free financing", async function () {
      const [s1] = sb.suppliers;
      const [b1] = sb.banks;
      await setLimit(sb, Limit.RateCeilingBps, 0n);
      const id = await confirmed(sb, s1, sb.buyers[0], { amount: 10_000n });
      await requestFinancing(sb, s1, id, 0, b1);
      await expect(approveReviewed(sb.ledger, b1, id, 0, 1n))
        .to.be.revertedWithCustomError(sb.ledger, "RateAboveCeiling")
        .withArgs(0n, 1n);
      await expect(approveReviewed(sb.ledger, b1, id, 0, 0n)).to.emit(
        sb.ledger,
        "FinancingApproved",
      );
    });
  });

  describe("MinPieceAmount, checked by transferPiece splits", function () {
    const min = 10_000n;

    it("a split leaving and creating exactly the minimum passes", async function () {
      const [s1, s2] = sb.suppliers;
      await setLimit(sb, Limit.MinPieceAmount, min);
      const id = await confirmed(sb, s1, sb.buyers[0], { amount: 2n * min });
      await expect(sb.ledger.connect(s1).transferPiece(id, 0, s2.address, min))
        .to.emit(sb.ledger, "PieceTransferred")
        .withArgs(id, 0, 1, s1.address, s2.address, min, 2);
      expect((await sb.ledger.piece(id, 0)).amount).to.equal(min);
      expect((await sb.ledger.piece(id, 1)).amount).to.equal(min);
    });

    it("a new piece or a remainder one fen under the minimum fails", async function () {
      const [s1, s2] = sb.suppliers;
      await setLimit(sb, Limit.MinPieceAmount, min);
      const id = await confirmed(sb, s1, sb.buyers[0], { amount: 2n * min });
      await expect(sb.ledger.connect(s1).transferPiece(id, 0, s2.address, min - 1n))
        .to.be.revertedWithCustomError(sb.ledger, "PieceBelowMinimum")
        .withArgs(min, min - 1n);
      await expect(sb.ledger.connect(s1).transferPiece(id, 0, s2.address, min + 1n))
        .to.be.revertedWithCustomError(sb.ledger, "PieceBelowMinimum")
        .withArgs(min, min - 1n);
      // A split kept by the holder obeys the same minimum.
      await expect(sb.ledger.connect(s1).transferPiece(id, 0, s1.address, min - 1n))
        .to.be.revertedWithCustomError(sb.ledger, "PieceBelowMinimum")
        .withArgs(min, min - 1n);
    });

    it("a whole transfer of a piece under the minimum is still allowed", async function () {
      const [s1, s2] = sb.suppliers;
      await setLimit(sb, Limit.MinPieceAmount, min);
      const id = await confirmed(sb, s1, sb.buyers[0], { amount: min - 1n });
      await expect(sb.ledger.connect(s1).transferPiece(id, 0, s2.address, min - 1n))
        .to.emit(sb.ledger, "PieceTransferred")
        .withArgs(id, 0, 0, s1.address, s2.address, min - 1n, 2);
    });
  });

  describe("MaxTierDepth, checked by transferPiece", function () {
    it("a piece may reach the maximum tier exactly; one deeper fails, whole or split", async function () {
      const [s1, s2, s3] = sb.suppliers;
      await setLimit(sb, Limit.MaxTierDepth, 2n);
      const id = await confirmed(sb, s1, sb.buyers[0], { amount: 10_000n });
      await expect(sb.ledger.connect(s1).transferPiece(id, 0, s2.address, 10_000n))
        .to.emit(sb.ledger, "PieceTransferred")
        .withArgs(id, 0, 0, s1.address, s2.address, 10_000n, 2);
      expect((await sb.ledger.piece(id, 0)).tier).to.equal(2n);
      for (const amount of [10_000n, 4_000n]) {
        await expect(sb.ledger.connect(s2).transferPiece(id, 0, s3.address, amount))
          .to.be.revertedWithCustomError(sb.ledger, "TierDepthExceeded")
          .withArgs(2n, 3n);
      }
    });

    it("a split kept by the holder itself does not deepen the tier, even at the maximum", async function () {
      const [s1, s2] = sb.suppliers;
      await setLimit(sb, Limit.MaxTierDepth, 1n);
      const id = await confirmed(sb, s1, sb.buyers[0], { amount: 10_000n });
      await expect(sb.ledger.connect(s1).transferPiece(id, 0, s1.address, 4_000n))
        .to.emit(sb.ledger, "PieceTransferred")
        .withArgs(id, 0, 1, s1.address, s1.address, 4_000n, 1);
      expect((await sb.ledger.piece(id, 1)).tier).to.equal(1n);
      await expect(sb.ledger.connect(s1).transferPiece(id, 1, s2.address, 4_000n))
        .to.be.revertedWithCustomError(sb.ledger, "TierDepthExceeded")
        .withArgs(1n, 2n);
    });
  });
});
