/**
 * Finding 9 of the audit (issue 13): behaviours the review asked to decide and document. Each
 * decision is written in the README's contract section and in the NatSpec; these tests hold it.
 */
import { expect } from "chai";
import { network } from "hardhat";

import {
  ANY_RATE,
  approveReviewed,
  confirmed,
  DAY,
  deploySandbox,
  Limit,
  Role,
  type Sandbox,
  setLimit,
  submit,
  YUAN,
} from "../helpers/fixtures.js";

const connection = await network.create();
const { ethers, networkHelpers } = connection;
const { time } = networkHelpers;
const fixture = () => deploySandbox(connection);

const REASON = "decision";
const FACE = 1_000n * YUAN;

describe("Decisions (audit finding 9)", function () {
  let sb: Sandbox;

  beforeEach(async function () {
    sb = await networkHelpers.loadFixture(fixture);
  });

  describe("a frozen receivable: nothing moves value, but a party may still withdraw", function () {
    it("the buyer cannot confirm it, but may dispute it", async function () {
      const [s1] = sb.suppliers;
      const [c1] = sb.buyers;
      const id = await submit(sb, s1, c1, { amount: FACE });
      await sb.ledger.connect(sb.regulator).freezeReceivable(id, REASON);
      await expect(sb.ledger.connect(c1).confirmInvoice(id))
        .to.be.revertedWithCustomError(sb.ledger, "ReceivableIsFrozen")
        .withArgs(id);
      await expect(sb.ledger.connect(c1).disputeInvoice(id, "goods not received")).to.emit(
        sb.ledger,
        "InvoiceDisputed",
      );
    });

    it("pieces neither move nor get financed nor paid, but a pending request may be cancelled or rejected", async function () {
      const [s1, s2] = sb.suppliers;
      const [c1] = sb.buyers;
      const [b1] = sb.banks;
      const id = await confirmed(sb, s1, c1, { amount: FACE });
      await sb.ledger.connect(s1).transferPiece(id, 0, s2.address, FACE / 2n);
      await sb.ledger.connect(s1).requestFinancing(id, 0, b1.address, false, ANY_RATE);
      await sb.ledger.connect(s2).requestFinancing(id, 1, b1.address, false, ANY_RATE);
      await sb.ledger.connect(sb.regulator).freezeReceivable(id, REASON);

      await expect(approveReviewed(sb.ledger, b1, id, 0, 0n))
        .to.be.revertedWithCustomError(sb.ledger, "ReceivableIsFrozen")
        .withArgs(id);
      await expect(sb.ledger.connect(c1).pay(id, 1n))
        .to.be.revertedWithCustomError(sb.ledger, "ReceivableIsFrozen")
        .withArgs(id);
      await expect(sb.ledger.connect(s1).cancelFinancing(id, 0)).to.emit(sb.ledger, "FinancingCancelled");
      await expect(sb.ledger.connect(b1).rejectFinancing(id, 1, "frozen")).to.emit(sb.ledger, "FinancingRejected");
      await expect(sb.ledger.connect(s1).transferPiece(id, 0, s2.address, 1n))
        .to.be.revertedWithCustomError(sb.ledger, "ReceivableIsFrozen")
        .withArgs(id);
      await expect(sb.ledger.connect(s2).requestFinancing(id, 1, b1.address, false, ANY_RATE))
        .to.be.revertedWithCustomError(sb.ledger, "ReceivableIsFrozen")
        .withArgs(id);
    });
  });

  it("passing a piece back and forth uses up the tier depth: the tier counts hand-overs", async function () {
    const [s1, s2] = sb.suppliers;
    const [c1] = sb.buyers;
    await setLimit(sb, Limit.MaxTierDepth, 3);
    const id = await confirmed(sb, s1, c1, { amount: FACE });
    await sb.ledger.connect(s1).transferPiece(id, 0, s2.address, FACE); // tier 2
    await sb.ledger.connect(s2).transferPiece(id, 0, s1.address, FACE); // tier 3
    await expect(sb.ledger.connect(s1).transferPiece(id, 0, s2.address, FACE))
      .to.be.revertedWithCustomError(sb.ledger, "TierDepthExceeded")
      .withArgs(3n, 4n);
  });

  it("a no-recourse financing of a defaulted receivable keeps the supplier's cap used until the buyer pays", async function () {
    const [s1] = sb.suppliers;
    const [c1] = sb.buyers;
    const [b1] = sb.banks;
    await setLimit(sb, Limit.SupplierFinancingCap, FACE);
    const id = await confirmed(sb, s1, c1, { amount: FACE, dueIn: 10n * DAY });
    await sb.ledger.connect(s1).requestFinancing(id, 0, b1.address, false, ANY_RATE);
    await approveReviewed(sb.ledger, b1, id, 0, 0n);
    await time.increase(101n * DAY);
    await sb.ledger.connect(sb.operator).markDefaulted(id);
    // The financing stays outstanding on the record: the cap measures what is financed against
    // the supplier's receivables and not yet paid, whoever bears the loss.
    expect((await sb.controller.participant(s1.address)).outstanding).to.equal(FACE);
    const next = await confirmed(sb, s1, c1, { amount: FACE, dueIn: 10n * DAY });
    await expect(sb.ledger.connect(s1).requestFinancing(next, 0, b1.address, false, ANY_RATE))
      .to.be.revertedWithCustomError(sb.ledger, "SupplierFinancingCapExceeded")
      .withArgs(s1.address, FACE, FACE, FACE);
    await sb.ledger.connect(c1).pay(id, FACE);
    expect((await sb.controller.participant(s1.address)).outstanding).to.equal(0n);
  });

  it("a new grace period or default threshold applies to receivables already confirmed", async function () {
    const [s1] = sb.suppliers;
    const [c1] = sb.buyers;
    const id = await confirmed(sb, s1, c1, { amount: FACE, dueIn: 10n * DAY });
    const due = (await sb.ledger.invoice(id)).dueDate;
    await time.increaseTo(due + 31n * DAY);
    await expect(sb.ledger.connect(sb.operator).markDefaulted(id)).to.be.revertedWithCustomError(
      sb.ledger,
      "NotYetDefaulted",
    );
    await setLimit(sb, Limit.DefaultThresholdDays, 30);
    await expect(sb.ledger.connect(sb.operator).markDefaulted(id)).to.emit(sb.ledger, "ReceivableDefaulted");
  });

  it("MaxParticipants counts an expired participant until the regulator removes it", async function () {
    const [extra, next] = (await ethers.getSigners()).slice(11);
    const count = (await sb.controller.policy()).admittedCount;
    const until = BigInt(await time.latest()) + DAY;
    await sb.controller.connect(sb.regulator).admit(extra.address, Role.Supplier, until);
    await setLimit(sb, Limit.MaxParticipants, count + 1n);
    await time.increaseTo(until + 1n);
    await expect(sb.controller.connect(sb.regulator).admit(next.address, Role.Supplier, until + DAY))
      .to.be.revertedWithCustomError(sb.controller, "ParticipantCapReached")
      .withArgs(count + 1n, count + 1n);
    await sb.controller.connect(sb.regulator).remove(extra.address, REASON);
    await expect(sb.controller.connect(sb.regulator).admit(next.address, Role.Supplier, until + DAY)).to.emit(
      sb.controller,
      "ParticipantAdmitted",
    );
  });
});
