import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import { PANIC_CODES } from "@nomicfoundation/hardhat-ethers-chai-matchers/panic";
import { expect } from "chai";
import { network } from "hardhat";

import type { Sandbox } from "../helpers/fixtures.js";
import {
  confirmed,
  DAY,
  deploySandbox,
  Limit,
  NO_EXPIRY,
  Role,
  setLimit,
} from "../helpers/fixtures.js";
import type { SandboxController } from "../helpers/contracts.js";
import { admitRegulator, atNextBlock, DEFAULT_POLICY, policyOf, REASON } from "./helpers.js";
import { ANY_RATE, approveReviewed } from "../helpers/fixtures.js";

const connection = await network.create();
const { ethers, networkHelpers } = connection;
const fixture = () => deploySandbox(connection);

/**
 * A controller deployed on its own, with no ledger bound, the same participants as the production
 * fixture, and an externally owned account ready to be bound as the ledger, so that the record
 * functions can be driven directly.
 */
async function standaloneController() {
  const [operator, regulator, s1, s2, , , c1, , b1, , outsider, fakeLedger] =
    await ethers.getSigners();
  const controller = (await ethers.deployContract("SandboxController", [
    regulator.address,
    operator.address,
  ])) as unknown as SandboxController;
  await controller.connect(regulator).admit(s1.address, Role.Supplier, NO_EXPIRY);
  await controller.connect(regulator).admit(s2.address, Role.Supplier, NO_EXPIRY);
  await controller.connect(regulator).admit(c1.address, Role.CoreEnterprise, NO_EXPIRY);
  await controller.connect(regulator).admit(b1.address, Role.Bank, NO_EXPIRY);
  return { controller, operator, regulator, s1, s2, c1, b1, outsider, fakeLedger };
}

describe("SandboxController", function () {
  describe("production deployment", function () {
    let sb: Sandbox;
    beforeEach(async function () {
      sb = await networkHelpers.loadFixture(fixture);
    });

    it("bound the receivable ledger, which consults this controller", async function () {
      expect(await sb.controller.ledger()).to.equal(await sb.ledger.getAddress());
      expect(await sb.ledger.controller()).to.equal(await sb.controller.getAddress());
    });

    it("cannot bind another ledger", async function () {
      const ledger = await sb.ledger.getAddress();
      for (const candidate of [sb.outsider.address, ethers.ZeroAddress]) {
        await expect(sb.controller.connect(sb.operator).bindLedger(candidate))
          .to.be.revertedWithCustomError(sb.controller, "LedgerAlreadyBound")
          .withArgs(ledger);
      }
    });

    describe("record functions are reserved to the bound ledger", function () {
      const calls: [string, (c: SandboxController, sb: Sandbox) => Promise<unknown>][] = [
        [
          "recordConfirmation",
          (c, s) => c.recordConfirmation(s.buyers[0].address, s.suppliers[0].address, 1n),
        ],
        [
          "recordFinancing",
          (c, s) => c.recordFinancing(s.banks[0].address, s.suppliers[0].address, 1n, 0n),
        ],
        ["recordPayment", (c, s) => c.recordPayment(s.buyers[0].address, 0n, [])],
        [
          "recordRecourse",
          (c, s) => c.recordRecourse(s.banks[0].address, s.suppliers[0].address, 0n),
        ],
      ];
      for (const [name, call] of calls) {
        it(`${name} rejects the operator, the regulator, participants and outsiders`, async function () {
          for (const caller of [
            sb.operator,
            sb.regulator,
            sb.buyers[0],
            sb.banks[0],
            sb.outsider,
          ]) {
            await expect(call(sb.controller.connect(caller), sb))
              .to.be.revertedWithCustomError(sb.controller, "UnauthorizedLedger")
              .withArgs(caller.address);
          }
        });
      }
    });

    describe("checkKeeper (operator or regulator)", function () {
      it("accepts the active operator and the active regulator", async function () {
        await expect(sb.controller.checkKeeper(sb.operator.address)).not.to.revert(ethers);
        await expect(sb.controller.checkKeeper(sb.regulator.address)).not.to.revert(ethers);
      });

      it("rejects other roles as not being the operator", async function () {
        const others: [HardhatEthersSigner, number][] = [
          [sb.suppliers[0], Role.Supplier],
          [sb.buyers[0], Role.CoreEnterprise],
          [sb.banks[0], Role.Bank],
        ];
        for (const [account, role] of others) {
          await expect(sb.controller.checkKeeper(account.address))
            .to.be.revertedWithCustomError(sb.controller, "ParticipantRoleMismatch")
            .withArgs(account.address, Role.Operator, role);
        }
      });

      it("rejects an account that is not admitted", async function () {
        await expect(sb.controller.checkKeeper(sb.outsider.address))
          .to.be.revertedWithCustomError(sb.controller, "ParticipantNotAdmitted")
          .withArgs(sb.outsider.address);
      });

      it("rejects a frozen operator and a frozen regulator", async function () {
        const [, , , , , , , , , , , second] = await ethers.getSigners();
        await admitRegulator(sb, second);
        await sb.controller.connect(sb.regulator).freeze(sb.operator.address, REASON);
        await sb.controller.connect(second).freeze(sb.regulator.address, REASON);
        for (const account of [sb.operator, sb.regulator]) {
          await expect(sb.controller.checkKeeper(account.address))
            .to.be.revertedWithCustomError(sb.controller, "ParticipantIsFrozen")
            .withArgs(account.address);
        }
      });

      it("rejects an operator whose admission expired", async function () {
        const until = BigInt(await networkHelpers.time.latest()) + 60n;
        await sb.controller
          .connect(sb.regulator)
          .renewAdmission(sb.operator.address, until, REASON);
        await networkHelpers.time.increaseTo(until + 1n);
        await expect(sb.controller.checkKeeper(sb.operator.address)).to.be.revertedWithCustomError(
          sb.controller,
          "ParticipantAdmissionExpired",
        );
      });
    });

    describe("checkSupervisor (regulator)", function () {
      it("accepts the active regulator, also while the sandbox is paused", async function () {
        await expect(sb.controller.checkSupervisor(sb.regulator.address)).not.to.revert(ethers);
        await sb.controller.connect(sb.regulator).pause(REASON);
        await expect(sb.controller.checkSupervisor(sb.regulator.address)).not.to.revert(ethers);
      });

      it("rejects the operator and every other role, and outsiders", async function () {
        await expect(sb.controller.checkSupervisor(sb.operator.address))
          .to.be.revertedWithCustomError(sb.controller, "ParticipantRoleMismatch")
          .withArgs(sb.operator.address, Role.Regulator, Role.Operator);
        await expect(sb.controller.checkSupervisor(sb.suppliers[0].address))
          .to.be.revertedWithCustomError(sb.controller, "ParticipantRoleMismatch")
          .withArgs(sb.suppliers[0].address, Role.Regulator, Role.Supplier);
        await expect(sb.controller.checkSupervisor(sb.outsider.address))
          .to.be.revertedWithCustomError(sb.controller, "ParticipantNotAdmitted")
          .withArgs(sb.outsider.address);
      });

      it("rejects a frozen regulator", async function () {
        const [, , , , , , , , , , , second] = await ethers.getSigners();
        await admitRegulator(sb, second);
        await sb.controller.connect(second).freeze(sb.regulator.address, REASON);
        await expect(sb.controller.checkSupervisor(sb.regulator.address))
          .to.be.revertedWithCustomError(sb.controller, "ParticipantIsFrozen")
          .withArgs(sb.regulator.address);
      });
    });

    describe("checkActor", function () {
      it("accepts an active participant in its role", async function () {
        await expect(
          sb.controller.checkActor(sb.suppliers[0].address, Role.Supplier),
        ).not.to.revert(ethers);
        await expect(sb.controller.checkActor(sb.banks[0].address, Role.Bank)).not.to.revert(
          ethers,
        );
      });

      it("reports the pause before anything about the account", async function () {
        await sb.controller.connect(sb.regulator).pause(REASON);
        for (const account of [sb.suppliers[0], sb.outsider]) {
          await expect(
            sb.controller.checkActor(account.address, Role.Supplier),
          ).to.be.revertedWithCustomError(sb.controller, "SandboxIsPaused");
        }
      });

      it("rejects a participant acting in another role", async function () {
        await expect(sb.controller.checkActor(sb.banks[0].address, Role.Supplier))
          .to.be.revertedWithCustomError(sb.controller, "ParticipantRoleMismatch")
          .withArgs(sb.banks[0].address, Role.Supplier, Role.Bank);
      });

      // A never-admitted record has role None and admittedUntil 0, so asking for role None passes the
      // role check and fails on the expiry instead: ParticipantAdmissionExpired(account, 0, now).
      it("reports an account that was never admitted as not admitted, also when asked for role None", async function () {
        await expect(sb.controller.checkActor(sb.outsider.address, Role.None))
          .to.be.revertedWithCustomError(sb.controller, "ParticipantNotAdmitted")
          .withArgs(sb.outsider.address);
      });
    });

    describe("checkSubmission", function () {
      it("checks issuance, then the seller, then the buyer, then the tenor", async function () {
        const [s1, s2] = sb.suppliers;
        const [c1] = sb.buyers;
        await setLimit(sb, Limit.MaxTenorDays, 30n);
        await expect(
          sb.controller.checkSubmission(s1.address, c1.address, 0n, 30n * DAY),
        ).not.to.revert(ethers);
        await expect(sb.controller.checkSubmission(s1.address, c1.address, 0n, 30n * DAY + 1n))
          .to.be.revertedWithCustomError(sb.controller, "TenorExceedsMaximum")
          .withArgs(30n, 31n);
        await expect(sb.controller.checkSubmission(s1.address, s2.address, 0n, 30n * DAY + 1n))
          .to.be.revertedWithCustomError(sb.controller, "ParticipantRoleMismatch")
          .withArgs(s2.address, Role.CoreEnterprise, Role.Supplier);
        await expect(sb.controller.checkSubmission(c1.address, s2.address, 0n, 30n * DAY + 1n))
          .to.be.revertedWithCustomError(sb.controller, "ParticipantRoleMismatch")
          .withArgs(c1.address, Role.Supplier, Role.CoreEnterprise);
        await sb.controller.connect(sb.regulator).startWindDown(REASON);
        await expect(
          sb.controller.checkSubmission(c1.address, s2.address, 0n, 30n * DAY + 1n),
        ).to.be.revertedWithCustomError(sb.controller, "SandboxWindingDown");
        await sb.controller.connect(sb.regulator).pause(REASON);
        await expect(
          sb.controller.checkSubmission(c1.address, s2.address, 0n, 30n * DAY + 1n),
        ).to.be.revertedWithCustomError(sb.controller, "SandboxIsPaused");
      });

      it("counts the tenor in whole days, rounded up", async function () {
        const [s1] = sb.suppliers;
        const [c1] = sb.buyers;
        await setLimit(sb, Limit.MaxTenorDays, 1n);
        await expect(
          sb.controller.checkSubmission(s1.address, c1.address, 1_000n, 1_001n),
        ).not.to.revert(ethers);
        await expect(
          sb.controller.checkSubmission(s1.address, c1.address, 1_000n, 1_000n + DAY),
        ).not.to.revert(ethers);
        await expect(sb.controller.checkSubmission(s1.address, c1.address, 1_000n, 1_001n + DAY))
          .to.be.revertedWithCustomError(sb.controller, "TenorExceedsMaximum")
          .withArgs(1n, 2n);
      });
    });

    describe("checkTransfer", function () {
      it("requires the recipient to be an active supplier, unless the holder keeps the piece", async function () {
        const [s1, s2] = sb.suppliers;
        await sb.controller.connect(sb.regulator).freeze(s2.address, REASON);
        await expect(sb.controller.checkTransfer(s1.address, s2.address, 10n, 0n, 2n))
          .to.be.revertedWithCustomError(sb.controller, "ParticipantIsFrozen")
          .withArgs(s2.address);
        await expect(sb.controller.checkTransfer(s1.address, sb.banks[0].address, 10n, 0n, 2n))
          .to.be.revertedWithCustomError(sb.controller, "ParticipantRoleMismatch")
          .withArgs(sb.banks[0].address, Role.Supplier, Role.Bank);
        await expect(
          sb.controller.checkTransfer(s1.address, s1.address, 10n, 5n, 1n),
        ).not.to.revert(ethers);
      });

      it("applies the minimum piece to splits only (remainder not zero)", async function () {
        const [s1, s2] = sb.suppliers;
        await setLimit(sb, Limit.MinPieceAmount, 100n);
        await expect(sb.controller.checkTransfer(s1.address, s2.address, 1n, 0n, 2n)).not.to.revert(
          ethers,
        );
        await expect(sb.controller.checkTransfer(s1.address, s2.address, 100n, 99n, 2n))
          .to.be.revertedWithCustomError(sb.controller, "PieceBelowMinimum")
          .withArgs(100n, 99n);
      });

      it("stops while paused", async function () {
        await sb.controller.connect(sb.regulator).pause(REASON);
        await expect(
          sb.controller.checkTransfer(sb.suppliers[0].address, sb.suppliers[1].address, 1n, 0n, 2n),
        ).to.be.revertedWithCustomError(sb.controller, "SandboxIsPaused");
      });
    });

    describe("checkFinancingRequest and checkDispute", function () {
      it("checkFinancingRequest needs an active supplier asking an active bank", async function () {
        const [s1] = sb.suppliers;
        await expect(
          sb.controller.checkFinancingRequest(s1.address, sb.banks[0].address, 1n),
        ).not.to.revert(ethers);
        await expect(sb.controller.checkFinancingRequest(s1.address, sb.buyers[0].address, 1n))
          .to.be.revertedWithCustomError(sb.controller, "ParticipantRoleMismatch")
          .withArgs(sb.buyers[0].address, Role.Bank, Role.CoreEnterprise);
        await sb.controller.connect(sb.regulator).freeze(sb.banks[0].address, REASON);
        await expect(sb.controller.checkFinancingRequest(s1.address, sb.banks[0].address, 1n))
          .to.be.revertedWithCustomError(sb.controller, "ParticipantIsFrozen")
          .withArgs(sb.banks[0].address);
      });

      it("checkDispute needs an active core enterprise and a running sandbox, not an open window", async function () {
        const [c1] = sb.buyers;
        await sb.controller.connect(sb.regulator).startWindDown(REASON);
        await expect(sb.controller.checkDispute(c1.address)).not.to.revert(ethers);
        await expect(sb.controller.checkDispute(sb.suppliers[0].address))
          .to.be.revertedWithCustomError(sb.controller, "ParticipantRoleMismatch")
          .withArgs(sb.suppliers[0].address, Role.CoreEnterprise, Role.Supplier);
        await sb.controller.connect(sb.regulator).pause(REASON);
        await expect(sb.controller.checkDispute(c1.address)).to.be.revertedWithCustomError(
          sb.controller,
          "SandboxIsPaused",
        );
      });
    });

    describe("views", function () {
      it("settlementDeadlines counts the grace period and the default threshold from the due date", async function () {
        expect((await sb.controller.settlementDeadlines(0)).map((s) => s / 86_400n)).to.deep.equal([0n, 90n]);
        await setLimit(sb, Limit.DefaultThresholdDays, 60n);
        await setLimit(sb, Limit.GracePeriodDays, 10n);
        expect((await sb.controller.settlementDeadlines(0)).map((s) => s / 86_400n)).to.deep.equal([10n, 60n]);
      });

      it("policy() reports every control and the usage the pilot-wide ones measure", async function () {
        await sb.controller.connect(sb.regulator).setPilotWindow(10n, 4_000_000_000n, REASON);
        await setLimit(sb, Limit.PilotFinancingCap, 10_000_000n);
        await sb.controller.connect(sb.regulator).remove(sb.suppliers[3].address, REASON);
        const id = await confirmed(sb, sb.suppliers[0], sb.buyers[0], { amount: 250_000n });
        await sb.ledger
          .connect(sb.suppliers[0])
          .requestFinancing(id, 0, sb.banks[0].address, false, ANY_RATE);
        await approveReviewed(sb.ledger, sb.banks[0], id, 0, 0n);
        await sb.controller.connect(sb.regulator).pause(REASON);
        expect(await policyOf(sb)).to.deep.equal({
          ...DEFAULT_POLICY,
          paused: true,
          pilotStart: 10n,
          pilotEnd: 4_000_000_000n,
          pilotFinancingCap: 10_000_000n,
          pilotFinanced: 250_000n,
          admittedCount: DEFAULT_POLICY.admittedCount - 1n,
        });
      });
    });
  });

  describe("standalone (no ledger bound yet)", function () {
    let env: Awaited<ReturnType<typeof standaloneController>>;
    beforeEach(async function () {
      env = await networkHelpers.loadFixture(standaloneController);
    });

    describe("bindLedger", function () {
      it("starts with no ledger", async function () {
        expect(await env.controller.ledger()).to.equal(ethers.ZeroAddress);
      });

      it("the operator binds the ledger once: event and view", async function () {
        const { controller, operator, fakeLedger } = env;
        await expect(controller.connect(operator).bindLedger(fakeLedger.address))
          .to.emit(controller, "LedgerBound")
          .withArgs(fakeLedger.address, operator.address);
        expect(await controller.ledger()).to.equal(fakeLedger.address);
        await expect(controller.connect(operator).bindLedger(env.outsider.address))
          .to.be.revertedWithCustomError(controller, "LedgerAlreadyBound")
          .withArgs(fakeLedger.address);
      });

      it("rejects the zero address", async function () {
        await expect(env.controller.connect(env.operator).bindLedger(ethers.ZeroAddress))
          .to.be.revertedWithCustomError(env.controller, "UnauthorizedLedger")
          .withArgs(ethers.ZeroAddress);
      });

      it("rejects the regulator, participants and outsiders", async function () {
        const { controller, regulator, s1, outsider, fakeLedger } = env;
        await expect(controller.connect(regulator).bindLedger(fakeLedger.address))
          .to.be.revertedWithCustomError(controller, "ParticipantRoleMismatch")
          .withArgs(regulator.address, Role.Operator, Role.Regulator);
        await expect(controller.connect(s1).bindLedger(fakeLedger.address))
          .to.be.revertedWithCustomError(controller, "ParticipantRoleMismatch")
          .withArgs(s1.address, Role.Operator, Role.Supplier);
        await expect(controller.connect(outsider).bindLedger(fakeLedger.address))
          .to.be.revertedWithCustomError(controller, "ParticipantNotAdmitted")
          .withArgs(outsider.address);
      });

      it("rejects a frozen operator and an expired one", async function () {
        const { controller, operator, regulator, fakeLedger } = env;
        await controller.connect(regulator).freeze(operator.address, REASON);
        await expect(controller.connect(operator).bindLedger(fakeLedger.address))
          .to.be.revertedWithCustomError(controller, "ParticipantIsFrozen")
          .withArgs(operator.address);
        await controller.connect(regulator).unfreeze(operator.address, REASON);
        const until = BigInt(await networkHelpers.time.latest()) + 60n;
        await controller.connect(regulator).renewAdmission(operator.address, until, REASON);
        await networkHelpers.time.increaseTo(until);
        const now = await atNextBlock(networkHelpers);
        await expect(controller.connect(operator).bindLedger(fakeLedger.address))
          .to.be.revertedWithCustomError(controller, "ParticipantAdmissionExpired")
          .withArgs(operator.address, until, now);
      });

      it("record functions reject every caller while no ledger is bound", async function () {
        const { controller, operator, c1 } = env;
        await expect(
          controller.connect(operator).recordConfirmation(c1.address, env.s1.address, 1n),
        )
          .to.be.revertedWithCustomError(controller, "UnauthorizedLedger")
          .withArgs(operator.address);
      });
    });

    describe("record functions, driven by a bound ledger", function () {
      let ledger: HardhatEthersSigner;
      beforeEach(async function () {
        ledger = env.fakeLedger;
        await env.controller.connect(env.operator).bindLedger(ledger.address);
      });

      it("recordConfirmation adds to the buyer's outstanding, within its cap", async function () {
        const { controller, regulator, c1 } = env;
        await controller.connect(ledger).recordConfirmation(c1.address, env.s1.address, 400n);
        await controller.connect(regulator).setLimit(Limit.BuyerOutstandingCap, 1_000n, REASON);
        await controller.connect(ledger).recordConfirmation(c1.address, env.s1.address, 600n);
        expect((await controller.participant(c1.address)).outstanding).to.equal(1_000n);
        await expect(controller.connect(ledger).recordConfirmation(c1.address, env.s1.address, 1n))
          .to.be.revertedWithCustomError(controller, "BuyerOutstandingCapExceeded")
          .withArgs(c1.address, 1_000n, 1_000n, 1n);
      });

      it("recordConfirmation needs open issuance and an active core enterprise", async function () {
        const { controller, regulator, s1, c1 } = env;
        await expect(controller.connect(ledger).recordConfirmation(s1.address, env.s1.address, 1n))
          .to.be.revertedWithCustomError(controller, "ParticipantRoleMismatch")
          .withArgs(s1.address, Role.CoreEnterprise, Role.Supplier);
        await controller.connect(regulator).startWindDown(REASON);
        await expect(
          controller.connect(ledger).recordConfirmation(c1.address, env.s1.address, 1n),
        ).to.be.revertedWithCustomError(controller, "SandboxWindingDown");
      });

      it("recordConfirmation needs the seller, who receives the receivable, to be an active supplier", async function () {
        const { controller, regulator, s1, c1 } = env;
        await controller.connect(regulator).freeze(s1.address, REASON);
        await expect(controller.connect(ledger).recordConfirmation(c1.address, s1.address, 1n))
          .to.be.revertedWithCustomError(controller, "ParticipantIsFrozen")
          .withArgs(s1.address);
        await expect(controller.connect(ledger).recordConfirmation(c1.address, c1.address, 1n))
          .to.be.revertedWithCustomError(controller, "ParticipantRoleMismatch")
          .withArgs(c1.address, Role.Supplier, Role.CoreEnterprise);
      });

      it("recordFinancing adds to the supplier, the bank and the pilot total, after the rate ceiling", async function () {
        const { controller, regulator, s1, b1 } = env;
        await controller.connect(regulator).setLimit(Limit.RateCeilingBps, 500n, REASON);
        await expect(controller.connect(ledger).recordFinancing(b1.address, s1.address, 1n, 501n))
          .to.be.revertedWithCustomError(controller, "RateAboveCeiling")
          .withArgs(500n, 501n);
        await controller.connect(ledger).recordFinancing(b1.address, s1.address, 700n, 500n);
        expect((await controller.participant(s1.address)).outstanding).to.equal(700n);
        expect((await controller.participant(b1.address)).outstanding).to.equal(700n);
        expect((await controller.policy()).pilotFinanced).to.equal(700n);
      });

      it("recordFinancing checks the bank, then the supplier", async function () {
        const { controller, s1, s2 } = env;
        await expect(controller.connect(ledger).recordFinancing(s2.address, s1.address, 1n, 0n))
          .to.be.revertedWithCustomError(controller, "ParticipantRoleMismatch")
          .withArgs(s2.address, Role.Bank, Role.Supplier);
        await expect(
          controller.connect(ledger).recordFinancing(env.b1.address, env.c1.address, 1n, 0n),
        )
          .to.be.revertedWithCustomError(controller, "ParticipantRoleMismatch")
          .withArgs(env.c1.address, Role.Supplier, Role.CoreEnterprise);
      });

      it("recordPayment releases the buyer and every financed piece's bank and party", async function () {
        const { controller, s1, s2, c1, b1 } = env;
        await controller.connect(ledger).recordConfirmation(c1.address, env.s1.address, 1_000n);
        await controller.connect(ledger).recordFinancing(b1.address, s1.address, 600n, 0n);
        await controller.connect(ledger).recordFinancing(b1.address, s2.address, 400n, 0n);
        await controller.connect(ledger).recordPayment(c1.address, 500n, [
          { bank: b1.address, financedParty: s1.address, amount: 300n },
          { bank: b1.address, financedParty: s2.address, amount: 200n },
        ]);
        expect((await controller.participant(c1.address)).outstanding).to.equal(500n);
        expect((await controller.participant(b1.address)).outstanding).to.equal(500n);
        expect((await controller.participant(s1.address)).outstanding).to.equal(300n);
        expect((await controller.participant(s2.address)).outstanding).to.equal(200n);
        expect((await controller.policy()).pilotFinanced).to.equal(1_000n);
      });

      it("recordPayment: a removed or expired buyer still settles; a frozen one or a paused sandbox does not", async function () {
        const { controller, regulator, c1 } = env;
        await controller.connect(ledger).recordConfirmation(c1.address, env.s1.address, 1_000n);
        await controller.connect(regulator).remove(c1.address, REASON);
        await controller.connect(ledger).recordPayment(c1.address, 100n, []);
        await controller.connect(regulator).admit(c1.address, Role.CoreEnterprise, NO_EXPIRY);
        await controller.connect(regulator).freeze(c1.address, REASON);
        await expect(controller.connect(ledger).recordPayment(c1.address, 100n, []))
          .to.be.revertedWithCustomError(controller, "ParticipantIsFrozen")
          .withArgs(c1.address);
        await controller.connect(regulator).unfreeze(c1.address, REASON);
        await controller.connect(regulator).pause(REASON);
        await expect(
          controller.connect(ledger).recordPayment(c1.address, 100n, []),
        ).to.be.revertedWithCustomError(controller, "SandboxIsPaused");
        expect((await controller.participant(c1.address)).outstanding).to.equal(900n);
      });

      it("releasing more than was recorded panics (the ledger only releases what it recorded)", async function () {
        const { controller, c1 } = env;
        await controller.connect(ledger).recordConfirmation(c1.address, env.s1.address, 10n);
        await expect(
          controller.connect(ledger).recordPayment(c1.address, 11n, []),
        ).to.be.revertedWithPanic(PANIC_CODES.ARITHMETIC_OVERFLOW);
      });

      it("recordRecourse releases the bank and the financed party; the bank must be active", async function () {
        const { controller, regulator, s1, b1 } = env;
        await controller.connect(ledger).recordFinancing(b1.address, s1.address, 600n, 0n);
        await controller.connect(ledger).recordRecourse(b1.address, s1.address, 200n);
        expect((await controller.participant(b1.address)).outstanding).to.equal(400n);
        expect((await controller.participant(s1.address)).outstanding).to.equal(400n);
        await controller.connect(regulator).freeze(b1.address, REASON);
        await expect(controller.connect(ledger).recordRecourse(b1.address, s1.address, 1n))
          .to.be.revertedWithCustomError(controller, "ParticipantIsFrozen")
          .withArgs(b1.address);
      });
    });
  });
});
