import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import { expect } from "chai";
import { network } from "hardhat";

import { shouldBeRegulatorOnly } from "../behaviours/RegulatorOnly.behaviour.js";
import type { Sandbox } from "../helpers/fixtures.js";
import {
  confirmed,
  deploySandbox,
  Limit,
  NO_EXPIRY,
  Role,
  setLimit,
  YUAN,
} from "../helpers/fixtures.js";
import {
  admitRegulator,
  atNextBlock,
  DEFAULT_POLICY,
  MAX_UINT32,
  participantOf,
  REASON,
} from "./helpers.js";

const connection = await network.create();
const { ethers, networkHelpers } = connection;
const fixture = () => deploySandbox(connection);

describe("ParticipantRegistry", function () {
  let sb: Sandbox;
  /** Accounts the fixture never admitted (signers 11 and up). */
  let spare: HardhatEthersSigner[];
  const env = () => ({ sb, ethers, helpers: networkHelpers, spare });

  before(async function () {
    spare = (await ethers.getSigners()).slice(11);
  });

  beforeEach(async function () {
    sb = await networkHelpers.loadFixture(fixture);
  });

  async function admittedCount(): Promise<bigint> {
    return (await sb.controller.policy()).admittedCount;
  }

  describe("constructor", function () {
    it("admits the regulator and the operator, without expiry, and counts them", async function () {
      const [deployer] = await ethers.getSigners();
      const controller = await ethers.deployContract("SandboxController", [
        sb.regulator.address,
        sb.operator.address,
      ]);
      const deployment = controller.deploymentTransaction();
      await expect(deployment)
        .to.emit(controller, "ParticipantAdmitted")
        .withArgs(sb.regulator.address, Role.Regulator, MAX_UINT32, deployer.address);
      await expect(deployment)
        .to.emit(controller, "ParticipantAdmitted")
        .withArgs(sb.operator.address, Role.Operator, MAX_UINT32, deployer.address);
      expect((await controller.policy()).admittedCount).to.equal(2n);
      expect(await controller.participant(sb.regulator.address)).to.deep.equal([
        Role.Regulator,
        false,
        MAX_UINT32,
        0n,
      ]);
      expect(await controller.participant(sb.operator.address)).to.deep.equal([
        Role.Operator,
        false,
        MAX_UINT32,
        0n,
      ]);
    });

    it("rejects one account as both regulator and operator (one role per participant)", async function () {
      const factory = await ethers.getContractFactory("SandboxController");
      await expect(
        ethers.deployContract("SandboxController", [sb.regulator.address, sb.regulator.address]),
      )
        .to.be.revertedWithCustomError(factory, "ParticipantAlreadyAdmitted")
        .withArgs(sb.regulator.address, Role.Regulator);
    });

    it("rejects a zero regulator or a zero operator", async function () {
      const factory = await ethers.getContractFactory("SandboxController");
      await expect(
        ethers.deployContract("SandboxController", [ethers.ZeroAddress, sb.operator.address]),
      )
        .to.be.revertedWithCustomError(factory, "InvalidParticipant")
        .withArgs(ethers.ZeroAddress, Role.Regulator);
      await expect(
        ethers.deployContract("SandboxController", [sb.regulator.address, ethers.ZeroAddress]),
      )
        .to.be.revertedWithCustomError(factory, "InvalidParticipant")
        .withArgs(ethers.ZeroAddress, Role.Operator);
    });

    it("the production deployment admitted signer 1 as regulator and signer 0 as operator", async function () {
      expect(await participantOf(sb, sb.regulator)).to.deep.equal({
        role: Role.Regulator,
        frozen: false,
        admittedUntil: MAX_UINT32,
        outstanding: 0n,
      });
      expect(await participantOf(sb, sb.operator)).to.deep.equal({
        role: Role.Operator,
        frozen: false,
        admittedUntil: MAX_UINT32,
        outstanding: 0n,
      });
      expect(await admittedCount()).to.equal(DEFAULT_POLICY.admittedCount);
    });
  });

  describe("participant", function () {
    it("returns an empty record (role None) for an account that was never admitted", async function () {
      expect(await participantOf(sb, sb.outsider)).to.deep.equal({
        role: Role.None,
        frozen: false,
        admittedUntil: 0n,
        outstanding: 0n,
      });
    });
  });

  describe("admit", function () {
    const roles: [string, number][] = [
      ["supplier", Role.Supplier],
      ["core enterprise", Role.CoreEnterprise],
      ["bank", Role.Bank],
      ["regulator", Role.Regulator],
      ["operator", Role.Operator],
    ];
    for (const [name, role] of roles) {
      it(`admits a ${name}: event, stored record and admitted count`, async function () {
        const account = spare[5];
        const until = BigInt(await networkHelpers.time.latest()) + 30n * 86_400n;
        const before = await admittedCount();
        await expect(sb.controller.connect(sb.regulator).admit(account.address, role, until))
          .to.emit(sb.controller, "ParticipantAdmitted")
          .withArgs(account.address, role, until, sb.regulator.address);
        expect(await participantOf(sb, account)).to.deep.equal({
          role,
          frozen: false,
          admittedUntil: until,
          outstanding: 0n,
        });
        expect(await admittedCount()).to.equal(before + 1n);
      });
    }

    it("accepts an admission that ends one second after the block", async function () {
      const now = await atNextBlock(networkHelpers);
      await expect(
        sb.controller.connect(sb.regulator).admit(spare[5].address, Role.Supplier, now + 1n),
      )
        .to.emit(sb.controller, "ParticipantAdmitted")
        .withArgs(spare[5].address, Role.Supplier, now + 1n, sb.regulator.address);
    });

    it("rejects an admission that ends at the block time or before it", async function () {
      const now = await atNextBlock(networkHelpers);
      for (const until of [now, now - 1n, 0n]) {
        await expect(
          sb.controller.connect(sb.regulator).admit(spare[5].address, Role.Supplier, until),
        )
          .to.be.revertedWithCustomError(sb.controller, "InvalidAdmissionExpiry")
          .withArgs(until, now);
      }
    });

    it("rejects the zero address", async function () {
      await expect(
        sb.controller.connect(sb.regulator).admit(ethers.ZeroAddress, Role.Supplier, NO_EXPIRY),
      )
        .to.be.revertedWithCustomError(sb.controller, "InvalidParticipant")
        .withArgs(ethers.ZeroAddress, Role.Supplier);
    });

    it("rejects role None", async function () {
      await expect(
        sb.controller.connect(sb.regulator).admit(spare[5].address, Role.None, NO_EXPIRY),
      )
        .to.be.revertedWithCustomError(sb.controller, "InvalidParticipant")
        .withArgs(spare[5].address, Role.None);
    });

    it("rejects a role outside the enum", async function () {
      await expect(
        sb.controller.connect(sb.regulator).admit(spare[5].address, 6, NO_EXPIRY),
      ).to.be.revertedWithoutReason(ethers);
    });

    it("rejects an account already admitted, with the same role or another one (one role per participant)", async function () {
      const supplier = sb.suppliers[0];
      for (const role of [Role.Supplier, Role.Bank, Role.Regulator]) {
        await expect(sb.controller.connect(sb.regulator).admit(supplier.address, role, NO_EXPIRY))
          .to.be.revertedWithCustomError(sb.controller, "ParticipantAlreadyAdmitted")
          .withArgs(supplier.address, Role.Supplier);
      }
      await expect(
        sb.controller.connect(sb.regulator).admit(sb.operator.address, Role.Bank, NO_EXPIRY),
      )
        .to.be.revertedWithCustomError(sb.controller, "ParticipantAlreadyAdmitted")
        .withArgs(sb.operator.address, Role.Operator);
      await expect(
        sb.controller.connect(sb.regulator).admit(sb.regulator.address, Role.Regulator, NO_EXPIRY),
      )
        .to.be.revertedWithCustomError(sb.controller, "ParticipantAlreadyAdmitted")
        .withArgs(sb.regulator.address, Role.Regulator);
    });

    it("rejects an account whose admission expired: it is still admitted and must be renewed", async function () {
      const until = BigInt(await networkHelpers.time.latest()) + 60n;
      await sb.controller.connect(sb.regulator).admit(spare[5].address, Role.Supplier, until);
      await networkHelpers.time.increaseTo(until + 1n);
      await expect(
        sb.controller.connect(sb.regulator).admit(spare[5].address, Role.Supplier, NO_EXPIRY),
      )
        .to.be.revertedWithCustomError(sb.controller, "ParticipantAlreadyAdmitted")
        .withArgs(spare[5].address, Role.Supplier);
    });

    describe("participant cap (Limit.MaxParticipants, regulator and operator included)", function () {
      it("admits up to the cap exactly, then rejects one more", async function () {
        const count = await admittedCount();
        await setLimit(sb, Limit.MaxParticipants, count + 1n);
        await sb.controller.connect(sb.regulator).admit(spare[5].address, Role.Supplier, NO_EXPIRY);
        expect(await admittedCount()).to.equal(count + 1n);
        await expect(
          sb.controller.connect(sb.regulator).admit(spare[6].address, Role.Supplier, NO_EXPIRY),
        )
          .to.be.revertedWithCustomError(sb.controller, "ParticipantCapReached")
          .withArgs(count + 1n, count + 1n);
      });

      it("a cap lowered below the count blocks admissions and removes no one", async function () {
        const count = await admittedCount();
        await setLimit(sb, Limit.MaxParticipants, 3n);
        expect(await admittedCount()).to.equal(count);
        expect((await participantOf(sb, sb.suppliers[3])).role).to.equal(Role.Supplier);
        await expect(
          sb.controller.connect(sb.regulator).admit(spare[5].address, Role.Supplier, NO_EXPIRY),
        )
          .to.be.revertedWithCustomError(sb.controller, "ParticipantCapReached")
          .withArgs(3n, count);
      });

      it("a cap of zero admits no one", async function () {
        await setLimit(sb, Limit.MaxParticipants, 0n);
        await expect(
          sb.controller.connect(sb.regulator).admit(spare[5].address, Role.Supplier, NO_EXPIRY),
        )
          .to.be.revertedWithCustomError(sb.controller, "ParticipantCapReached")
          .withArgs(0n, DEFAULT_POLICY.admittedCount);
      });

      it("a removal frees a seat under the cap", async function () {
        const count = await admittedCount();
        await setLimit(sb, Limit.MaxParticipants, count);
        await sb.controller.connect(sb.regulator).remove(sb.suppliers[3].address, REASON);
        await expect(
          sb.controller.connect(sb.regulator).admit(spare[5].address, Role.Supplier, NO_EXPIRY),
        ).to.emit(sb.controller, "ParticipantAdmitted");
        expect(await admittedCount()).to.equal(count);
      });
    });

    shouldBeRegulatorOnly(
      env,
      (s, caller) => s.controller.connect(caller).admit(spare[5].address, Role.Supplier, NO_EXPIRY),
      {
        takesReason: false,
      },
    );
  });

  describe("remove", function () {
    it("removes a participant: event with its former role, record cleared, count down", async function () {
      const supplier = sb.suppliers[0];
      const before = await admittedCount();
      await expect(sb.controller.connect(sb.regulator).remove(supplier.address, REASON))
        .to.emit(sb.controller, "ParticipantRemoved")
        .withArgs(supplier.address, Role.Supplier, sb.regulator.address, REASON);
      expect(await participantOf(sb, supplier)).to.deep.equal({
        role: Role.None,
        frozen: false,
        admittedUntil: 0n,
        outstanding: 0n,
      });
      expect(await admittedCount()).to.equal(before - 1n);
    });

    it("a removed participant can no longer act", async function () {
      await sb.controller.connect(sb.regulator).remove(sb.suppliers[0].address, REASON);
      await expect(sb.controller.checkActor(sb.suppliers[0].address, Role.Supplier))
        .to.be.revertedWithCustomError(sb.controller, "ParticipantNotAdmitted")
        .withArgs(sb.suppliers[0].address);
    });

    it("keeps the exposure counter of the removed participant", async function () {
      const [buyer] = sb.buyers;
      const amount = 1_234n * YUAN;
      await confirmed(sb, sb.suppliers[0], buyer, { amount });
      await sb.controller.connect(sb.regulator).remove(buyer.address, REASON);
      expect(await participantOf(sb, buyer)).to.deep.equal({
        role: Role.None,
        frozen: false,
        admittedUntil: 0n,
        outstanding: amount,
      });
    });

    it("keeps a freeze in force: a frozen buyer cannot settle by being removed", async function () {
      const [buyer] = sb.buyers;
      const id = await confirmed(sb, sb.suppliers[0], buyer, { amount: 100n * YUAN });
      await sb.controller.connect(sb.regulator).freeze(buyer.address, REASON);
      await sb.controller.connect(sb.regulator).remove(buyer.address, REASON);
      expect((await participantOf(sb, buyer)).frozen).to.equal(true);
      await expect(sb.ledger.connect(buyer).pay(id, 100n * YUAN))
        .to.be.revertedWithCustomError(sb.ledger, "ParticipantIsFrozen")
        .withArgs(buyer.address);
    });

    it("removes another regulator and the operator", async function () {
      const second = await admitRegulator(sb, spare[0]);
      await expect(sb.controller.connect(sb.regulator).remove(second.address, REASON))
        .to.emit(sb.controller, "ParticipantRemoved")
        .withArgs(second.address, Role.Regulator, sb.regulator.address, REASON);
      await expect(sb.controller.connect(sb.regulator).remove(sb.operator.address, REASON))
        .to.emit(sb.controller, "ParticipantRemoved")
        .withArgs(sb.operator.address, Role.Operator, sb.regulator.address, REASON);
    });

    it("rejects the regulator removing itself", async function () {
      await expect(sb.controller.connect(sb.regulator).remove(sb.regulator.address, REASON))
        .to.be.revertedWithCustomError(sb.controller, "RegulatorSelfAction")
        .withArgs(sb.regulator.address);
    });

    it("rejects an account that is not admitted (never, or no longer)", async function () {
      await expect(sb.controller.connect(sb.regulator).remove(sb.outsider.address, REASON))
        .to.be.revertedWithCustomError(sb.controller, "ParticipantNotAdmitted")
        .withArgs(sb.outsider.address);
      await sb.controller.connect(sb.regulator).remove(sb.suppliers[0].address, REASON);
      await expect(sb.controller.connect(sb.regulator).remove(sb.suppliers[0].address, REASON))
        .to.be.revertedWithCustomError(sb.controller, "ParticipantNotAdmitted")
        .withArgs(sb.suppliers[0].address);
    });

    shouldBeRegulatorOnly(env, (s, caller, reason) =>
      s.controller.connect(caller).remove(s.suppliers[0].address, reason),
    );

    describe("re-admission", function () {
      it("admits a removed account again, with a fresh record and the right count", async function () {
        const supplier = sb.suppliers[0];
        const before = await admittedCount();
        await sb.controller.connect(sb.regulator).remove(supplier.address, REASON);
        const until = BigInt(await networkHelpers.time.latest()) + 86_400n;
        await expect(
          sb.controller.connect(sb.regulator).admit(supplier.address, Role.Supplier, until),
        )
          .to.emit(sb.controller, "ParticipantAdmitted")
          .withArgs(supplier.address, Role.Supplier, until, sb.regulator.address);
        expect(await participantOf(sb, supplier)).to.deep.equal({
          role: Role.Supplier,
          frozen: false,
          admittedUntil: until,
          outstanding: 0n,
        });
        expect(await admittedCount()).to.equal(before);
        await expect(sb.controller.checkActor(supplier.address, Role.Supplier)).not.to.revert(
          ethers,
        );
      });

      it("resumes from the true exposure figure of the same role", async function () {
        const [buyer] = sb.buyers;
        const amount = 500n * YUAN;
        await confirmed(sb, sb.suppliers[0], buyer, { amount });
        await sb.controller.connect(sb.regulator).remove(buyer.address, REASON);
        await sb.controller
          .connect(sb.regulator)
          .admit(buyer.address, Role.CoreEnterprise, NO_EXPIRY);
        expect((await participantOf(sb, buyer)).outstanding).to.equal(amount);
        await setLimit(sb, Limit.BuyerOutstandingCap, amount);
        await expect(confirmed(sb, sb.suppliers[1], buyer, { amount: 1n }))
          .to.be.revertedWithCustomError(sb.controller, "BuyerOutstandingCapExceeded")
          .withArgs(buyer.address, amount, amount, 1n);
      });

      // DESIGN.md section 4 caps "outstanding financing per supplier". The counter is shared by all
      // roles (one role per participant), so a core enterprise removed with confirmed payables and
      // re-admitted as a supplier starts with its old payables counted as supplier financing.
      it("re-admission with another role is refused while the old role's exposure is outstanding", async function () {
        const [buyer] = sb.buyers;
        const payables = 500n * YUAN;
        await confirmed(sb, sb.suppliers[0], buyer, { amount: payables });
        await sb.controller.connect(sb.regulator).remove(buyer.address, REASON);
        // The counter measures confirmed payables: it must not pass for a supplier's financing.
        await expect(
          sb.controller.connect(sb.regulator).admit(buyer.address, Role.Supplier, NO_EXPIRY),
        )
          .to.be.revertedWithCustomError(sb.controller, "ParticipantExposureOutstanding")
          .withArgs(buyer.address, Role.CoreEnterprise, payables);
        // Back in its former role, it resumes from the true figure.
        await sb.controller
          .connect(sb.regulator)
          .admit(buyer.address, Role.CoreEnterprise, NO_EXPIRY);
        expect((await participantOf(sb, buyer)).outstanding).to.equal(payables);
      });

      it("re-admission with another role is allowed once the exposure is settled", async function () {
        const [supplier] = sb.suppliers;
        const buyer = sb.buyers[0];
        const id = await confirmed(sb, supplier, buyer, { amount: 500n * YUAN });
        await sb.ledger.connect(buyer).pay(id, 500n * YUAN);
        await sb.controller.connect(sb.regulator).remove(buyer.address, REASON);
        await expect(
          sb.controller.connect(sb.regulator).admit(buyer.address, Role.Supplier, NO_EXPIRY),
        ).to.emit(sb.controller, "ParticipantAdmitted");
      });
    });
  });

  describe("renewAdmission", function () {
    it("is refused for the calling regulator itself, which could lock out supervision", async function () {
      await expect(
        sb.controller.connect(sb.regulator).renewAdmission(sb.regulator.address, 2n ** 31n, REASON),
      )
        .to.be.revertedWithCustomError(sb.controller, "RegulatorSelfAction")
        .withArgs(sb.regulator.address);
    });

    it("moves the end of the admission, shorter or longer: event and record", async function () {
      const supplier = sb.suppliers[0];
      const now = BigInt(await networkHelpers.time.latest());
      for (const until of [now + 100n, now + 10n * 86_400n]) {
        await expect(
          sb.controller.connect(sb.regulator).renewAdmission(supplier.address, until, REASON),
        )
          .to.emit(sb.controller, "AdmissionRenewed")
          .withArgs(supplier.address, until, sb.regulator.address, REASON);
        expect((await participantOf(sb, supplier)).admittedUntil).to.equal(until);
      }
    });

    it("revives an expired admission, keeping role, freeze and exposure", async function () {
      const [buyer] = sb.buyers;
      const amount = 77n * YUAN;
      await confirmed(sb, sb.suppliers[0], buyer, { amount });
      await sb.controller.connect(sb.regulator).freeze(buyer.address, REASON);
      const until = BigInt(await networkHelpers.time.latest()) + 60n;
      await sb.controller.connect(sb.regulator).renewAdmission(buyer.address, until, REASON);
      await networkHelpers.time.increaseTo(until + 10n);
      const renewed = BigInt(await networkHelpers.time.latest()) + 86_400n;
      await sb.controller.connect(sb.regulator).renewAdmission(buyer.address, renewed, REASON);
      expect(await participantOf(sb, buyer)).to.deep.equal({
        role: Role.CoreEnterprise,
        frozen: true,
        admittedUntil: renewed,
        outstanding: amount,
      });
    });

    it("a participant acts up to the last second of its admission, not after", async function () {
      // A second regulator's own actions show the boundary with a transaction at each instant.
      const until = BigInt(await networkHelpers.time.latest()) + 100n;
      const second = await admitRegulator(sb, spare[0], until);
      await networkHelpers.time.setNextBlockTimestamp(until);
      await expect(sb.controller.connect(second).freeze(sb.suppliers[0].address, REASON)).to.emit(
        sb.controller,
        "ParticipantFrozen",
      );
      await networkHelpers.time.setNextBlockTimestamp(until + 1n);
      await expect(sb.controller.connect(second).unfreeze(sb.suppliers[0].address, REASON))
        .to.be.revertedWithCustomError(sb.controller, "ParticipantAdmissionExpired")
        .withArgs(second.address, until, until + 1n);
    });

    it("rejects an end at the block time or before it", async function () {
      const now = await atNextBlock(networkHelpers);
      for (const until of [now, now - 1n]) {
        await expect(
          sb.controller
            .connect(sb.regulator)
            .renewAdmission(sb.suppliers[0].address, until, REASON),
        )
          .to.be.revertedWithCustomError(sb.controller, "InvalidAdmissionExpiry")
          .withArgs(until, now);
      }
    });

    it("rejects an account that is not admitted", async function () {
      await expect(
        sb.controller.connect(sb.regulator).renewAdmission(sb.outsider.address, NO_EXPIRY, REASON),
      )
        .to.be.revertedWithCustomError(sb.controller, "ParticipantNotAdmitted")
        .withArgs(sb.outsider.address);
    });

    shouldBeRegulatorOnly(env, (s, caller, reason) =>
      s.controller.connect(caller).renewAdmission(s.suppliers[0].address, NO_EXPIRY, reason),
    );
  });

  describe("freeze and unfreeze", function () {
    it("freezes a participant: event, record, and it can no longer act", async function () {
      const supplier = sb.suppliers[0];
      await expect(sb.controller.connect(sb.regulator).freeze(supplier.address, REASON))
        .to.emit(sb.controller, "ParticipantFrozen")
        .withArgs(supplier.address, sb.regulator.address, REASON);
      expect(await participantOf(sb, supplier)).to.deep.equal({
        role: Role.Supplier,
        frozen: true,
        admittedUntil: NO_EXPIRY,
        outstanding: 0n,
      });
      await expect(sb.controller.checkActor(supplier.address, Role.Supplier))
        .to.be.revertedWithCustomError(sb.controller, "ParticipantIsFrozen")
        .withArgs(supplier.address);
    });

    it("unfreezes a participant: event, record, and it acts again", async function () {
      const supplier = sb.suppliers[0];
      await sb.controller.connect(sb.regulator).freeze(supplier.address, REASON);
      await expect(sb.controller.connect(sb.regulator).unfreeze(supplier.address, "cleared"))
        .to.emit(sb.controller, "ParticipantUnfrozen")
        .withArgs(supplier.address, sb.regulator.address, "cleared");
      expect((await participantOf(sb, supplier)).frozen).to.equal(false);
      await expect(sb.controller.checkActor(supplier.address, Role.Supplier)).not.to.revert(ethers);
    });

    it("freezes another regulator, which then cannot act", async function () {
      const second = await admitRegulator(sb, spare[0]);
      await sb.controller.connect(sb.regulator).freeze(second.address, REASON);
      await expect(sb.controller.connect(second).freeze(sb.suppliers[0].address, REASON))
        .to.be.revertedWithCustomError(sb.controller, "ParticipantIsFrozen")
        .withArgs(second.address);
    });

    it("freezes a participant whose admission expired", async function () {
      const until = BigInt(await networkHelpers.time.latest()) + 60n;
      await sb.controller
        .connect(sb.regulator)
        .renewAdmission(sb.suppliers[0].address, until, REASON);
      await networkHelpers.time.increaseTo(until + 1n);
      await expect(
        sb.controller.connect(sb.regulator).freeze(sb.suppliers[0].address, REASON),
      ).to.emit(sb.controller, "ParticipantFrozen");
    });

    it("rejects freezing twice and unfreezing an account that is not frozen", async function () {
      const supplier = sb.suppliers[0];
      await expect(sb.controller.connect(sb.regulator).unfreeze(supplier.address, REASON))
        .to.be.revertedWithCustomError(sb.controller, "FreezeStateUnchanged")
        .withArgs(supplier.address, false);
      await sb.controller.connect(sb.regulator).freeze(supplier.address, REASON);
      await expect(sb.controller.connect(sb.regulator).freeze(supplier.address, REASON))
        .to.be.revertedWithCustomError(sb.controller, "FreezeStateUnchanged")
        .withArgs(supplier.address, true);
    });

    it("rejects the regulator freezing or unfreezing itself", async function () {
      await expect(sb.controller.connect(sb.regulator).freeze(sb.regulator.address, REASON))
        .to.be.revertedWithCustomError(sb.controller, "RegulatorSelfAction")
        .withArgs(sb.regulator.address);
      await expect(sb.controller.connect(sb.regulator).unfreeze(sb.regulator.address, REASON))
        .to.be.revertedWithCustomError(sb.controller, "RegulatorSelfAction")
        .withArgs(sb.regulator.address);
    });

    it("rejects an account that is not admitted", async function () {
      await expect(sb.controller.connect(sb.regulator).freeze(sb.outsider.address, REASON))
        .to.be.revertedWithCustomError(sb.controller, "ParticipantNotAdmitted")
        .withArgs(sb.outsider.address);
      await expect(sb.controller.connect(sb.regulator).unfreeze(sb.outsider.address, REASON))
        .to.be.revertedWithCustomError(sb.controller, "ParticipantNotAdmitted")
        .withArgs(sb.outsider.address);
    });

    describe("freeze", function () {
      shouldBeRegulatorOnly(env, (s, caller, reason) =>
        s.controller.connect(caller).freeze(s.suppliers[0].address, reason),
      );
    });

    describe("unfreeze", function () {
      beforeEach(async function () {
        await sb.controller.connect(sb.regulator).freeze(sb.suppliers[0].address, REASON);
      });
      shouldBeRegulatorOnly(env, (s, caller, reason) =>
        s.controller.connect(caller).unfreeze(s.suppliers[0].address, reason),
      );
    });
  });
});
