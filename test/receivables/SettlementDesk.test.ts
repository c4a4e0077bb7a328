import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import { expect } from "chai";
import { network } from "hardhat";

import {
  DAY,
  FinancingStatus,
  InvoiceStatus,
  PieceStatus,
  deploySandbox,
  submit,
  type Sandbox,
} from "../helpers/fixtures.js";
import { confirmedInvoice, finance, paidShare, pieceValue, readPiece } from "./helpers.js";
import { ANY_RATE } from "../helpers/fixtures.js";

const connection = await network.create();
const { ethers, networkHelpers } = connection;
const { time } = networkHelpers;
const fixture = () => deploySandbox(connection);

const FACE = 1_000_000n; // 10,000 yuan in fen
const UNKNOWN_ID = ethers.id("no such invoice");
const DEFAULT_THRESHOLD_DAYS = 90n; // the deployed policy's default threshold

describe("SettlementDesk", function () {
  let sb: Sandbox;
  let s1: HardhatEthersSigner;
  let s2: HardhatEthersSigner;
  let s3: HardhatEthersSigner;
  let buyer: HardhatEthersSigner;
  let otherBuyer: HardhatEthersSigner;
  let bank: HardhatEthersSigner;
  let bank2: HardhatEthersSigner;

  beforeEach(async function () {
    sb = await networkHelpers.loadFixture(fixture);
    [s1, s2, s3] = sb.suppliers;
    [buyer, otherBuyer] = sb.buyers;
    [bank, bank2] = sb.banks;
  });

  function pay(id: string, amount: bigint, from = buyer) {
    return sb.ledger.connect(from).pay(id, amount);
  }

  /** The PieceSettled events of a transaction, as [pieceIndex, holder, amount]. */
  async function pieceSettlements(tx: Promise<{ wait: () => Promise<unknown> }>) {
    const receipt = (await (await tx).wait()) as { logs: { topics: string[]; data: string }[] };
    const out: [bigint, string, bigint][] = [];
    for (const log of receipt.logs) {
      const parsed = sb.ledger.interface.parseLog(log);
      if (parsed?.name === "PieceSettled")
        out.push([parsed.args[1], parsed.args[2], parsed.args[3]]);
    }
    return out;
  }

  describe("pay", function () {
    describe("full payment", function () {
      let id: string;
      let dueDate: bigint;

      // The seller keeps 70%; its tier-2 supplier takes 30% and has it financed by the bank.
      beforeEach(async function () {
        ({ id, dueDate } = await confirmedInvoice(sb, s1, buyer, "SD-1", FACE));
        await sb.ledger.connect(s1).transferPiece(id, 0, s2.address, 300_000n);
        await finance(sb, id, 1, s2, bank, 600n);
        await time.increaseTo(dueDate);
      });

      it("pays every holder exactly its piece", async function () {
        await expect(pay(id, FACE)).to.changeTokenBalances(
          ethers,
          sb.token,
          [buyer, s1, s2, bank, sb.ledger],
          [-FACE, 700_000n, 0n, 300_000n, 0n],
        );
      });

      it("emits PieceSettled per piece, then PaymentReceived", async function () {
        const tx = pay(id, FACE);
        await expect(tx)
          .to.emit(sb.ledger, "PaymentReceived")
          .withArgs(id, buyer.address, FACE, FACE, FACE);
        await expect(tx).to.emit(sb.ledger, "PieceSettled").withArgs(id, 0, s1.address, 700_000n);
        await expect(tx).to.emit(sb.ledger, "PieceSettled").withArgs(id, 1, bank.address, 300_000n);
        expect(await pieceSettlements(tx)).to.deep.equal([
          [0n, s1.address, 700_000n],
          [1n, bank.address, 300_000n],
        ]);
      });

      it("settles the invoice and releases the exposure", async function () {
        expect((await sb.controller.participant(buyer.address)).outstanding).to.equal(FACE);
        expect((await sb.controller.participant(bank.address)).outstanding).to.equal(300_000n);
        await pay(id, FACE);
        const inv = await sb.ledger.invoice(id);
        expect(inv.status).to.equal(InvoiceStatus.Settled);
        expect(inv.paidAmount).to.equal(FACE);
        expect(await sb.ledger.standing(id)).to.equal(InvoiceStatus.Settled);
        for (const who of [buyer, bank, s2]) {
          expect((await sb.controller.participant(who.address)).outstanding).to.equal(0n);
        }
        // Pieces keep their holders: the record of who was paid.
        expect(await readPiece(sb, id, 1)).to.deep.equal(
          pieceValue(bank, 300_000n, 2, PieceStatus.Financed, 0),
        );
      });

      it("accepts nothing more once settled", async function () {
        await pay(id, FACE);
        await expect(pay(id, 1n))
          .to.be.revertedWithCustomError(sb.ledger, "InvoiceStatusMismatch")
          .withArgs(id, InvoiceStatus.Settled, InvoiceStatus.Confirmed);
      });
    });

    describe("partial payments", function () {
      it("pays pro-rata shares, rounded down cumulatively, one fen at a time", async function () {
        // 100 fen in pieces of 34 (seller), 33 and 33.
        const { id } = await confirmedInvoice(sb, s1, buyer, "SD-CENT", 100n);
        await sb.ledger.connect(s1).transferPiece(id, 0, s2.address, 33n);
        await sb.ledger.connect(s1).transferPiece(id, 0, s3.address, 33n);
        const holders = [s1, s2, s3];
        const amounts = [34n, 33n, 33n];
        const start = await Promise.all(holders.map((h) => sb.token.balanceOf(h.address)));
        const buyerStart = await sb.token.balanceOf(buyer.address);

        let paid = 0n;
        let sawRemainder = false;
        for (let k = 0; k < 100; ++k) {
          const before = amounts.map((a) => paidShare(paid, a, 100n));
          paid += 1n;
          const after = amounts.map((a) => paidShare(paid, a, 100n));
          const tx = pay(id, 1n);
          const settled = await pieceSettlements(tx);
          // One PieceSettled per piece whose share moved, with the exact delta.
          const expected: [bigint, string, bigint][] = [];
          after.forEach((a, i) => {
            if (a > before[i]) expected.push([BigInt(i), holders[i].address, a - before[i]]);
          });
          expect(settled, `after ${paid} fen`).to.deep.equal(expected);

          const received = (
            await Promise.all(holders.map((h) => sb.token.balanceOf(h.address)))
          ).map((b, i) => b - start[i]);
          expect(received, `after ${paid} fen`).to.deep.equal(after);
          const totalReceived = received.reduce((x, y) => x + y, 0n);
          expect(totalReceived).to.be.lessThanOrEqual(paid);
          // The buyer transferred exactly the shares: what rounding holds back stays with it, and
          // the ledger holds nothing that could be stranded.
          expect(buyerStart - (await sb.token.balanceOf(buyer.address))).to.equal(totalReceived);
          expect(await sb.token.balanceOf(sb.ledger)).to.equal(0n);
          if (paid > totalReceived) sawRemainder = true;
        }
        expect(sawRemainder).to.equal(true);
        const inv = await sb.ledger.invoice(id);
        expect(inv.status).to.equal(InvoiceStatus.Settled);
        expect(inv.paidAmount).to.equal(100n);
        expect(buyerStart - (await sb.token.balanceOf(buyer.address))).to.equal(100n);
      });

      it("leaves the rounding with the buyer until the final payment, never in the ledger", async function () {
        // 1,000 fen in pieces of 334 (seller), 333 and 333; payments of 500, 499 and 1.
        const { id } = await confirmedInvoice(sb, s1, buyer, "SD-ROUND", 1_000n);
        await sb.ledger.connect(s1).transferPiece(id, 0, s2.address, 333n);
        await sb.ledger.connect(s1).transferPiece(id, 0, s3.address, 333n);
        const who = [buyer, s1, s2, s3, sb.ledger];

        // 500 * 334 / 1000 = 167; 500 * 333 / 1000 = 166.5 -> 166: the buyer keeps 1 fen.
        let tx = pay(id, 500n);
        await expect(tx).to.changeTokenBalances(ethers, sb.token, who, [
          -499n,
          167n,
          166n,
          166n,
          0n,
        ]);
        await expect(tx)
          .to.emit(sb.ledger, "PaymentReceived")
          .withArgs(id, buyer.address, 500n, 500n, 1_000n);
        expect((await sb.ledger.invoice(id)).status).to.equal(InvoiceStatus.Confirmed);
        // 999 * 334 / 1000 = 333.666 -> 333; 999 * 333 / 1000 = 332.667 -> 332: the buyer keeps 2 fen.
        tx = pay(id, 499n);
        await expect(tx).to.changeTokenBalances(ethers, sb.token, who, [
          -498n,
          166n,
          166n,
          166n,
          0n,
        ]);
        await expect(tx)
          .to.emit(sb.ledger, "PaymentReceived")
          .withArgs(id, buyer.address, 499n, 999n, 1_000n);
        // The last fen brings every piece to its amount: the buyer transfers what it kept too.
        tx = pay(id, 1n);
        await expect(tx).to.changeTokenBalances(ethers, sb.token, who, [-3n, 1n, 1n, 1n, 0n]);
        expect(await pieceSettlements(tx)).to.deep.equal([
          [0n, s1.address, 1n],
          [1n, s2.address, 1n],
          [2n, s3.address, 1n],
        ]);
        expect((await sb.ledger.invoice(id)).status).to.equal(InvoiceStatus.Settled);
        expect(await sb.token.balanceOf(sb.ledger)).to.equal(0n);
      });

      it("emits only PaymentReceived when no share moves", async function () {
        const { id } = await confirmedInvoice(sb, s1, buyer, "SD-TINY", 1_000n);
        await sb.ledger.connect(s1).transferPiece(id, 0, s2.address, 500n);
        // 1 * 500 / 1000 = 0 for both pieces.
        const tx = pay(id, 1n);
        await expect(tx)
          .to.emit(sb.ledger, "PaymentReceived")
          .withArgs(id, buyer.address, 1n, 1n, 1_000n);
        await expect(tx).to.not.emit(sb.ledger, "PieceSettled");
        await expect(tx).to.changeTokenBalances(ethers, sb.token, [buyer, sb.ledger], [0n, 0n]);
      });
    });

    it("accepts an early payment in full", async function () {
      const { id } = await confirmedInvoice(sb, s1, buyer, "SD-EARLY", FACE);
      await expect(pay(id, FACE)).to.changeTokenBalances(
        ethers,
        sb.token,
        [buyer, s1],
        [-FACE, FACE],
      );
      expect((await sb.ledger.invoice(id)).status).to.equal(InvoiceStatus.Settled);
      await expect(sb.ledger.connect(s1).transferPiece(id, 0, s2.address, 1n))
        .to.be.revertedWithCustomError(sb.ledger, "InvoiceStatusMismatch")
        .withArgs(id, InvoiceStatus.Settled, InvoiceStatus.Confirmed);
    });

    it("accepts late payments after the overdue and default marks", async function () {
      const { id, dueDate } = await confirmedInvoice(sb, s1, buyer, "SD-LATE", FACE);
      await sb.ledger.connect(s1).transferPiece(id, 0, s2.address, 250_000n);
      await time.increaseTo(dueDate + 1n);
      await sb.ledger.connect(sb.operator).markOverdue(id);

      let tx = pay(id, 400_000n);
      await expect(tx).to.changeTokenBalances(ethers, sb.token, [s1, s2], [300_000n, 100_000n]);
      await expect(tx)
        .to.emit(sb.ledger, "PaymentReceived")
        .withArgs(id, buyer.address, 400_000n, 400_000n, FACE);
      expect((await sb.ledger.invoice(id)).status).to.equal(InvoiceStatus.Overdue);

      await time.increaseTo(dueDate + DEFAULT_THRESHOLD_DAYS * DAY + 1n);
      await expect(sb.ledger.connect(sb.regulator).markDefaulted(id))
        .to.emit(sb.ledger, "ReceivableDefaulted")
        .withArgs(id, 600_000n, dueDate);
      tx = pay(id, 600_000n);
      await expect(tx).to.changeTokenBalances(ethers, sb.token, [s1, s2], [450_000n, 150_000n]);
      await expect(tx)
        .to.emit(sb.ledger, "PaymentReceived")
        .withArgs(id, buyer.address, 600_000n, FACE, FACE);
      expect((await sb.ledger.invoice(id)).status).to.equal(InvoiceStatus.Settled);
    });

    it("rejects 0 fen and more than what is outstanding", async function () {
      const { id } = await confirmedInvoice(sb, s1, buyer, "SD-AMT", FACE);
      await expect(pay(id, 0n))
        .to.be.revertedWithCustomError(sb.ledger, "InvalidPaymentAmount")
        .withArgs(id, FACE, 0n);
      await expect(pay(id, FACE + 1n))
        .to.be.revertedWithCustomError(sb.ledger, "InvalidPaymentAmount")
        .withArgs(id, FACE, FACE + 1n);
      await pay(id, 400_000n);
      await expect(pay(id, 600_001n))
        .to.be.revertedWithCustomError(sb.ledger, "InvalidPaymentAmount")
        .withArgs(id, 600_000n, 600_001n);
      await expect(pay(id, 600_000n)).to.emit(sb.ledger, "PaymentReceived");
    });

    it("names an oversized payment with InvalidPaymentAmount, not an arithmetic panic", async function () {
      // The NatSpec: "A payment is 1 fen up to the `outstanding` amount", and DESIGN.md section 4:
      // a blocked action fails with a named error. Once part is paid, paidBefore + amount overflows.
      const { id } = await confirmedInvoice(sb, s1, buyer, "SD-HUGE", FACE);
      await pay(id, 1n);
      await expect(pay(id, ethers.MaxUint256))
        .to.be.revertedWithCustomError(sb.ledger, "InvalidPaymentAmount")
        .withArgs(id, FACE - 1n, ethers.MaxUint256);
    });

    it("is only for the invoice's buyer", async function () {
      const { id } = await confirmedInvoice(sb, s1, buyer, "SD-WHO", FACE);
      for (const caller of [s1, otherBuyer, bank, sb.operator, sb.outsider]) {
        await expect(pay(id, 1n, caller))
          .to.be.revertedWithCustomError(sb.ledger, "NotInvoiceBuyer")
          .withArgs(id, buyer.address, caller.address);
      }
    });

    it("needs a confirmed receivable", async function () {
      const submitted = await submit(sb, s1, buyer, { number: "SD-SUB" });
      await expect(pay(submitted, 1n))
        .to.be.revertedWithCustomError(sb.ledger, "InvoiceStatusMismatch")
        .withArgs(submitted, InvoiceStatus.Submitted, InvoiceStatus.Confirmed);
      const disputed = await submit(sb, s1, buyer, { number: "SD-DIS" });
      await sb.ledger.connect(buyer).disputeInvoice(disputed, "not ours");
      await expect(pay(disputed, 1n))
        .to.be.revertedWithCustomError(sb.ledger, "InvoiceStatusMismatch")
        .withArgs(disputed, InvoiceStatus.Disputed, InvoiceStatus.Confirmed);
      await expect(pay(UNKNOWN_ID, 1n))
        .to.be.revertedWithCustomError(sb.ledger, "InvoiceNotFound")
        .withArgs(UNKNOWN_ID);
    });

    it("fails with the token's error when the buyer lacks the funds", async function () {
      const { id } = await confirmedInvoice(sb, s1, buyer, "SD-POOR", FACE);
      const balance = await sb.token.balanceOf(buyer.address);
      await sb.token.connect(buyer).burn(balance - 10n);
      await expect(pay(id, 11n))
        .to.be.revertedWithCustomError(sb.token, "ERC20InsufficientBalance")
        .withArgs(buyer.address, 10n, 11n);
      expect((await sb.ledger.invoice(id)).paidAmount).to.equal(0n);
    });
  });

  describe("claimRecourse", function () {
    // Piece 0: the seller's 600,000 fen, not financed. Piece 1: 300,000 fen of s2, financed by
    // `bank` with recourse. Piece 2: 100,000 fen of s3, financed by `bank2` without recourse.
    let id: string;
    let dueDate: bigint;
    let defaultAt: bigint;
    let advance1: bigint;

    beforeEach(async function () {
      ({ id, dueDate } = await confirmedInvoice(sb, s1, buyer, "SD-REC", FACE));
      await sb.ledger.connect(s1).transferPiece(id, 0, s2.address, 300_000n);
      await sb.ledger.connect(s1).transferPiece(id, 0, s3.address, 100_000n);
      await finance(sb, id, 1, s2, bank, 800n, true);
      await finance(sb, id, 2, s3, bank2, 800n, false);
      advance1 = (await sb.ledger.financing(id, 1)).advance;
      defaultAt = dueDate + DEFAULT_THRESHOLD_DAYS * DAY;
    });

    function claim(index: number, from = bank) {
      return sb.ledger.connect(from).claimRecourse(id, index);
    }

    it("waits for the default threshold", async function () {
      await time.setNextBlockTimestamp(dueDate + 1n);
      await expect(claim(1))
        .to.be.revertedWithCustomError(sb.ledger, "NotYetDefaulted")
        .withArgs(id, defaultAt, dueDate + 1n);
      await time.setNextBlockTimestamp(defaultAt);
      await expect(claim(1))
        .to.be.revertedWithCustomError(sb.ledger, "NotYetDefaulted")
        .withArgs(id, defaultAt, defaultAt);
    });

    async function financingStatus(index: number) {
      return (await sb.ledger.financing(id, index)).status;
    }

    describe("past the default threshold", function () {
      beforeEach(async function () {
        // The financed party holds only the advance; give it the rest to repay the bank.
        await sb.token.connect(sb.operator).mint(s2.address, 300_000n);
        await time.increaseTo(defaultAt + 1n);
      });

      it("is refused while the financed party is frozen: it neither pays nor takes the piece back", async function () {
        await sb.controller.connect(sb.regulator).freeze(s2.address, "under investigation");
        await expect(claim(1))
          .to.be.revertedWithCustomError(sb.ledger, "ParticipantIsFrozen")
          .withArgs(s2.address);
        expect((await sb.ledger.financing(id, 1)).status).to.equal(FinancingStatus.Approved);
      });

      it("returns the unpaid amount", async function () {
        expect(await sb.ledger.connect(bank).claimRecourse.staticCall(id, 1)).to.equal(300_000n);
      });

      it("marks the default and emits RecourseClaimed", async function () {
        const tx = claim(1);
        await expect(tx).to.emit(sb.ledger, "ReceivableDefaulted").withArgs(id, FACE, dueDate);
        await expect(tx)
          .to.emit(sb.ledger, "RecourseClaimed")
          .withArgs(id, 1, bank.address, s2.address, 300_000n);
        expect((await sb.ledger.invoice(id)).status).to.equal(InvoiceStatus.Defaulted);
      });

      it("moves the unpaid amount from the financed party to the bank", async function () {
        await expect(claim(1)).to.changeTokenBalances(
          ethers,
          sb.token,
          [s2, bank, s1, s3, bank2, sb.ledger],
          [-300_000n, 300_000n, 0n, 0n, 0n, 0n],
        );
      });

      it("gives the piece back to the financed party as Recoursed, for good", async function () {
        const before = await sb.ledger.financing(id, 1);
        await claim(1);
        expect(await readPiece(sb, id, 1)).to.deep.equal(
          pieceValue(s2, 300_000n, 2, PieceStatus.Recoursed, 0),
        );
        const after = await sb.ledger.financing(id, 1);
        expect(after.status).to.equal(FinancingStatus.Recoursed);
        expect([
          after.bank,
          after.financedParty,
          after.advance,
          after.discount,
          after.decidedAt,
        ]).to.deep.equal([
          before.bank,
          before.financedParty,
          before.advance,
          before.discount,
          before.decidedAt,
        ]);
        for (const who of [bank, s2]) {
          expect((await sb.controller.participant(who.address)).outstanding).to.equal(0n);
        }
        // A recoursed piece neither moves nor gets financed again.
        await expect(sb.ledger.connect(s2).claimRecourse(id, 1))
          .to.be.revertedWithCustomError(sb.ledger, "RecourseNotAvailable")
          .withArgs(id, 1, FinancingStatus.Recoursed);
        await expect(sb.ledger.connect(s2).requestFinancing(id, 1, bank2.address, true, ANY_RATE))
          .to.be.revertedWithCustomError(sb.ledger, "InvoiceStatusMismatch")
          .withArgs(id, InvoiceStatus.Defaulted, InvoiceStatus.Confirmed);
      });

      it("is not available again to the bank once recovered", async function () {
        await claim(1);
        await expect(claim(1))
          .to.be.revertedWithCustomError(sb.ledger, "RecourseNotAvailable")
          .withArgs(id, 1, FinancingStatus.Recoursed);
      });

      it("is not available for a piece financed without recourse, or never financed", async function () {
        await expect(claim(2, bank2))
          .to.be.revertedWithCustomError(sb.ledger, "RecourseNotAvailable")
          .withArgs(id, 2, FinancingStatus.Approved);
        await expect(claim(0, s1))
          .to.be.revertedWithCustomError(sb.ledger, "RecourseNotAvailable")
          .withArgs(id, 0, FinancingStatus.None);
        expect((await sb.ledger.invoice(id)).status).to.equal(InvoiceStatus.Confirmed);
      });

      it("is only for the bank that financed the piece", async function () {
        for (const caller of [s2, bank2, s1, buyer, sb.regulator, sb.outsider]) {
          await expect(claim(1, caller))
            .to.be.revertedWithCustomError(sb.ledger, "NotFinancingBank")
            .withArgs(id, 1, bank.address, caller.address);
        }
        await expect(sb.ledger.connect(bank).claimRecourse(id, 3))
          .to.be.revertedWithCustomError(sb.ledger, "PieceNotFound")
          .withArgs(id, 3);
        await expect(sb.ledger.connect(bank).claimRecourse(UNKNOWN_ID, 1))
          .to.be.revertedWithCustomError(sb.ledger, "InvoiceNotFound")
          .withArgs(UNKNOWN_ID);
      });

      it("marks an overdue receivable defaulted", async function () {
        await sb.ledger.connect(sb.operator).markOverdue(id);
        await expect(claim(1))
          .to.emit(sb.ledger, "ReceivableDefaulted")
          .withArgs(id, FACE, dueDate);
        expect((await sb.ledger.invoice(id)).status).to.equal(InvoiceStatus.Defaulted);
      });

      it("is blocked while the receivable is frozen", async function () {
        await sb.ledger.connect(sb.regulator).freezeReceivable(id, "litigation");
        await expect(claim(1))
          .to.be.revertedWithCustomError(sb.ledger, "ReceivableIsFrozen")
          .withArgs(id);
      });
    });

    it("recovers only what the buyer has not paid; later payments go to the financed party", async function () {
      const early = 123_457n;
      await pay(id, early);
      const paidOn1 = paidShare(early, 300_000n, FACE);
      expect(paidOn1).to.equal(37_037n); // 37_037.1 rounded down
      await time.increaseTo(defaultAt + 1n);
      await sb.ledger.connect(sb.operator).markDefaulted(id);
      await sb.token.connect(sb.operator).mint(s2.address, 300_000n);

      const recovered = 300_000n - paidOn1;
      expect(await sb.ledger.connect(bank).claimRecourse.staticCall(id, 1)).to.equal(recovered);
      let tx = claim(1);
      await expect(tx).to.changeTokenBalances(
        ethers,
        sb.token,
        [s2, bank],
        [-recovered, recovered],
      );
      await expect(tx)
        .to.emit(sb.ledger, "RecourseClaimed")
        .withArgs(id, 1, bank.address, s2.address, recovered);
      await expect(tx).to.not.emit(sb.ledger, "ReceivableDefaulted");

      // The buyer finally pays the rest: the financed party, not the bank, gets piece 1's share.
      const rest = FACE - early;
      const share = (amount: bigint) => amount - paidShare(early, amount, FACE);
      tx = pay(id, rest);
      await expect(tx).to.changeTokenBalances(
        ethers,
        sb.token,
        [buyer, s1, s2, s3, bank, bank2],
        [
          -(share(600_000n) + share(300_000n) + share(100_000n)),
          share(600_000n),
          share(300_000n),
          0n,
          0n,
          share(100_000n),
        ],
      );
      await expect(tx).to.emit(sb.ledger, "PieceSettled").withArgs(id, 1, s2.address, recovered);
      expect((await sb.ledger.invoice(id)).status).to.equal(InvoiceStatus.Settled);
      // In all the bank got its piece exactly: the early share plus the recourse.
      expect(paidOn1 + recovered).to.equal(300_000n);
      for (const who of [buyer, bank, bank2, s2, s3]) {
        expect((await sb.controller.participant(who.address)).outstanding).to.equal(0n);
      }
    });

    it("fails with the token's error, changing nothing, when the financed party cannot pay", async function () {
      // s2 holds only the advance it received.
      expect(await sb.token.balanceOf(s2.address)).to.equal(advance1);
      await time.setNextBlockTimestamp(defaultAt + 1n);
      await expect(claim(1))
        .to.be.revertedWithCustomError(sb.token, "ERC20InsufficientBalance")
        .withArgs(s2.address, advance1, 300_000n);
      expect((await sb.ledger.invoice(id)).status).to.equal(InvoiceStatus.Confirmed);
      expect(await readPiece(sb, id, 1)).to.deep.equal(
        pieceValue(bank, 300_000n, 2, PieceStatus.Financed, 0),
      );
      expect(await financingStatus(1)).to.equal(FinancingStatus.Approved);
      expect((await sb.controller.participant(bank.address)).outstanding).to.equal(300_000n);
      expect((await sb.controller.participant(s2.address)).outstanding).to.equal(300_000n);
    });

    it("has nothing to recover once the invoice is settled", async function () {
      await pay(id, FACE);
      await time.increaseTo(defaultAt + 1n);
      await expect(claim(1))
        .to.be.revertedWithCustomError(sb.ledger, "InvoiceStatusMismatch")
        .withArgs(id, InvoiceStatus.Settled, InvoiceStatus.Confirmed);
    });
  });
});
