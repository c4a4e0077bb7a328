import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import { expect } from "chai";
import { network } from "hardhat";

import {
  DAY,
  DOC_HASH,
  InvoiceStatus,
  Limit,
  PieceStatus,
  Role,
  YUAN,
  deploySandbox,
  setLimit,
  type Sandbox,
} from "../helpers/fixtures.js";
import { MAX_FACE, pieceValue, readPiece, readPieces, submitSpec } from "./helpers.js";
import { ANY_RATE } from "../helpers/fixtures.js";

const connection = await network.create();
const { ethers, networkHelpers } = connection;
const { time } = networkHelpers;
const fixture = () => deploySandbox(connection);

const FACE = 1_000_000n * YUAN;
const NUMBER = "INV-2026/001";
const UNKNOWN_ID = ethers.id("no such invoice");

describe("InvoiceBook", function () {
  let sb: Sandbox;
  let seller: HardhatEthersSigner;
  let otherSeller: HardhatEthersSigner;
  let buyer: HardhatEthersSigner;
  let otherBuyer: HardhatEthersSigner;
  let bank: HardhatEthersSigner;

  beforeEach(async function () {
    sb = await networkHelpers.loadFixture(fixture);
    [seller, otherSeller] = sb.suppliers;
    [buyer, otherBuyer] = sb.buyers;
    [bank] = sb.banks;
  });

  /** Submits `number` from `from` on `to`, issued a day ago and due in 90 days. */
  async function submitted(from = seller, to = buyer, number = NUMBER, amount = FACE) {
    const now = await sb.now();
    const issueDate = now - DAY;
    const dueDate = now + 90n * DAY;
    const id = await submitSpec(sb, from, to, { number, amount, issueDate, dueDate });
    return { id, issueDate, dueDate };
  }

  /** A submitted invoice that `buyer` confirmed. */
  async function confirmedOne(amount = FACE) {
    const inv = await submitted(seller, buyer, NUMBER, amount);
    await sb.ledger.connect(buyer).confirmInvoice(inv.id);
    return inv;
  }

  /** Submits with explicit dates and document hash from `seller` on `buyer`. */
  function submitRaw(
    number: string,
    amount: bigint,
    issueDate: bigint,
    dueDate: bigint,
    documentHash: string = DOC_HASH,
    from = seller,
  ) {
    return sb.ledger
      .connect(from)
      .submitInvoice(buyer.address, number, amount, issueDate, dueDate, documentHash);
  }

  describe("submitInvoice", function () {
    it("returns the id of invoiceIdOf, the hash of the normalized key", async function () {
      const now = await sb.now();
      const id = await sb.ledger.invoiceIdOf(seller.address, buyer.address, NUMBER);
      expect(id).to.equal(
        ethers.solidityPackedKeccak256(
          ["address", "address", "bytes"],
          [seller.address, buyer.address, ethers.toUtf8Bytes("INV2026001")],
        ),
      );
      expect(
        await sb.ledger
          .connect(seller)
          .submitInvoice.staticCall(
            buyer.address,
            NUMBER,
            FACE,
            now - DAY,
            now + 30n * DAY,
            DOC_HASH,
          ),
      ).to.equal(id);
    });

    it("emits InvoiceSubmitted with the raw number and every field", async function () {
      const now = await sb.now();
      const issueDate = now - 3n * DAY;
      const dueDate = now + 60n * DAY;
      const id = await sb.ledger.invoiceIdOf(seller.address, buyer.address, NUMBER);
      await expect(submitRaw(NUMBER, FACE, issueDate, dueDate))
        .to.emit(sb.ledger, "InvoiceSubmitted")
        .withArgs(id, seller.address, buyer.address, NUMBER, FACE, issueDate, dueDate, DOC_HASH);
    });

    it("records a submitted invoice with no pieces", async function () {
      const { id, issueDate, dueDate } = await submitted();
      const inv = await sb.ledger.invoice(id);
      expect(inv.seller).to.equal(seller.address);
      expect(inv.buyer).to.equal(buyer.address);
      expect(inv.faceAmount).to.equal(FACE);
      expect(inv.paidAmount).to.equal(0n);
      expect(inv.issueDate).to.equal(issueDate);
      expect(inv.dueDate).to.equal(dueDate);
      expect(inv.status).to.equal(InvoiceStatus.Submitted);
      expect(inv.pieceCount).to.equal(0n);
      expect(inv.frozen).to.equal(false);
      // The hash is not stored: the InvoiceSubmitted event records it.
      expect(inv).to.not.have.property("documentHash");
      expect(await sb.ledger.standing(id)).to.equal(InvoiceStatus.Submitted);
      expect(await sb.ledger.pieces(id)).to.have.length(0);
      await expect(sb.ledger.piece(id, 0))
        .to.be.revertedWithCustomError(sb.ledger, "PieceNotFound")
        .withArgs(id, 0);
    });

    describe("invoice number normalization", function () {
      const SPELLINGS = [
        "inv-2026/001",
        "INV2026001",
        "Inv 2026.001",
        "inv_2026_001",
        " I-n-V 2026/0.0_1 ",
      ];

      it("gives every spelling of one number the same id", async function () {
        const ids = await Promise.all(
          SPELLINGS.map((n) => sb.ledger.invoiceIdOf(seller.address, buyer.address, n)),
        );
        expect(new Set(ids).size).to.equal(1);
        expect(
          await sb.ledger.invoiceIdOf(seller.address, buyer.address, "INV2026002"),
        ).to.not.equal(ids[0]);
      });

      for (const spelling of SPELLINGS.slice(1)) {
        it(`rejects "${spelling}" once "inv-2026/001" is tokenized`, async function () {
          const { id } = await submitted(seller, buyer, SPELLINGS[0]);
          const now = await sb.now();
          await expect(submitRaw(spelling, 5n, now, now + DAY))
            .to.be.revertedWithCustomError(sb.ledger, "InvoiceAlreadyExists")
            .withArgs(id);
        });
      }

      it("treats the same number from another seller or on another buyer as another invoice", async function () {
        const first = await submitted(seller, buyer, NUMBER);
        const otherBuyerInv = await submitted(seller, otherBuyer, "inv2026001");
        const otherSellerInv = await submitted(otherSeller, buyer, "inv2026001");
        const ids = [first.id, otherBuyerInv.id, otherSellerInv.id];
        expect(new Set(ids).size).to.equal(3);
        expect((await sb.ledger.invoice(otherBuyerInv.id)).buyer).to.equal(otherBuyer.address);
        expect((await sb.ledger.invoice(otherSellerInv.id)).seller).to.equal(otherSeller.address);
        // Swapping roles is another key too: the key is ordered (seller, buyer).
        expect(await sb.ledger.invoiceIdOf(buyer.address, seller.address, NUMBER)).to.not.equal(
          first.id,
        );
      });

      it("rejects an empty number, or one with nothing but separators", async function () {
        const now = await sb.now();
        for (const n of ["", "--", " -_/. "]) {
          await expect(submitRaw(n, FACE, now, now + DAY))
            .to.be.revertedWithCustomError(sb.ledger, "InvoiceNumberLength")
            .withArgs(0, 64);
        }
      });

      it("accepts 64 characters and rejects 65", async function () {
        const now = await sb.now();
        const n64 = "A".repeat(64);
        await expect(submitRaw(n64, FACE, now, now + DAY)).to.emit(sb.ledger, "InvoiceSubmitted");
        await expect(submitRaw("B".repeat(65), FACE, now, now + DAY))
          .to.be.revertedWithCustomError(sb.ledger, "InvoiceNumberLength")
          .withArgs(65, 64);
        // The limit is on the raw input: separators count.
        await expect(submitRaw("C-".repeat(32) + "C", FACE, now, now + DAY))
          .to.be.revertedWithCustomError(sb.ledger, "InvoiceNumberLength")
          .withArgs(65, 64);
      });

      it("rejects a foreign character at its byte position", async function () {
        const now = await sb.now();
        const cases: [string, number][] = [
          ["INV发票001", 3], // UTF-8: the first byte of the first Chinese character
          ["INV#001", 3],
          ["#1", 0],
          ["INV001\u00a0", 6], // a no-break space is not a separator
          ["INV\t001", 3],
          ["ＩNV001", 0], // full-width look-alike
        ];
        for (const [n, position] of cases) {
          await expect(submitRaw(n, FACE, now, now + DAY))
            .to.be.revertedWithCustomError(sb.ledger, "InvoiceNumberCharacter")
            .withArgs(position);
          await expect(sb.ledger.invoiceIdOf(seller.address, buyer.address, n))
            .to.be.revertedWithCustomError(sb.ledger, "InvoiceNumberCharacter")
            .withArgs(position);
        }
      });
    });

    describe("face amount", function () {
      it("rejects 0 and 2^48 fen", async function () {
        const now = await sb.now();
        for (const amount of [0n, 2n ** 48n, 2n ** 256n - 1n]) {
          await expect(submitRaw(NUMBER, amount, now, now + DAY))
            .to.be.revertedWithCustomError(sb.ledger, "InvalidFaceAmount")
            .withArgs(amount, MAX_FACE);
        }
      });

      it("accepts 1 fen and 2^48-1 fen", async function () {
        const now = await sb.now();
        await submitRaw("ONE", 1n, now, now + DAY);
        await submitRaw("MAX", MAX_FACE, now, now + DAY);
        const max = await sb.ledger.invoice(
          await sb.ledger.invoiceIdOf(seller.address, buyer.address, "MAX"),
        );
        expect(max.faceAmount).to.equal(MAX_FACE);
        const one = await sb.ledger.invoice(
          await sb.ledger.invoiceIdOf(seller.address, buyer.address, "ONE"),
        );
        expect(one.faceAmount).to.equal(1n);
      });
    });

    describe("dates", function () {
      let t: bigint;
      beforeEach(async function () {
        t = (await sb.now()) + 100n;
        await time.setNextBlockTimestamp(t);
      });

      it("rejects an issue date in the future", async function () {
        await expect(submitRaw(NUMBER, FACE, t + 1n, t + DAY))
          .to.be.revertedWithCustomError(sb.ledger, "InvalidInvoiceDates")
          .withArgs(t + 1n, t + DAY, t);
      });

      it("accepts an issue date equal to now", async function () {
        await expect(submitRaw(NUMBER, FACE, t, t + DAY))
          .to.emit(sb.ledger, "InvoiceSubmitted")
          .withArgs(
            await sb.ledger.invoiceIdOf(seller.address, buyer.address, NUMBER),
            seller.address,
            buyer.address,
            NUMBER,
            FACE,
            t,
            t + DAY,
            DOC_HASH,
          );
      });

      it("rejects a due date equal to now, and accepts one second later", async function () {
        await expect(submitRaw(NUMBER, FACE, t - DAY, t))
          .to.be.revertedWithCustomError(sb.ledger, "InvalidInvoiceDates")
          .withArgs(t - DAY, t, t);
        await time.setNextBlockTimestamp(t);
        await expect(submitRaw(NUMBER, FACE, t - DAY, t + 1n)).to.emit(
          sb.ledger,
          "InvoiceSubmitted",
        );
      });

      it("rejects a due date on or before the issue date", async function () {
        await expect(submitRaw(NUMBER, FACE, t - DAY, t - 2n * DAY))
          .to.be.revertedWithCustomError(sb.ledger, "InvalidInvoiceDates")
          .withArgs(t - DAY, t - 2n * DAY, t);
        await time.setNextBlockTimestamp(t);
        await expect(submitRaw(NUMBER, FACE, t, t))
          .to.be.revertedWithCustomError(sb.ledger, "InvalidInvoiceDates")
          .withArgs(t, t, t);
      });

      it("rejects a due date that does not fit 32 bits", async function () {
        await expect(submitRaw(NUMBER, FACE, t, 2n ** 32n))
          .to.be.revertedWithCustomError(sb.ledger, "InvalidInvoiceDates")
          .withArgs(t, 2n ** 32n, t);
      });
    });

    it("requires the document hash", async function () {
      const now = await sb.now();
      await expect(
        submitRaw(NUMBER, FACE, now, now + DAY, ethers.ZeroHash),
      ).to.be.revertedWithCustomError(sb.ledger, "DocumentHashRequired");
    });

    it("is only for a supplier, against a core enterprise", async function () {
      const now = await sb.now();
      await expect(submitRaw(NUMBER, FACE, now, now + DAY, DOC_HASH, sb.outsider))
        .to.be.revertedWithCustomError(sb.ledger, "ParticipantNotAdmitted")
        .withArgs(sb.outsider.address);
      await expect(submitRaw(NUMBER, FACE, now, now + DAY, DOC_HASH, otherBuyer))
        .to.be.revertedWithCustomError(sb.ledger, "ParticipantRoleMismatch")
        .withArgs(otherBuyer.address, Role.Supplier, Role.CoreEnterprise);
      await expect(
        sb.ledger
          .connect(seller)
          .submitInvoice(bank.address, NUMBER, FACE, now, now + DAY, DOC_HASH),
      )
        .to.be.revertedWithCustomError(sb.ledger, "ParticipantRoleMismatch")
        .withArgs(bank.address, Role.CoreEnterprise, Role.Bank);
      await expect(
        sb.ledger
          .connect(seller)
          .submitInvoice(otherSeller.address, NUMBER, FACE, now, now + DAY, DOC_HASH),
      )
        .to.be.revertedWithCustomError(sb.ledger, "ParticipantRoleMismatch")
        .withArgs(otherSeller.address, Role.CoreEnterprise, Role.Supplier);
    });
  });

  describe("confirmInvoice", function () {
    it("issues piece 0 to the seller at tier 1 and emits InvoiceConfirmed", async function () {
      const { id } = await submitted();
      await expect(sb.ledger.connect(buyer).confirmInvoice(id))
        .to.emit(sb.ledger, "InvoiceConfirmed")
        .withArgs(id, buyer.address, seller.address, FACE);

      const inv = await sb.ledger.invoice(id);
      expect(inv.status).to.equal(InvoiceStatus.Confirmed);
      expect(inv.pieceCount).to.equal(1n);
      expect(inv.paidAmount).to.equal(0n);
      const root = pieceValue(seller, FACE, 1, PieceStatus.Active, 0);
      expect(await readPiece(sb, id, 0)).to.deep.equal(root);
      expect(await readPieces(sb, id)).to.deep.equal([root]);
      expect(await sb.ledger.standing(id)).to.equal(InvoiceStatus.Confirmed);
      // The buyer's confirmed outstanding is what it now owes.
      expect((await sb.controller.participant(buyer.address)).outstanding).to.equal(FACE);
    });

    it("is only for the invoice's buyer", async function () {
      const { id } = await submitted();
      for (const caller of [seller, otherBuyer, bank, sb.regulator, sb.outsider]) {
        await expect(sb.ledger.connect(caller).confirmInvoice(id))
          .to.be.revertedWithCustomError(sb.ledger, "NotInvoiceBuyer")
          .withArgs(id, buyer.address, caller.address);
      }
    });

    it("reverts for an unknown invoice", async function () {
      await expect(sb.ledger.connect(buyer).confirmInvoice(UNKNOWN_ID))
        .to.be.revertedWithCustomError(sb.ledger, "InvoiceNotFound")
        .withArgs(UNKNOWN_ID);
    });

    it("needs a submitted invoice", async function () {
      const { id } = await confirmedOne();
      await expect(sb.ledger.connect(buyer).confirmInvoice(id))
        .to.be.revertedWithCustomError(sb.ledger, "InvoiceStatusMismatch")
        .withArgs(id, InvoiceStatus.Confirmed, InvoiceStatus.Submitted);
    });

    it("is blocked while the invoice is frozen", async function () {
      const { id } = await submitted();
      await sb.ledger.connect(sb.regulator).freezeReceivable(id, "forged document?");
      await expect(sb.ledger.connect(buyer).confirmInvoice(id))
        .to.be.revertedWithCustomError(sb.ledger, "ReceivableIsFrozen")
        .withArgs(id);
      await sb.ledger.connect(sb.regulator).unfreezeReceivable(id, "document checked");
      await expect(sb.ledger.connect(buyer).confirmInvoice(id)).to.emit(
        sb.ledger,
        "InvoiceConfirmed",
      );
    });
    it("is too late once the invoice is due: a matured invoice is never tokenized", async function () {
      const { id, dueDate } = await submitted();
      await time.setNextBlockTimestamp(dueDate);
      await expect(sb.ledger.connect(buyer).confirmInvoice(id))
        .to.be.revertedWithCustomError(sb.ledger, "ReceivableMatured")
        .withArgs(id, dueDate, dueDate);
      expect((await sb.ledger.invoice(id)).status).to.equal(InvoiceStatus.Submitted);
    });

    it("still confirms in the last second before the due date", async function () {
      const { id, dueDate } = await submitted();
      await time.setNextBlockTimestamp(dueDate - 1n);
      await expect(sb.ledger.connect(buyer).confirmInvoice(id)).to.emit(
        sb.ledger,
        "InvoiceConfirmed",
      );
    });
  });

  describe("disputeInvoice", function () {
    it("marks the invoice disputed for good and emits InvoiceDisputed", async function () {
      const { id } = await submitted();
      await expect(sb.ledger.connect(buyer).disputeInvoice(id, "goods not delivered"))
        .to.emit(sb.ledger, "InvoiceDisputed")
        .withArgs(id, buyer.address, "goods not delivered");
      expect((await sb.ledger.invoice(id)).status).to.equal(InvoiceStatus.Disputed);
      expect(await sb.ledger.standing(id)).to.equal(InvoiceStatus.Disputed);
      expect(await sb.ledger.pieces(id)).to.have.length(0);

      await expect(sb.ledger.connect(buyer).confirmInvoice(id))
        .to.be.revertedWithCustomError(sb.ledger, "InvoiceStatusMismatch")
        .withArgs(id, InvoiceStatus.Disputed, InvoiceStatus.Submitted);
      await expect(sb.ledger.connect(buyer).disputeInvoice(id, "again"))
        .to.be.revertedWithCustomError(sb.ledger, "InvoiceStatusMismatch")
        .withArgs(id, InvoiceStatus.Disputed, InvoiceStatus.Submitted);
    });

    it("keeps the key used: the disputed invoice cannot be submitted again", async function () {
      const { id } = await submitted();
      await sb.ledger.connect(buyer).disputeInvoice(id, "duplicate");
      const now = await sb.now();
      await expect(submitRaw("INV2026001", FACE, now, now + DAY))
        .to.be.revertedWithCustomError(sb.ledger, "InvoiceAlreadyExists")
        .withArgs(id);
    });

    it("requires a reason", async function () {
      const { id } = await submitted();
      await expect(sb.ledger.connect(buyer).disputeInvoice(id, "")).to.be.revertedWithCustomError(
        sb.ledger,
        "ReasonRequired",
      );
    });

    it("is only for the invoice's buyer", async function () {
      const { id } = await submitted();
      for (const caller of [seller, otherBuyer, sb.regulator, sb.outsider]) {
        await expect(sb.ledger.connect(caller).disputeInvoice(id, "no"))
          .to.be.revertedWithCustomError(sb.ledger, "NotInvoiceBuyer")
          .withArgs(id, buyer.address, caller.address);
      }
    });

    it("cannot dispute a confirmed receivable", async function () {
      const { id } = await confirmedOne();
      await expect(sb.ledger.connect(buyer).disputeInvoice(id, "changed my mind"))
        .to.be.revertedWithCustomError(sb.ledger, "InvoiceStatusMismatch")
        .withArgs(id, InvoiceStatus.Confirmed, InvoiceStatus.Submitted);
    });

    it("reverts for an unknown invoice", async function () {
      await expect(sb.ledger.connect(buyer).disputeInvoice(UNKNOWN_ID, "?"))
        .to.be.revertedWithCustomError(sb.ledger, "InvoiceNotFound")
        .withArgs(UNKNOWN_ID);
    });
  });

  describe("markOverdue", function () {
    const GRACE = 5n;
    let id: string;
    let dueDate: bigint;
    let at: bigint;

    beforeEach(async function () {
      await setLimit(sb, Limit.GracePeriodDays, GRACE);
      ({ id, dueDate } = await confirmedOne());
      at = dueDate + GRACE * DAY;
    });

    it("reverts up to due date plus the grace period, with the boundary and the chain time", async function () {
      await time.setNextBlockTimestamp(dueDate);
      await expect(sb.ledger.connect(sb.operator).markOverdue(id))
        .to.be.revertedWithCustomError(sb.ledger, "NotYetOverdue")
        .withArgs(id, at, dueDate);
      await time.setNextBlockTimestamp(at);
      await expect(sb.ledger.connect(sb.operator).markOverdue(id))
        .to.be.revertedWithCustomError(sb.ledger, "NotYetOverdue")
        .withArgs(id, at, at);
    });

    it("marks the receivable overdue one second after the boundary, with the outstanding", async function () {
      await time.setNextBlockTimestamp(at + 1n);
      await expect(sb.ledger.connect(sb.operator).markOverdue(id))
        .to.emit(sb.ledger, "ReceivableOverdue")
        .withArgs(id, FACE, dueDate);
      expect((await sb.ledger.invoice(id)).status).to.equal(InvoiceStatus.Overdue);
      await expect(sb.ledger.connect(sb.regulator).markOverdue(id))
        .to.be.revertedWithCustomError(sb.ledger, "InvoiceStatusMismatch")
        .withArgs(id, InvoiceStatus.Overdue, InvoiceStatus.Confirmed);
    });

    it("reports what is left after a partial payment", async function () {
      await sb.ledger.connect(buyer).pay(id, 12_345n);
      await time.setNextBlockTimestamp(at + 1n);
      await expect(sb.ledger.connect(sb.regulator).markOverdue(id))
        .to.emit(sb.ledger, "ReceivableOverdue")
        .withArgs(id, FACE - 12_345n, dueDate);
    });

    it("uses the due date itself when there is no grace period", async function () {
      await setLimit(sb, Limit.GracePeriodDays, 0);
      await time.setNextBlockTimestamp(dueDate);
      await expect(sb.ledger.connect(sb.operator).markOverdue(id))
        .to.be.revertedWithCustomError(sb.ledger, "NotYetOverdue")
        .withArgs(id, dueDate, dueDate);
      await time.setNextBlockTimestamp(dueDate + 1n);
      await expect(sb.ledger.connect(sb.operator).markOverdue(id))
        .to.emit(sb.ledger, "ReceivableOverdue")
        .withArgs(id, FACE, dueDate);
    });

    it("is only for the operator or a regulator", async function () {
      await time.increaseTo(at + 1n);
      for (const caller of [seller, buyer, bank]) {
        const role =
          caller === seller ? Role.Supplier : caller === buyer ? Role.CoreEnterprise : Role.Bank;
        await expect(sb.ledger.connect(caller).markOverdue(id))
          .to.be.revertedWithCustomError(sb.ledger, "ParticipantRoleMismatch")
          .withArgs(caller.address, Role.Operator, role);
      }
      await expect(sb.ledger.connect(sb.outsider).markOverdue(id))
        .to.be.revertedWithCustomError(sb.ledger, "ParticipantNotAdmitted")
        .withArgs(sb.outsider.address);
      await expect(sb.ledger.connect(sb.regulator).markOverdue(id)).to.emit(
        sb.ledger,
        "ReceivableOverdue",
      );
    });

    it("needs a confirmed receivable", async function () {
      const other = await submitted(seller, buyer, "SUBMITTED-ONLY");
      await time.increaseTo(other.dueDate + GRACE * DAY + 1n);
      await expect(sb.ledger.connect(sb.operator).markOverdue(other.id))
        .to.be.revertedWithCustomError(sb.ledger, "InvoiceStatusMismatch")
        .withArgs(other.id, InvoiceStatus.Submitted, InvoiceStatus.Confirmed);
      await expect(sb.ledger.connect(sb.operator).markOverdue(UNKNOWN_ID))
        .to.be.revertedWithCustomError(sb.ledger, "InvoiceNotFound")
        .withArgs(UNKNOWN_ID);
    });

    it("cannot mark a settled receivable", async function () {
      await sb.ledger.connect(buyer).pay(id, FACE);
      await time.increaseTo(at + 1n);
      await expect(sb.ledger.connect(sb.operator).markOverdue(id))
        .to.be.revertedWithCustomError(sb.ledger, "InvoiceStatusMismatch")
        .withArgs(id, InvoiceStatus.Settled, InvoiceStatus.Confirmed);
    });
  });

  describe("markDefaulted", function () {
    const THRESHOLD = 30n;
    let id: string;
    let dueDate: bigint;
    let at: bigint;

    beforeEach(async function () {
      await setLimit(sb, Limit.DefaultThresholdDays, THRESHOLD);
      ({ id, dueDate } = await confirmedOne());
      at = dueDate + THRESHOLD * DAY;
    });

    it("reverts up to due date plus the default threshold, with the boundary and the chain time", async function () {
      await time.setNextBlockTimestamp(dueDate + DAY);
      await expect(sb.ledger.connect(sb.regulator).markDefaulted(id))
        .to.be.revertedWithCustomError(sb.ledger, "NotYetDefaulted")
        .withArgs(id, at, dueDate + DAY);
      await time.setNextBlockTimestamp(at);
      await expect(sb.ledger.connect(sb.regulator).markDefaulted(id))
        .to.be.revertedWithCustomError(sb.ledger, "NotYetDefaulted")
        .withArgs(id, at, at);
    });

    it("marks a confirmed receivable defaulted one second after the boundary", async function () {
      await time.setNextBlockTimestamp(at + 1n);
      await expect(sb.ledger.connect(sb.regulator).markDefaulted(id))
        .to.emit(sb.ledger, "ReceivableDefaulted")
        .withArgs(id, FACE, dueDate);
      expect((await sb.ledger.invoice(id)).status).to.equal(InvoiceStatus.Defaulted);
      expect(await sb.ledger.standing(id)).to.equal(InvoiceStatus.Defaulted);
      await expect(sb.ledger.connect(sb.operator).markDefaulted(id))
        .to.be.revertedWithCustomError(sb.ledger, "InvoiceStatusMismatch")
        .withArgs(id, InvoiceStatus.Defaulted, InvoiceStatus.Confirmed);
      await expect(sb.ledger.connect(sb.operator).markOverdue(id))
        .to.be.revertedWithCustomError(sb.ledger, "InvoiceStatusMismatch")
        .withArgs(id, InvoiceStatus.Defaulted, InvoiceStatus.Confirmed);
    });

    it("marks an overdue receivable defaulted, with what is left after partial payments", async function () {
      await time.increaseTo(dueDate + 1n);
      await sb.ledger.connect(sb.operator).markOverdue(id);
      await sb.ledger.connect(buyer).pay(id, 1n);
      await time.setNextBlockTimestamp(at);
      await expect(sb.ledger.connect(sb.operator).markDefaulted(id))
        .to.be.revertedWithCustomError(sb.ledger, "NotYetDefaulted")
        .withArgs(id, at, at);
      await time.setNextBlockTimestamp(at + 1n);
      await expect(sb.ledger.connect(sb.operator).markDefaulted(id))
        .to.emit(sb.ledger, "ReceivableDefaulted")
        .withArgs(id, FACE - 1n, dueDate);
      expect((await sb.ledger.invoice(id)).status).to.equal(InvoiceStatus.Defaulted);
    });

    it("is only for the operator or a regulator", async function () {
      await time.increaseTo(at + 1n);
      await expect(sb.ledger.connect(bank).markDefaulted(id))
        .to.be.revertedWithCustomError(sb.ledger, "ParticipantRoleMismatch")
        .withArgs(bank.address, Role.Operator, Role.Bank);
      await expect(sb.ledger.connect(seller).markDefaulted(id))
        .to.be.revertedWithCustomError(sb.ledger, "ParticipantRoleMismatch")
        .withArgs(seller.address, Role.Operator, Role.Supplier);
      await expect(sb.ledger.connect(sb.outsider).markDefaulted(id))
        .to.be.revertedWithCustomError(sb.ledger, "ParticipantNotAdmitted")
        .withArgs(sb.outsider.address);
    });

    it("needs a confirmed or overdue receivable", async function () {
      const disputed = await submitted(seller, buyer, "DISPUTED");
      await sb.ledger.connect(buyer).disputeInvoice(disputed.id, "not ours");
      await sb.ledger.connect(buyer).pay(id, FACE);
      await time.increaseTo(disputed.dueDate + THRESHOLD * DAY + 1n);
      await expect(sb.ledger.connect(sb.operator).markDefaulted(disputed.id))
        .to.be.revertedWithCustomError(sb.ledger, "InvoiceStatusMismatch")
        .withArgs(disputed.id, InvoiceStatus.Disputed, InvoiceStatus.Confirmed);
      await expect(sb.ledger.connect(sb.operator).markDefaulted(id))
        .to.be.revertedWithCustomError(sb.ledger, "InvoiceStatusMismatch")
        .withArgs(id, InvoiceStatus.Settled, InvoiceStatus.Confirmed);
      await expect(sb.ledger.connect(sb.operator).markDefaulted(UNKNOWN_ID))
        .to.be.revertedWithCustomError(sb.ledger, "InvoiceNotFound")
        .withArgs(UNKNOWN_ID);
    });
  });

  describe("standing", function () {
    it("derives overdue and default from the chain time before they are marked", async function () {
      await setLimit(sb, Limit.GracePeriodDays, 5);
      await setLimit(sb, Limit.DefaultThresholdDays, 20);
      const { id, dueDate } = await confirmedOne();
      const steps: [bigint, number][] = [
        [dueDate - 1n, InvoiceStatus.Confirmed],
        [dueDate, InvoiceStatus.Confirmed],
        [dueDate + 5n * DAY, InvoiceStatus.Confirmed],
        [dueDate + 5n * DAY + 1n, InvoiceStatus.Overdue],
        [dueDate + 20n * DAY, InvoiceStatus.Overdue],
        [dueDate + 20n * DAY + 1n, InvoiceStatus.Defaulted],
      ];
      for (const [t, expected] of steps) {
        await time.increaseTo(t);
        expect(await sb.ledger.standing(id), `at due ${t - dueDate}s`).to.equal(expected);
        // The stored status is still Confirmed: nothing was marked.
        expect((await sb.ledger.invoice(id)).status).to.equal(InvoiceStatus.Confirmed);
      }
    });

    it("derives default for a receivable marked overdue", async function () {
      await setLimit(sb, Limit.DefaultThresholdDays, 20);
      const { id, dueDate } = await confirmedOne();
      await time.increaseTo(dueDate + 1n);
      await sb.ledger.connect(sb.operator).markOverdue(id);
      expect(await sb.ledger.standing(id)).to.equal(InvoiceStatus.Overdue);
      await time.increaseTo(dueDate + 20n * DAY + 1n);
      expect(await sb.ledger.standing(id)).to.equal(InvoiceStatus.Defaulted);
      expect((await sb.ledger.invoice(id)).status).to.equal(InvoiceStatus.Overdue);
    });

    it("keeps submitted, disputed and settled invoices as they are, whatever the time", async function () {
      const sub = await submitted(seller, buyer, "S1");
      const dis = await submitted(seller, buyer, "D1");
      await sb.ledger.connect(buyer).disputeInvoice(dis.id, "wrong amount");
      const set = await submitted(seller, buyer, "P1");
      await sb.ledger.connect(buyer).confirmInvoice(set.id);
      await sb.ledger.connect(buyer).pay(set.id, FACE);
      await time.increaseTo(sub.dueDate + 1000n * DAY);
      expect(await sb.ledger.standing(sub.id)).to.equal(InvoiceStatus.Submitted);
      expect(await sb.ledger.standing(dis.id)).to.equal(InvoiceStatus.Disputed);
      expect(await sb.ledger.standing(set.id)).to.equal(InvoiceStatus.Settled);
    });
  });

  describe("freezeReceivable and unfreezeReceivable", function () {
    it("freezes and unfreezes with events naming the regulator and the reason", async function () {
      const { id } = await confirmedOne();
      await expect(sb.ledger.connect(sb.regulator).freezeReceivable(id, "court order"))
        .to.emit(sb.ledger, "ReceivableFrozen")
        .withArgs(id, sb.regulator.address, "court order");
      expect((await sb.ledger.invoice(id)).frozen).to.equal(true);
      await expect(sb.ledger.connect(sb.regulator).freezeReceivable(id, "again"))
        .to.be.revertedWithCustomError(sb.ledger, "ReceivableFreezeUnchanged")
        .withArgs(id, true);

      await expect(sb.ledger.connect(sb.regulator).unfreezeReceivable(id, "order lifted"))
        .to.emit(sb.ledger, "ReceivableUnfrozen")
        .withArgs(id, sb.regulator.address, "order lifted");
      expect((await sb.ledger.invoice(id)).frozen).to.equal(false);
      await expect(sb.ledger.connect(sb.regulator).unfreezeReceivable(id, "again"))
        .to.be.revertedWithCustomError(sb.ledger, "ReceivableFreezeUnchanged")
        .withArgs(id, false);
    });

    it("stops the pieces from moving and the buyer from paying while frozen", async function () {
      const { id } = await confirmedOne();
      await sb.ledger.connect(sb.regulator).freezeReceivable(id, "investigation");
      await expect(sb.ledger.connect(seller).transferPiece(id, 0, otherSeller.address, 1n))
        .to.be.revertedWithCustomError(sb.ledger, "ReceivableIsFrozen")
        .withArgs(id);
      await expect(sb.ledger.connect(seller).requestFinancing(id, 0, bank.address, false, ANY_RATE))
        .to.be.revertedWithCustomError(sb.ledger, "ReceivableIsFrozen")
        .withArgs(id);
      await expect(sb.ledger.connect(buyer).pay(id, 1n))
        .to.be.revertedWithCustomError(sb.ledger, "ReceivableIsFrozen")
        .withArgs(id);
      await sb.ledger.connect(sb.regulator).unfreezeReceivable(id, "cleared");
      await expect(sb.ledger.connect(seller).transferPiece(id, 0, otherSeller.address, 1n)).to.emit(
        sb.ledger,
        "PieceTransferred",
      );
    });

    it("is only for a regulator", async function () {
      const { id } = await submitted();
      await expect(sb.ledger.connect(sb.operator).freezeReceivable(id, "r"))
        .to.be.revertedWithCustomError(sb.ledger, "ParticipantRoleMismatch")
        .withArgs(sb.operator.address, Role.Regulator, Role.Operator);
      await expect(sb.ledger.connect(buyer).freezeReceivable(id, "r"))
        .to.be.revertedWithCustomError(sb.ledger, "ParticipantRoleMismatch")
        .withArgs(buyer.address, Role.Regulator, Role.CoreEnterprise);
      await expect(sb.ledger.connect(sb.outsider).freezeReceivable(id, "r"))
        .to.be.revertedWithCustomError(sb.ledger, "ParticipantNotAdmitted")
        .withArgs(sb.outsider.address);
      await sb.ledger.connect(sb.regulator).freezeReceivable(id, "r");
      await expect(sb.ledger.connect(seller).unfreezeReceivable(id, "r"))
        .to.be.revertedWithCustomError(sb.ledger, "ParticipantRoleMismatch")
        .withArgs(seller.address, Role.Regulator, Role.Supplier);
    });

    it("requires a reason and an existing invoice", async function () {
      const { id } = await submitted();
      await expect(
        sb.ledger.connect(sb.regulator).freezeReceivable(id, ""),
      ).to.be.revertedWithCustomError(sb.ledger, "ReasonRequired");
      await expect(sb.ledger.connect(sb.regulator).freezeReceivable(UNKNOWN_ID, "r"))
        .to.be.revertedWithCustomError(sb.ledger, "InvoiceNotFound")
        .withArgs(UNKNOWN_ID);
      await sb.ledger.connect(sb.regulator).freezeReceivable(id, "r");
      await expect(
        sb.ledger.connect(sb.regulator).unfreezeReceivable(id, ""),
      ).to.be.revertedWithCustomError(sb.ledger, "ReasonRequired");
    });
  });

  describe("views", function () {
    it("reverts for an unknown invoice or piece", async function () {
      await expect(sb.ledger.invoice(UNKNOWN_ID))
        .to.be.revertedWithCustomError(sb.ledger, "InvoiceNotFound")
        .withArgs(UNKNOWN_ID);
      await expect(sb.ledger.standing(UNKNOWN_ID))
        .to.be.revertedWithCustomError(sb.ledger, "InvoiceNotFound")
        .withArgs(UNKNOWN_ID);
      await expect(sb.ledger.pieces(UNKNOWN_ID))
        .to.be.revertedWithCustomError(sb.ledger, "InvoiceNotFound")
        .withArgs(UNKNOWN_ID);
      await expect(sb.ledger.piece(UNKNOWN_ID, 0))
        .to.be.revertedWithCustomError(sb.ledger, "InvoiceNotFound")
        .withArgs(UNKNOWN_ID);

      const { id } = await confirmedOne();
      await expect(sb.ledger.piece(id, 1))
        .to.be.revertedWithCustomError(sb.ledger, "PieceNotFound")
        .withArgs(id, 1);
    });

    it("names the controller and the settlement token", async function () {
      expect(await sb.ledger.controller()).to.equal(await sb.controller.getAddress());
      expect(await sb.ledger.settlementToken()).to.equal(await sb.token.getAddress());
    });
  });
});
