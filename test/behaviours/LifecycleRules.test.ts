/**
 * The sandbox rules (DESIGN.md section 4) over every lifecycle action of the ledger (section 3):
 * the same behaviours run for each action, chosen by what the action is (issuance, settlement or
 * housekeeping). Rules about the counterparty of an action, and the receivable freeze itself, follow.
 */
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import { expect } from "chai";
import { network } from "hardhat";

import type { Sandbox } from "../helpers/fixtures.js";
import { confirmed, DAY, deploySandbox, NO_EXPIRY, Role, submit } from "../helpers/fixtures.js";
import { nextInvoiceNumber, REASON, requestFinancing } from "../sandbox/helpers.js";
import { FACE, LIFECYCLE_ACTIONS } from "./LifecycleActions.js";
import { shouldBeRegulatorOnly } from "./RegulatorOnly.behaviour.js";
import { type RuleContext, shouldFollowSandboxRules } from "./SandboxRules.behaviour.js";
import { ANY_RATE, approveReviewed } from "../helpers/fixtures.js";

const connection = await network.create();
const { ethers, networkHelpers } = connection;
const fixture = () => deploySandbox(connection);

describe("Sandbox rules over the receivable lifecycle", function () {
  for (const action of LIFECYCLE_ACTIONS) {
    describe(action.name, function () {
      // One snapshot per action, taken in the state just before the action.
      async function preparedAction(): Promise<RuleContext> {
        const sb = await deploySandbox(connection);
        const prepared = await action.prepare(sb, networkHelpers);
        return { ...prepared, sb, ethers, helpers: networkHelpers };
      }
      let ctx: RuleContext;
      beforeEach(async function () {
        ctx = await networkHelpers.loadFixture(preparedAction);
      });

      it(`succeeds in the prepared state (emits ${action.event})`, async function () {
        await expect(ctx.send()).to.emit(ctx.sb.ledger, action.event);
      });

      shouldFollowSandboxRules(action, () => ctx);
    });
  }

  describe("counterparties", function () {
    let sb: Sandbox;
    beforeEach(async function () {
      sb = await networkHelpers.loadFixture(fixture);
    });

    it("an invoice cannot be submitted on a frozen, removed or non-core-enterprise buyer", async function () {
      const [s1, s2] = sb.suppliers;
      const [c1] = sb.buyers;
      const now = BigInt(await networkHelpers.time.latest());
      const submitOn = (buyer: HardhatEthersSigner) =>
        sb.ledger
          .connect(s1)
          .submitInvoice(
            buyer.address,
            nextInvoiceNumber("CP"),
            FACE,
            now - DAY,
            now + 30n * DAY,
            "0x" + "cd".repeat(32),
          );
      await expect(submitOn(s2))
        .to.be.revertedWithCustomError(sb.ledger, "ParticipantRoleMismatch")
        .withArgs(s2.address, Role.CoreEnterprise, Role.Supplier);
      await sb.controller.connect(sb.regulator).freeze(c1.address, REASON);
      await expect(submitOn(c1))
        .to.be.revertedWithCustomError(sb.ledger, "ParticipantIsFrozen")
        .withArgs(c1.address);
      await sb.controller.connect(sb.regulator).remove(c1.address, REASON);
      await expect(submitOn(c1))
        .to.be.revertedWithCustomError(sb.ledger, "ParticipantNotAdmitted")
        .withArgs(c1.address);
    });

    it("a piece cannot go to a frozen, removed or non-supplier recipient", async function () {
      const [s1, s2] = sb.suppliers;
      const id = await confirmed(sb, s1, sb.buyers[0], { amount: FACE });
      await expect(sb.ledger.connect(s1).transferPiece(id, 0, sb.banks[0].address, FACE))
        .to.be.revertedWithCustomError(sb.ledger, "ParticipantRoleMismatch")
        .withArgs(sb.banks[0].address, Role.Supplier, Role.Bank);
      await expect(sb.ledger.connect(s1).transferPiece(id, 0, sb.outsider.address, FACE))
        .to.be.revertedWithCustomError(sb.ledger, "ParticipantNotAdmitted")
        .withArgs(sb.outsider.address);
      await sb.controller.connect(sb.regulator).freeze(s2.address, REASON);
      await expect(sb.ledger.connect(s1).transferPiece(id, 0, s2.address, FACE / 2n))
        .to.be.revertedWithCustomError(sb.ledger, "ParticipantIsFrozen")
        .withArgs(s2.address);
    });

    it("financing cannot be asked of a frozen bank or of a non-bank", async function () {
      const [s1] = sb.suppliers;
      const id = await confirmed(sb, s1, sb.buyers[0], { amount: FACE });
      await expect(sb.ledger.connect(s1).requestFinancing(id, 0, sb.buyers[1].address, false, ANY_RATE))
        .to.be.revertedWithCustomError(sb.ledger, "ParticipantRoleMismatch")
        .withArgs(sb.buyers[1].address, Role.Bank, Role.CoreEnterprise);
      await sb.controller.connect(sb.regulator).freeze(sb.banks[0].address, REASON);
      await expect(sb.ledger.connect(s1).requestFinancing(id, 0, sb.banks[0].address, false, ANY_RATE))
        .to.be.revertedWithCustomError(sb.ledger, "ParticipantIsFrozen")
        .withArgs(sb.banks[0].address);
    });

    it("a bank cannot finance a holder that was frozen or removed after its request", async function () {
      const [s1] = sb.suppliers;
      const [b1] = sb.banks;
      const id = await confirmed(sb, s1, sb.buyers[0], { amount: FACE });
      await requestFinancing(sb, s1, id, 0, b1);
      await sb.controller.connect(sb.regulator).freeze(s1.address, REASON);
      await expect(approveReviewed(sb.ledger, b1, id, 0, 0n))
        .to.be.revertedWithCustomError(sb.ledger, "ParticipantIsFrozen")
        .withArgs(s1.address);
      await sb.controller.connect(sb.regulator).remove(s1.address, REASON);
      await expect(approveReviewed(sb.ledger, b1, id, 0, 0n))
        .to.be.revertedWithCustomError(sb.ledger, "ParticipantNotAdmitted")
        .withArgs(s1.address);
    });

    // ISandboxController.freeze: a frozen account "cannot act, receive pieces or be financed until
    // unfrozen". Confirmation issues piece 0 to the seller, so a frozen seller must not receive it.
    it("an invoice of a frozen seller cannot be confirmed: a frozen participant receives no piece", async function () {
      const [s1] = sb.suppliers;
      const [c1] = sb.buyers;
      const id = await submit(sb, s1, c1, { amount: FACE });
      await sb.controller.connect(sb.regulator).freeze(s1.address, REASON);
      await expect(sb.ledger.connect(c1).confirmInvoice(id))
        .to.be.revertedWithCustomError(sb.ledger, "ParticipantIsFrozen")
        .withArgs(s1.address);
    });

    it("the regulator may mark a receivable overdue as well as the operator", async function () {
      const id = await confirmed(sb, sb.suppliers[0], sb.buyers[0], { amount: FACE, dueIn: DAY });
      await networkHelpers.time.increase(2n * DAY);
      await expect(sb.ledger.connect(sb.regulator).markOverdue(id)).to.emit(
        sb.ledger,
        "ReceivableOverdue",
      );
    });
  });

  describe("freezeReceivable and unfreezeReceivable", function () {
    let sb: Sandbox;
    let id: string;
    let spare: HardhatEthersSigner[];
    const env = () => ({ sb, ethers, helpers: networkHelpers, spare });

    before(async function () {
      spare = (await ethers.getSigners()).slice(11);
    });

    beforeEach(async function () {
      sb = await networkHelpers.loadFixture(fixture);
      id = await confirmed(sb, sb.suppliers[0], sb.buyers[0], { amount: FACE });
    });

    it("freezes and unfreezes a receivable: events and invoice().frozen", async function () {
      await expect(sb.ledger.connect(sb.regulator).freezeReceivable(id, REASON))
        .to.emit(sb.ledger, "ReceivableFrozen")
        .withArgs(id, sb.regulator.address, REASON);
      expect((await sb.ledger.invoice(id)).frozen).to.equal(true);
      await expect(sb.ledger.connect(sb.regulator).unfreezeReceivable(id, "cleared"))
        .to.emit(sb.ledger, "ReceivableUnfrozen")
        .withArgs(id, sb.regulator.address, "cleared");
      expect((await sb.ledger.invoice(id)).frozen).to.equal(false);
    });

    it("rejects a freeze state that does not change", async function () {
      await expect(sb.ledger.connect(sb.regulator).unfreezeReceivable(id, REASON))
        .to.be.revertedWithCustomError(sb.ledger, "ReceivableFreezeUnchanged")
        .withArgs(id, false);
      await sb.ledger.connect(sb.regulator).freezeReceivable(id, REASON);
      await expect(sb.ledger.connect(sb.regulator).freezeReceivable(id, REASON))
        .to.be.revertedWithCustomError(sb.ledger, "ReceivableFreezeUnchanged")
        .withArgs(id, true);
    });

    it("works while the sandbox is paused (the regulator supervises regardless)", async function () {
      await sb.controller.connect(sb.regulator).pause(REASON);
      await expect(sb.ledger.connect(sb.regulator).freezeReceivable(id, REASON)).to.emit(
        sb.ledger,
        "ReceivableFrozen",
      );
    });

    it("a frozen submitted invoice cannot be confirmed", async function () {
      const submitted = await submit(sb, sb.suppliers[1], sb.buyers[0], { amount: FACE });
      await sb.ledger.connect(sb.regulator).freezeReceivable(submitted, REASON);
      await expect(sb.ledger.connect(sb.buyers[0]).confirmInvoice(submitted))
        .to.be.revertedWithCustomError(sb.ledger, "ReceivableIsFrozen")
        .withArgs(submitted);
    });

    describe("freezeReceivable", function () {
      shouldBeRegulatorOnly(env, (s, caller, reason) =>
        s.ledger.connect(caller).freezeReceivable(id, reason),
      );
    });

    describe("unfreezeReceivable", function () {
      beforeEach(async function () {
        await sb.ledger.connect(sb.regulator).freezeReceivable(id, REASON);
      });
      shouldBeRegulatorOnly(env, (s, caller, reason) =>
        s.ledger.connect(caller).unfreezeReceivable(id, reason),
      );
    });
  });

  it("an admission renewed after it expired lets the participant act again", async function () {
    const sb = await networkHelpers.loadFixture(fixture);
    const [s1] = sb.suppliers;
    const until = BigInt(await networkHelpers.time.latest()) + 60n;
    await sb.controller.connect(sb.regulator).renewAdmission(s1.address, until, REASON);
    await networkHelpers.time.increaseTo(until + 1n);
    await expect(submit(sb, s1, sb.buyers[0])).to.be.revertedWithCustomError(
      sb.ledger,
      "ParticipantAdmissionExpired",
    );
    await sb.controller.connect(sb.regulator).renewAdmission(s1.address, NO_EXPIRY, REASON);
    await submit(sb, s1, sb.buyers[0]);
  });
});
