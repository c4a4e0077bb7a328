/**
 * The audit's findings on the sandbox controls (issue 13: findings 2, 3, 4 and 6), each as the
 * behaviour an attacker or a regulator would see. Every test here failed on the code the audit
 * reviewed.
 */
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import { expect } from "chai";
import { network } from "hardhat";

import {
  confirmed,
  DAY,
  deploySandbox,
  Limit,
  NO_EXPIRY,
  Role,
  type Sandbox,
  YUAN,
} from "../helpers/fixtures.js";
import { admitRegulator, DEFAULT_POLICY, finance, policyOf, REASON } from "./helpers.js";

const connection = await network.create();
const { ethers, networkHelpers } = connection;
const { time } = networkHelpers;
const fixture = () => deploySandbox(connection);

describe("Audit findings: sandbox controls", function () {
  let sb: Sandbox;
  let spare: HardhatEthersSigner[];

  before(async function () {
    spare = (await ethers.getSigners()).slice(11);
  });

  beforeEach(async function () {
    sb = await networkHelpers.loadFixture(fixture);
  });

  describe("finding 2: the sandbox never loses its last standing regulator", function () {
    let temporary: HardhatEthersSigner;

    beforeEach(async function () {
      temporary = await admitRegulator(sb, spare[0], BigInt(await time.latest()) + 30n * DAY);
    });

    it("a regulator admitted until a date can neither remove, shorten nor freeze the open-ended one", async function () {
      const root = sb.regulator.address;
      await expect(sb.controller.connect(temporary).remove(root, REASON))
        .to.be.revertedWithCustomError(sb.controller, "LastStandingRegulator")
        .withArgs(root);
      const soon = BigInt(await time.latest()) + DAY;
      await expect(sb.controller.connect(temporary).renewAdmission(root, soon, REASON))
        .to.be.revertedWithCustomError(sb.controller, "LastStandingRegulator")
        .withArgs(root);
      await expect(sb.controller.connect(temporary).freeze(root, REASON))
        .to.be.revertedWithCustomError(sb.controller, "LastStandingRegulator")
        .withArgs(root);
    });

    it("so a pause by a regulator that then expires can still be lifted, and the buyer pays", async function () {
      const [s1] = sb.suppliers;
      const [c1] = sb.buyers;
      const id = await confirmed(sb, s1, c1, { amount: 1_000n * YUAN });
      await sb.controller.connect(temporary).pause(REASON);
      await time.increase(31n * DAY);
      await expect(sb.controller.connect(temporary).resume(REASON))
        .to.be.revertedWithCustomError(sb.controller, "ParticipantAdmissionExpired");
      await expect(sb.controller.connect(sb.regulator).resume(REASON)).to.emit(sb.controller, "SandboxResumed");
      await expect(sb.ledger.connect(c1).pay(id, 1_000n * YUAN)).to.emit(sb.ledger, "PaymentReceived");
    });

    it("with another open-ended regulator admitted, the first may go; then that one is the last", async function () {
      const second = await admitRegulator(sb, spare[1]);
      await expect(sb.controller.connect(temporary).remove(sb.regulator.address, REASON)).to.emit(
        sb.controller,
        "ParticipantRemoved",
      );
      await expect(sb.controller.connect(temporary).freeze(second.address, REASON))
        .to.be.revertedWithCustomError(sb.controller, "LastStandingRegulator")
        .withArgs(second.address);
    });

    it("a regulator renewed without expiry, or unfrozen, counts again", async function () {
      await sb.controller.connect(sb.regulator).renewAdmission(temporary.address, NO_EXPIRY, REASON);
      // Now two stand: the first may be frozen, and the renewed one is then the last.
      await sb.controller.connect(temporary).freeze(sb.regulator.address, REASON);
      await expect(sb.controller.connect(temporary).unfreeze(sb.regulator.address, REASON)).to.emit(
        sb.controller,
        "ParticipantUnfrozen",
      );
      await expect(sb.controller.connect(sb.regulator).remove(temporary.address, REASON)).to.emit(
        sb.controller,
        "ParticipantRemoved",
      );
    });
  });

  describe("finding 3: the settlement token obeys the sandbox", function () {
    it("a removed or frozen operator cannot mint; an operator admitted later can", async function () {
      const [holder] = sb.suppliers;
      const next = spare[3];
      await sb.controller.connect(sb.regulator).admit(next.address, Role.Operator, NO_EXPIRY);
      await sb.controller.connect(sb.regulator).freeze(sb.operator.address, REASON);
      await expect(sb.token.connect(sb.operator).mint(holder.address, 1n))
        .to.be.revertedWithCustomError(sb.token, "ParticipantIsFrozen")
        .withArgs(sb.operator.address);
      await sb.controller.connect(sb.regulator).remove(sb.operator.address, REASON);
      await expect(sb.token.connect(sb.operator).mint(holder.address, 1n))
        .to.be.revertedWithCustomError(sb.token, "ParticipantNotAdmitted")
        .withArgs(sb.operator.address);
      await expect(sb.token.connect(next).mint(holder.address, 5n)).to.changeTokenBalance(
        ethers,
        sb.token,
        holder,
        5n,
      );
    });

    it("nothing is minted while the sandbox is paused", async function () {
      await sb.controller.connect(sb.regulator).pause(REASON);
      await expect(sb.token.connect(sb.operator).mint(sb.suppliers[0].address, 1n)).to.be.revertedWithCustomError(
        sb.token,
        "SandboxIsPaused",
      );
    });

    it("a frozen financed party keeps its balance through a pause, and the recourse then lands", async function () {
      const [s1, s2] = sb.suppliers;
      const [c1] = sb.buyers;
      const [b1] = sb.banks;
      const face = 1_000n * YUAN;
      const id = await confirmed(sb, s1, c1, { amount: face, dueIn: 10n * DAY });
      await finance(sb, s1, id, 0, b1, { withRecourse: true });
      await sb.controller.connect(sb.regulator).freeze(s1.address, REASON);
      await sb.controller.connect(sb.regulator).pause(REASON);
      await expect(sb.token.connect(s1).transfer(s2.address, face))
        .to.be.revertedWithCustomError(sb.token, "SandboxIsPaused");
      await sb.controller.connect(sb.regulator).resume(REASON);
      // Still frozen: neither a transfer, nor a transferFrom, nor a burn moves the balance.
      await expect(sb.token.connect(s1).transfer(s2.address, face))
        .to.be.revertedWithCustomError(sb.token, "ParticipantIsFrozen")
        .withArgs(s1.address);
      await sb.token.connect(s1).approve(s2.address, face);
      await expect(sb.token.connect(s2).transferFrom(s1.address, s2.address, face))
        .to.be.revertedWithCustomError(sb.token, "ParticipantIsFrozen")
        .withArgs(s1.address);
      await expect(sb.token.connect(s1).burn(face))
        .to.be.revertedWithCustomError(sb.token, "ParticipantIsFrozen")
        .withArgs(s1.address);
      // Nor can anyone pay into a frozen account outside a lifecycle step.
      await expect(sb.token.connect(c1).transfer(s1.address, 1n))
        .to.be.revertedWithCustomError(sb.token, "ParticipantIsFrozen")
        .withArgs(s1.address);

      await time.increase(101n * DAY);
      await sb.controller.connect(sb.regulator).unfreeze(s1.address, REASON);
      await expect(sb.ledger.connect(b1).claimRecourse(id, 0)).to.changeTokenBalances(
        ethers,
        sb.token,
        [s1, b1],
        [-face, face],
      );
    });

    it("a removed participant's balance still moves: removal ends acting, not owning", async function () {
      const [, s2] = sb.suppliers;
      const [c1] = sb.buyers;
      await sb.controller.connect(sb.regulator).remove(c1.address, REASON);
      await expect(sb.token.connect(c1).transfer(s2.address, 7n)).to.changeTokenBalances(
        ethers,
        sb.token,
        [c1, s2],
        [-7n, 7n],
      );
    });
  });

  describe("finding 4: a removed participant can be frozen", function () {
    it("the removed buyer is frozen and stops settling; a never-admitted account is not", async function () {
      const [s1] = sb.suppliers;
      const [c1] = sb.buyers;
      const id = await confirmed(sb, s1, c1, { amount: 1_000n * YUAN });
      await sb.controller.connect(sb.regulator).remove(c1.address, REASON);
      await expect(sb.controller.connect(sb.regulator).freeze(c1.address, REASON))
        .to.emit(sb.controller, "ParticipantFrozen")
        .withArgs(c1.address, sb.regulator.address, REASON);
      await expect(sb.ledger.connect(c1).pay(id, 1n))
        .to.be.revertedWithCustomError(sb.ledger, "ParticipantIsFrozen")
        .withArgs(c1.address);
      await sb.controller.connect(sb.regulator).unfreeze(c1.address, REASON);
      await expect(sb.ledger.connect(c1).pay(id, 1n)).to.emit(sb.ledger, "PaymentReceived");
      await expect(sb.controller.connect(sb.regulator).freeze(sb.outsider.address, REASON))
        .to.be.revertedWithCustomError(sb.controller, "ParticipantNotAdmitted")
        .withArgs(sb.outsider.address);
    });
  });

  describe("finding 6: the initial policy is announced", function () {
    it("the constructor emits every initial limit and the pilot window, so events rebuild the policy", async function () {
      const limits = await sb.controller.queryFilter(sb.controller.filters.LimitChanged(), 0);
      const initial = limits.filter((e) => e.args.reason === "initial policy");
      expect(initial.map((e) => Number(e.args.limit))).to.deep.equal(
        Object.values(Limit).filter((v) => typeof v === "number"),
      );
      const value = (limit: number) => initial.find((e) => Number(e.args.limit) === limit)!.args.current;
      expect(initial.every((e) => e.args.previous === 0n)).to.equal(true);
      expect(value(Limit.MaxTenorDays)).to.equal(365n);
      expect(value(Limit.RateCeilingBps)).to.equal(10_000n);
      expect(value(Limit.DefaultThresholdDays)).to.equal(90n);

      const windows = await sb.controller.queryFilter(sb.controller.filters.PilotWindowChanged(), 0);
      expect(windows.map((e) => [e.args.start, e.args.end, e.args.reason])).to.deep.equal([
        [0n, 2n ** 32n - 1n, "initial policy"],
      ]);

      // Replaying the events gives the policy the controller reports.
      const policy: Record<string, unknown> = await policyOf(sb);
      const field: Record<number, keyof typeof DEFAULT_POLICY> = {
        [Limit.SupplierFinancingCap]: "supplierFinancingCap",
        [Limit.BankExposureCap]: "bankExposureCap",
        [Limit.BuyerOutstandingCap]: "buyerOutstandingCap",
        [Limit.PilotFinancingCap]: "pilotFinancingCap",
        [Limit.MaxParticipants]: "maxParticipants",
        [Limit.MaxTenorDays]: "maxTenorDays",
        [Limit.RateCeilingBps]: "rateCeilingBps",
        [Limit.MinPieceAmount]: "minPieceAmount",
        [Limit.MaxTierDepth]: "maxTierDepth",
        [Limit.GracePeriodDays]: "gracePeriodDays",
        [Limit.DefaultThresholdDays]: "defaultThresholdDays",
      };
      for (const e of initial) {
        const name = field[Number(e.args.limit)];
        expect(e.args.current, name).to.equal(policy[name]);
        expect(e.args.current, name).to.equal(DEFAULT_POLICY[name]);
      }
    });
  });
});
