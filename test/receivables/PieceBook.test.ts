import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import { expect } from "chai";
import { network } from "hardhat";

import {
  DAY,
  InvoiceStatus,
  PieceStatus,
  Role,
  deploySandbox,
  submit,
  type Sandbox,
} from "../helpers/fixtures.js";
import {
  MAX_PIECES,
  confirmedInvoice,
  finance,
  pieceValue,
  piecesTotal,
  readPiece,
  readPieces,
} from "./helpers.js";
import { ANY_RATE } from "../helpers/fixtures.js";

const connection = await network.create();
const { ethers, networkHelpers } = connection;
const { time } = networkHelpers;
const fixture = () => deploySandbox(connection);

const FACE = 100_000n; // 1,000 yuan in fen
const UNKNOWN_ID = ethers.id("no such invoice");

describe("PieceBook", function () {
  let sb: Sandbox;
  let s1: HardhatEthersSigner;
  let s2: HardhatEthersSigner;
  let s3: HardhatEthersSigner;
  let s4: HardhatEthersSigner;
  let buyer: HardhatEthersSigner;
  let bank: HardhatEthersSigner;
  let id: string;
  let dueDate: bigint;

  beforeEach(async function () {
    sb = await networkHelpers.loadFixture(fixture);
    [s1, s2, s3, s4] = sb.suppliers;
    [buyer] = sb.buyers;
    [bank] = sb.banks;
    ({ id, dueDate } = await confirmedInvoice(sb, s1, buyer, "PB-1", FACE));
  });

  function transfer(
    from: HardhatEthersSigner,
    index: number,
    to: HardhatEthersSigner,
    amount: bigint,
  ) {
    return sb.ledger.connect(from).transferPiece(id, index, to.address, amount);
  }

  it("has 64 as MAX_PIECES", async function () {
    expect(await sb.ledger.MAX_PIECES()).to.equal(MAX_PIECES);
  });

  describe("transferPiece", function () {
    describe("split", function () {
      it("creates piece pieceCount one tier deeper, with the source as parent; the remainder stays", async function () {
        expect(
          await sb.ledger.connect(s1).transferPiece.staticCall(id, 0, s2.address, 30_000n),
        ).to.equal(1n);
        await expect(transfer(s1, 0, s2, 30_000n))
          .to.emit(sb.ledger, "PieceTransferred")
          .withArgs(id, 0, 1, s1.address, s2.address, 30_000n, 2);

        expect(await readPieces(sb, id)).to.deep.equal([
          pieceValue(s1, 70_000n, 1, PieceStatus.Active, 0),
          pieceValue(s2, 30_000n, 2, PieceStatus.Active, 0),
        ]);
        expect((await sb.ledger.invoice(id)).pieceCount).to.equal(2n);
        expect(await piecesTotal(sb, id)).to.equal(FACE);
      });

      it("keeps the tier when the holder splits to itself", async function () {
        await transfer(s1, 0, s2, 40_000n);
        await expect(transfer(s2, 1, s2, 15_000n))
          .to.emit(sb.ledger, "PieceTransferred")
          .withArgs(id, 1, 2, s2.address, s2.address, 15_000n, 2);
        expect(await readPiece(sb, id, 1)).to.deep.equal(
          pieceValue(s2, 25_000n, 2, PieceStatus.Active, 0),
        );
        expect(await readPiece(sb, id, 2)).to.deep.equal(
          pieceValue(s2, 15_000n, 2, PieceStatus.Active, 1),
        );
      });
    });

    describe("whole transfer", function () {
      it("hands the same piece to the recipient, one tier deeper", async function () {
        expect(
          await sb.ledger.connect(s1).transferPiece.staticCall(id, 0, s2.address, FACE),
        ).to.equal(0n);
        await expect(transfer(s1, 0, s2, FACE))
          .to.emit(sb.ledger, "PieceTransferred")
          .withArgs(id, 0, 0, s1.address, s2.address, FACE, 2);
        expect(await readPieces(sb, id)).to.deep.equal([
          pieceValue(s2, FACE, 2, PieceStatus.Active, 0),
        ]);
        expect((await sb.ledger.invoice(id)).pieceCount).to.equal(1n);

        // The tier is depth along the chain, even when the piece comes back to the seller.
        await expect(transfer(s2, 0, s1, FACE))
          .to.emit(sb.ledger, "PieceTransferred")
          .withArgs(id, 0, 0, s2.address, s1.address, FACE, 3);
        expect(await readPiece(sb, id, 0)).to.deep.equal(
          pieceValue(s1, FACE, 3, PieceStatus.Active, 0),
        );
      });

      it("cannot transfer a whole piece to its own holder", async function () {
        await expect(transfer(s1, 0, s1, FACE))
          .to.be.revertedWithCustomError(sb.ledger, "InvalidRecipient")
          .withArgs(s1.address);
      });
    });

    it("keeps the lineage over several tiers and the pieces summing to the face amount", async function () {
      const steps: [HardhatEthersSigner, number, HardhatEthersSigner, bigint, number, number][] = [
        // from, piece, to, amount, expected new index, expected tier
        [s1, 0, s2, 40_000n, 1, 2],
        [s2, 1, s3, 10_000n, 2, 3],
        [s3, 2, s4, 10_000n, 2, 4], // whole
        [s2, 1, s2, 5_000n, 3, 2], // kept by s2
        [s1, 0, s4, 1n, 4, 2],
        [s4, 2, s1, 2_500n, 5, 5],
        [s2, 3, s3, 5_000n, 3, 3], // whole
      ];
      for (const [from, index, to, amount, newIndex, tier] of steps) {
        await expect(transfer(from, index, to, amount))
          .to.emit(sb.ledger, "PieceTransferred")
          .withArgs(id, index, newIndex, from.address, to.address, amount, tier);
        expect(await piecesTotal(sb, id)).to.equal(FACE);
      }
      expect(await readPieces(sb, id)).to.deep.equal([
        pieceValue(s1, 59_999n, 1, PieceStatus.Active, 0),
        pieceValue(s2, 25_000n, 2, PieceStatus.Active, 0),
        pieceValue(s4, 7_500n, 4, PieceStatus.Active, 1),
        pieceValue(s3, 5_000n, 3, PieceStatus.Active, 1),
        pieceValue(s4, 1n, 2, PieceStatus.Active, 0),
        pieceValue(s1, 2_500n, 5, PieceStatus.Active, 2),
      ]);
      expect((await sb.ledger.invoice(id)).pieceCount).to.equal(6n);

      // Walking up the parents from any piece reaches piece 0, the seller's root.
      const all = await readPieces(sb, id);
      expect(all[0].parent).to.equal(0n);
      const chain: bigint[] = [];
      for (let i = 5n; i !== 0n; i = all[Number(i)].parent) chain.push(i);
      expect(chain).to.deep.equal([5n, 2n, 1n]);
    });

    it("rejects 0 fen and more than the piece", async function () {
      await expect(transfer(s1, 0, s2, 0n))
        .to.be.revertedWithCustomError(sb.ledger, "InvalidTransferAmount")
        .withArgs(0, FACE);
      await expect(transfer(s1, 0, s2, FACE + 1n))
        .to.be.revertedWithCustomError(sb.ledger, "InvalidTransferAmount")
        .withArgs(FACE + 1n, FACE);
      await transfer(s1, 0, s2, 30_000n);
      await expect(transfer(s2, 1, s3, 30_001n))
        .to.be.revertedWithCustomError(sb.ledger, "InvalidTransferAmount")
        .withArgs(30_001n, 30_000n);
      await expect(transfer(s1, 0, s3, 70_001n))
        .to.be.revertedWithCustomError(sb.ledger, "InvalidTransferAmount")
        .withArgs(70_001n, 70_000n);
    });

    it("is only for the piece's holder", async function () {
      for (const caller of [s2, buyer, bank, sb.regulator, sb.outsider]) {
        await expect(sb.ledger.connect(caller).transferPiece(id, 0, caller.address, 1n))
          .to.be.revertedWithCustomError(sb.ledger, "NotPieceHolder")
          .withArgs(id, 0, s1.address, caller.address);
      }
      await transfer(s1, 0, s2, 30_000n);
      await expect(transfer(s1, 1, s3, 1n))
        .to.be.revertedWithCustomError(sb.ledger, "NotPieceHolder")
        .withArgs(id, 1, s2.address, s1.address);
    });

    it("only goes to an admitted supplier", async function () {
      await expect(transfer(s1, 0, bank, 1n))
        .to.be.revertedWithCustomError(sb.ledger, "ParticipantRoleMismatch")
        .withArgs(bank.address, Role.Supplier, Role.Bank);
      await expect(transfer(s1, 0, buyer, FACE))
        .to.be.revertedWithCustomError(sb.ledger, "ParticipantRoleMismatch")
        .withArgs(buyer.address, Role.Supplier, Role.CoreEnterprise);
      await expect(transfer(s1, 0, sb.outsider, 1n))
        .to.be.revertedWithCustomError(sb.ledger, "ParticipantNotAdmitted")
        .withArgs(sb.outsider.address);
    });

    it("reverts for an unknown invoice or piece", async function () {
      await expect(sb.ledger.connect(s1).transferPiece(UNKNOWN_ID, 0, s2.address, 1n))
        .to.be.revertedWithCustomError(sb.ledger, "InvoiceNotFound")
        .withArgs(UNKNOWN_ID);
      await expect(transfer(s1, 1, s2, 1n))
        .to.be.revertedWithCustomError(sb.ledger, "PieceNotFound")
        .withArgs(id, 1);
    });

    it("needs a confirmed receivable", async function () {
      const submitted = await submit(sb, s1, buyer, { number: "PB-SUB" });
      await expect(sb.ledger.connect(s1).transferPiece(submitted, 0, s2.address, 1n))
        .to.be.revertedWithCustomError(sb.ledger, "InvoiceStatusMismatch")
        .withArgs(submitted, InvoiceStatus.Submitted, InvoiceStatus.Confirmed);
      const disputed = await submit(sb, s1, buyer, { number: "PB-DIS" });
      await sb.ledger.connect(buyer).disputeInvoice(disputed, "not delivered");
      await expect(sb.ledger.connect(s1).transferPiece(disputed, 0, s2.address, 1n))
        .to.be.revertedWithCustomError(sb.ledger, "InvoiceStatusMismatch")
        .withArgs(disputed, InvoiceStatus.Disputed, InvoiceStatus.Confirmed);
    });

    describe("a piece that is not active", function () {
      it("cannot move while locked under a financing request", async function () {
        await transfer(s1, 0, s2, 30_000n);
        await sb.ledger.connect(s2).requestFinancing(id, 1, bank.address, false, ANY_RATE);
        await expect(transfer(s2, 1, s3, 1n))
          .to.be.revertedWithCustomError(sb.ledger, "PieceNotActive")
          .withArgs(id, 1, PieceStatus.Locked);
        await expect(transfer(s2, 1, s3, 30_000n))
          .to.be.revertedWithCustomError(sb.ledger, "PieceNotActive")
          .withArgs(id, 1, PieceStatus.Locked);
        // The other piece still moves.
        await expect(transfer(s1, 0, s3, 1n)).to.emit(sb.ledger, "PieceTransferred");
        // Once the request is cancelled the piece moves again.
        await sb.ledger.connect(s2).cancelFinancing(id, 1);
        await expect(transfer(s2, 1, s3, 1n))
          .to.emit(sb.ledger, "PieceTransferred")
          .withArgs(id, 1, 3, s2.address, s3.address, 1n, 3);
      });

      it("cannot move once financed, neither by the bank nor by its former holder", async function () {
        await finance(sb, id, 0, s1, bank, 500n);
        await expect(sb.ledger.connect(bank).transferPiece(id, 0, s2.address, 1n))
          .to.be.revertedWithCustomError(sb.ledger, "PieceNotActive")
          .withArgs(id, 0, PieceStatus.Financed);
        await expect(transfer(s1, 0, s2, 1n))
          .to.be.revertedWithCustomError(sb.ledger, "NotPieceHolder")
          .withArgs(id, 0, bank.address, s1.address);
      });
    });

    it("stops once the buyer has paid part of the invoice", async function () {
      await sb.ledger.connect(buyer).pay(id, 1n);
      await expect(transfer(s1, 0, s2, 1n))
        .to.be.revertedWithCustomError(sb.ledger, "PaymentsStarted")
        .withArgs(id, 1n);
      await expect(transfer(s1, 0, s2, FACE))
        .to.be.revertedWithCustomError(sb.ledger, "PaymentsStarted")
        .withArgs(id, 1n);
    });

    it("stops at the due date, to the second", async function () {
      await time.setNextBlockTimestamp(dueDate - 1n);
      await expect(transfer(s1, 0, s2, 1n)).to.emit(sb.ledger, "PieceTransferred");
      await time.setNextBlockTimestamp(dueDate);
      await expect(transfer(s1, 0, s2, 1n))
        .to.be.revertedWithCustomError(sb.ledger, "ReceivableMatured")
        .withArgs(id, dueDate, dueDate);
      await time.setNextBlockTimestamp(dueDate + 3n * DAY);
      await expect(transfer(s1, 0, s2, FACE - 1n))
        .to.be.revertedWithCustomError(sb.ledger, "ReceivableMatured")
        .withArgs(id, dueDate, dueDate + 3n * DAY);
    });

    it("stops splitting at MAX_PIECES pieces (the tiny pieces cut off take no split with them); whole transfers still work", async function () {
      for (let i = 1n; i < MAX_PIECES; ++i) {
        await transfer(s1, 0, s1, 1n);
      }
      const inv = await sb.ledger.invoice(id);
      expect(inv.pieceCount).to.equal(MAX_PIECES);
      expect(await piecesTotal(sb, id)).to.equal(FACE);
      expect(await readPiece(sb, id, 0)).to.deep.equal(
        pieceValue(s1, FACE - (MAX_PIECES - 1n), 1, PieceStatus.Active, 0),
      );
      expect(await readPiece(sb, id, MAX_PIECES - 1n)).to.deep.equal(
        pieceValue(s1, 1n, 1, PieceStatus.Active, 0),
      );

      await expect(transfer(s1, 0, s2, 1n))
        .to.be.revertedWithCustomError(sb.ledger, "PieceSplitsExhausted")
        .withArgs(id, 0);
      await expect(sb.ledger.piece(id, MAX_PIECES))
        .to.be.revertedWithCustomError(sb.ledger, "PieceNotFound")
        .withArgs(id, MAX_PIECES);
      await expect(transfer(s1, 63, s2, 1n))
        .to.emit(sb.ledger, "PieceTransferred")
        .withArgs(id, 63, 63, s1.address, s2.address, 1n, 2);
      expect((await sb.ledger.invoice(id)).pieceCount).to.equal(MAX_PIECES);
    });
  });

  describe("piece and pieces", function () {
    it("return nothing for a submitted invoice", async function () {
      const submitted = await submit(sb, s1, buyer, { number: "PB-VIEW" });
      expect(await sb.ledger.pieces(submitted)).to.deep.equal([]);
      await expect(sb.ledger.piece(submitted, 0))
        .to.be.revertedWithCustomError(sb.ledger, "PieceNotFound")
        .withArgs(submitted, 0);
    });
  });
});
