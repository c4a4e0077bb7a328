/**
 * The audit's findings on the receivable ledger (issue 13: findings 1, 5, 7 and 8), each as the
 * behaviour an attacker, a bank or a buyer would see. Every test here failed on the code the
 * audit reviewed.
 */
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import { expect } from "chai";
import { network } from "hardhat";

import { ANY_RATE, DAY, deploySandbox, InvoiceStatus, type Sandbox, YUAN } from "../helpers/fixtures.js";
import { confirmedInvoice, MAX_PIECES } from "./helpers.js";

const connection = await network.create();
const { ethers, networkHelpers } = connection;
const { time } = networkHelpers;
const fixture = () => deploySandbox(connection);

const REASON = "audit";

describe("Audit findings: receivable ledger", function () {
  let sb: Sandbox;
  let s1: HardhatEthersSigner;
  let s2: HardhatEthersSigner;
  let s3: HardhatEthersSigner;
  let buyer: HardhatEthersSigner;
  let bank: HardhatEthersSigner;

  beforeEach(async function () {
    sb = await networkHelpers.loadFixture(fixture);
    [s1, s2, s3] = sb.suppliers;
    [buyer] = sb.buyers;
    [bank] = sb.banks;
  });

  describe("finding 1: an approval finances only the request the bank reviewed", function () {
    const FACE = 10_000n * YUAN;
    let id: string;

    beforeEach(async function () {
      ({ id } = await confirmedInvoice(sb, s1, buyer, "AF-1", FACE));
      await sb.ledger.connect(s1).requestFinancing(id, 0, bank.address, true, 800n);
    });

    it("a holder that cancels and asks again without recourse gets no approval of the reviewed terms", async function () {
      await sb.ledger.connect(s1).cancelFinancing(id, 0);
      await sb.ledger.connect(s1).requestFinancing(id, 0, bank.address, false, 800n);
      await expect(sb.ledger.connect(bank).approveFinancing(id, 0, s1.address, FACE, true, 600n))
        .to.be.revertedWithCustomError(sb.ledger, "FinancingRequestChanged")
        .withArgs(id, 0, s1.address, FACE, false);
    });

    it("nor does another supplier the piece was handed to, asking the same bank", async function () {
      await sb.ledger.connect(s1).cancelFinancing(id, 0);
      await sb.ledger.connect(s1).transferPiece(id, 0, s2.address, FACE);
      await sb.ledger.connect(s2).requestFinancing(id, 0, bank.address, true, 800n);
      await expect(sb.ledger.connect(bank).approveFinancing(id, 0, s1.address, FACE, true, 600n))
        .to.be.revertedWithCustomError(sb.ledger, "FinancingRequestChanged")
        .withArgs(id, 0, s2.address, FACE, true);
    });

    it("nor a smaller piece cut from it after a cancellation", async function () {
      await sb.ledger.connect(s1).cancelFinancing(id, 0);
      await sb.ledger.connect(s1).transferPiece(id, 0, s3.address, FACE / 2n);
      await sb.ledger.connect(s1).requestFinancing(id, 0, bank.address, true, 800n);
      await expect(sb.ledger.connect(bank).approveFinancing(id, 0, s1.address, FACE, true, 600n))
        .to.be.revertedWithCustomError(sb.ledger, "FinancingRequestChanged")
        .withArgs(id, 0, s1.address, FACE / 2n, true);
    });

    it("the bank cannot approve above the highest rate the holder accepts; at it, it can", async function () {
      await expect(sb.ledger.connect(bank).approveFinancing(id, 0, s1.address, FACE, true, 801n))
        .to.be.revertedWithCustomError(sb.ledger, "RateAboveRequestedMaximum")
        .withArgs(800n, 801n);
      await expect(sb.ledger.connect(bank).approveFinancing(id, 0, s1.address, FACE, true, 800n))
        .to.emit(sb.ledger, "FinancingApproved");
    });

    it("the request announces the holder's maximum rate", async function () {
      const { id: other } = await confirmedInvoice(sb, s2, buyer, "AF-1B", FACE);
      await expect(sb.ledger.connect(s2).requestFinancing(other, 0, bank.address, false, 450n))
        .to.emit(sb.ledger, "FinancingRequested")
        .withArgs(other, 0, s2.address, bank.address, FACE, false, 450n);
    });
  });

  describe("finding 5: one holder cannot use up an invoice's pieces for everyone", function () {
    it("a holder cutting tiny pieces off its own piece exhausts only that piece's splits", async function () {
      const { id } = await confirmedInvoice(sb, s1, buyer, "AF-5", 1_000_000n);
      // Half the receivable goes to s2 first, with half of the splits the original piece had left.
      await sb.ledger.connect(s1).transferPiece(id, 0, s2.address, 500_000n);
      expect((await sb.ledger.piece(id, 1)).splitsLeft).to.equal((MAX_PIECES - 2n) / 2n);
      let cuts = 0n;
      for (;;) {
        const left = (await sb.ledger.piece(id, 0)).splitsLeft;
        if (left === 0n) break;
        await sb.ledger.connect(s1).transferPiece(id, 0, s1.address, 1n);
        ++cuts;
      }
      await expect(sb.ledger.connect(s1).transferPiece(id, 0, s1.address, 1n))
        .to.be.revertedWithCustomError(sb.ledger, "PieceSplitsExhausted")
        .withArgs(id, 0);
      expect(cuts).to.equal(MAX_PIECES - 2n - (MAX_PIECES - 2n) / 2n);
      // The other holder still splits its own piece.
      await expect(sb.ledger.connect(s2).transferPiece(id, 1, s3.address, 100_000n))
        .to.emit(sb.ledger, "PieceTransferred")
        .withArgs(id, 1, 2n + cuts, s2.address, s3.address, 100_000n, 3);
    });
  });

  describe("finding 7: rounding remainders are never stranded in the ledger", function () {
    it("after a partial payment, a default and a recourse, the ledger holds nothing", async function () {
      // 1,000 fen in pieces of 334, 333 and 333; piece 1 financed with recourse.
      const { id, dueDate } = await confirmedInvoice(sb, s1, buyer, "AF-7", 1_000n, 10n * DAY);
      await sb.ledger.connect(s1).transferPiece(id, 0, s2.address, 333n);
      await sb.ledger.connect(s1).transferPiece(id, 0, s3.address, 333n);
      await sb.ledger.connect(s2).requestFinancing(id, 1, bank.address, true, ANY_RATE);
      await sb.ledger.connect(bank).approveFinancing(id, 1, s2.address, 333n, true, 0n);

      // 500 paid: shares 167, 166, 166 = 499; the fen rounding holds back stays with the buyer.
      await expect(sb.ledger.connect(buyer).pay(id, 500n)).to.changeTokenBalances(
        ethers,
        sb.token,
        [buyer, sb.ledger],
        [-499n, 0n],
      );
      await time.increaseTo(dueDate + 91n * DAY);
      await sb.ledger.connect(sb.operator).markDefaulted(id);
      await expect(sb.ledger.connect(bank).claimRecourse(id, 1)).to.changeTokenBalances(
        ethers,
        sb.token,
        [s2, bank, sb.ledger],
        [-167n, 167n, 0n],
      );
      expect(await sb.token.balanceOf(sb.ledger)).to.equal(0n);
    });
  });

  describe("finding 8: a pause does not turn into defaults the buyer could not prevent", function () {
    it("paused time after the due date does not count towards the default threshold", async function () {
      const FACE = 1_000n * YUAN;
      const { id, dueDate } = await confirmedInvoice(sb, s1, buyer, "AF-8", FACE, 10n * DAY);
      await sb.ledger.connect(s1).requestFinancing(id, 0, bank.address, true, ANY_RATE);
      await sb.ledger.connect(bank).approveFinancing(id, 0, s1.address, FACE, true, 0n);

      // Paused from a day before the due date until 100 days after it: the buyer cannot pay.
      await time.increaseTo(dueDate - DAY);
      await sb.controller.connect(sb.regulator).pause(REASON);
      const pausedAt = BigInt(await time.latest());
      await time.increaseTo(dueDate + 100n * DAY);
      await sb.controller.connect(sb.regulator).resume(REASON);
      const resumedAt = BigInt(await time.latest());

      const stopped = resumedAt - dueDate;
      expect(resumedAt - pausedAt).to.be.greaterThan(stopped);
      const defaultAt = dueDate + 90n * DAY + stopped;
      expect(await sb.controller.settlementDeadlines(dueDate)).to.deep.equal([dueDate + stopped, defaultAt]);
      // On resume, neither the keeper nor the bank's recourse lands before the buyer can pay.
      const now = BigInt(await time.latest()) + 1n;
      await time.setNextBlockTimestamp(now);
      await expect(sb.ledger.connect(bank).claimRecourse(id, 0))
        .to.be.revertedWithCustomError(sb.ledger, "NotYetDefaulted")
        .withArgs(id, defaultAt, now);
      await expect(sb.ledger.connect(sb.operator).markDefaulted(id)).to.be.revertedWithCustomError(
        sb.ledger,
        "NotYetDefaulted",
      );
      // A day on, the grace period (0 days) has run out again: overdue, not defaulted.
      await time.increase(DAY);
      expect(await sb.ledger.standing(id)).to.equal(InvoiceStatus.Overdue);
      await expect(sb.ledger.connect(buyer).pay(id, FACE)).to.emit(sb.ledger, "PaymentReceived");
    });
  });
});
