import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import { expect } from "chai";
import { network } from "hardhat";

import { shouldBeRegulatorOnly } from "../behaviours/RegulatorOnly.behaviour.js";
import type { Sandbox } from "../helpers/fixtures.js";
import { deploySandbox, Limit, NO_EXPIRY, Role, setLimit } from "../helpers/fixtures.js";
import {
  admitRegulator,
  DEFAULT_POLICY,
  MAX_UINT128,
  MAX_UINT16,
  MAX_UINT32,
  MAX_UINT48,
  policyOf,
  type PolicyView,
  REASON,
} from "./helpers.js";

const connection = await network.create();
const { ethers, networkHelpers } = connection;
const fixture = () => deploySandbox(connection);

type LimitField = Exclude<
  keyof PolicyView,
  "paused" | "windingDown" | "pilotStart" | "pilotEnd" | "pilotFinanced" | "admittedCount"
>;

interface LimitCase {
  name: keyof typeof Limit;
  field: LimitField;
  /** Range accepted with the default policy (grace 0, default threshold 90). */
  min: bigint;
  max: bigint;
  /** Any value in range other than the default. */
  sample: bigint;
}

const LIMITS: LimitCase[] = [
  {
    name: "SupplierFinancingCap",
    field: "supplierFinancingCap",
    min: 0n,
    max: MAX_UINT128,
    sample: 5_000_000n,
  },
  {
    name: "BankExposureCap",
    field: "bankExposureCap",
    min: 0n,
    max: MAX_UINT128,
    sample: 7_000_000n,
  },
  {
    name: "BuyerOutstandingCap",
    field: "buyerOutstandingCap",
    min: 0n,
    max: MAX_UINT128,
    sample: 9_000_000n,
  },
  {
    name: "PilotFinancingCap",
    field: "pilotFinancingCap",
    min: 0n,
    max: MAX_UINT128,
    sample: 11_000_000n,
  },
  { name: "MaxParticipants", field: "maxParticipants", min: 0n, max: MAX_UINT32, sample: 50n },
  { name: "MaxTenorDays", field: "maxTenorDays", min: 1n, max: MAX_UINT16, sample: 180n },
  { name: "RateCeilingBps", field: "rateCeilingBps", min: 0n, max: MAX_UINT16, sample: 1_200n },
  { name: "MinPieceAmount", field: "minPieceAmount", min: 1n, max: MAX_UINT48, sample: 10_000n },
  { name: "MaxTierDepth", field: "maxTierDepth", min: 1n, max: 255n, sample: 4n },
  {
    name: "GracePeriodDays",
    field: "gracePeriodDays",
    min: 0n,
    max: DEFAULT_POLICY.defaultThresholdDays,
    sample: 15n,
  },
  {
    name: "DefaultThresholdDays",
    field: "defaultThresholdDays",
    min: DEFAULT_POLICY.gracePeriodDays,
    max: MAX_UINT16,
    sample: 120n,
  },
];

describe("SandboxPolicy", function () {
  let sb: Sandbox;
  let spare: HardhatEthersSigner[];
  const env = () => ({ sb, ethers, helpers: networkHelpers, spare });

  before(async function () {
    spare = (await ethers.getSigners()).slice(11);
  });

  beforeEach(async function () {
    sb = await networkHelpers.loadFixture(fixture);
  });

  it("starts open, running and uncapped: the deployment sets no limit", async function () {
    expect(await policyOf(sb)).to.deep.equal({ ...DEFAULT_POLICY });
    expect((await sb.controller.settlementDeadlines(0)).map((s) => s / 86_400n)).to.deep.equal([0n, 90n]);
  });

  describe("setLimit", function () {
    for (const { name, field, min, max, sample } of LIMITS) {
      const limit = Limit[name];

      describe(`Limit.${name}`, function () {
        it(`sets the value: LimitChanged with previous and current, policy().${field} reflects it alone`, async function () {
          await expect(sb.controller.connect(sb.regulator).setLimit(limit, sample, REASON))
            .to.emit(sb.controller, "LimitChanged")
            .withArgs(limit, DEFAULT_POLICY[field], sample, sb.regulator.address, REASON);
          expect(await policyOf(sb)).to.deep.equal({ ...DEFAULT_POLICY, [field]: sample });

          await expect(sb.controller.connect(sb.regulator).setLimit(limit, min, "second change"))
            .to.emit(sb.controller, "LimitChanged")
            .withArgs(limit, sample, min, sb.regulator.address, "second change");
          expect((await policyOf(sb))[field]).to.equal(min);
        });

        it(`accepts the bounds of its range [${min}, ${max}]`, async function () {
          for (const value of [min, max]) {
            await setLimit(sb, limit, value);
            expect((await policyOf(sb))[field]).to.equal(value);
          }
        });

        if (min > 0n) {
          it(`rejects ${min - 1n}, one under the range`, async function () {
            await expect(sb.controller.connect(sb.regulator).setLimit(limit, min - 1n, REASON))
              .to.be.revertedWithCustomError(sb.controller, "LimitOutOfRange")
              .withArgs(limit, min - 1n, min, max);
          });
        }

        it("rejects one over the range, and the largest uint256", async function () {
          for (const value of [max + 1n, ethers.MaxUint256]) {
            await expect(sb.controller.connect(sb.regulator).setLimit(limit, value, REASON))
              .to.be.revertedWithCustomError(sb.controller, "LimitOutOfRange")
              .withArgs(limit, value, min, max);
          }
          expect(await policyOf(sb)).to.deep.equal({ ...DEFAULT_POLICY });
        });

        shouldBeRegulatorOnly(env, (s, caller, reason) =>
          s.controller.connect(caller).setLimit(limit, sample, reason),
        );
      });
    }

    it("rejects a limit outside the enum", async function () {
      await expect(
        sb.controller.connect(sb.regulator).setLimit(11, 1n, REASON),
      ).to.be.revertedWithoutReason(ethers);
    });

    it("checks the reason before the range", async function () {
      await expect(
        sb.controller.connect(sb.regulator).setLimit(Limit.MaxTenorDays, 0n, ""),
      ).to.be.revertedWithCustomError(sb.controller, "ReasonRequired");
    });

    describe("grace period and default threshold", function () {
      it("the grace period may reach the default threshold, not pass it", async function () {
        await setLimit(sb, Limit.GracePeriodDays, 90n);
        expect((await sb.controller.settlementDeadlines(0)).map((s) => s / 86_400n)).to.deep.equal([90n, 90n]);
        await expect(
          sb.controller.connect(sb.regulator).setLimit(Limit.GracePeriodDays, 91n, REASON),
        )
          .to.be.revertedWithCustomError(sb.controller, "LimitOutOfRange")
          .withArgs(Limit.GracePeriodDays, 91n, 0n, 90n);
      });

      it("the default threshold may come down to the grace period, not under it", async function () {
        await setLimit(sb, Limit.GracePeriodDays, 30n);
        await expect(
          sb.controller.connect(sb.regulator).setLimit(Limit.DefaultThresholdDays, 29n, REASON),
        )
          .to.be.revertedWithCustomError(sb.controller, "LimitOutOfRange")
          .withArgs(Limit.DefaultThresholdDays, 29n, 30n, MAX_UINT16);
        await setLimit(sb, Limit.DefaultThresholdDays, 30n);
        expect((await sb.controller.settlementDeadlines(0)).map((s) => s / 86_400n)).to.deep.equal([30n, 30n]);
      });

      it("raising the default threshold first lets the grace period follow", async function () {
        await expect(
          sb.controller.connect(sb.regulator).setLimit(Limit.GracePeriodDays, 200n, REASON),
        )
          .to.be.revertedWithCustomError(sb.controller, "LimitOutOfRange")
          .withArgs(Limit.GracePeriodDays, 200n, 0n, 90n);
        await setLimit(sb, Limit.DefaultThresholdDays, 365n);
        await setLimit(sb, Limit.GracePeriodDays, 200n);
        expect((await sb.controller.settlementDeadlines(0)).map((s) => s / 86_400n)).to.deep.equal([200n, 365n]);
        await expect(
          sb.controller.connect(sb.regulator).setLimit(Limit.DefaultThresholdDays, 199n, REASON),
        )
          .to.be.revertedWithCustomError(sb.controller, "LimitOutOfRange")
          .withArgs(Limit.DefaultThresholdDays, 199n, 200n, MAX_UINT16);
      });
    });
  });

  describe("setPilotWindow", function () {
    it("sets the window: event, and policy() reflects it", async function () {
      const start = 1_800_000_000n;
      const end = 1_900_000_000n;
      await expect(sb.controller.connect(sb.regulator).setPilotWindow(start, end, REASON))
        .to.emit(sb.controller, "PilotWindowChanged")
        .withArgs(start, end, sb.regulator.address, REASON);
      expect(await policyOf(sb)).to.deep.equal({
        ...DEFAULT_POLICY,
        pilotStart: start,
        pilotEnd: end,
      });
    });

    it("accepts a window of one second (start just before end)", async function () {
      await sb.controller.connect(sb.regulator).setPilotWindow(100n, 101n, REASON);
      const p = await policyOf(sb);
      expect([p.pilotStart, p.pilotEnd]).to.deep.equal([100n, 101n]);
    });

    it("rejects a window that does not start before it ends", async function () {
      for (const [start, end] of [
        [500n, 500n],
        [501n, 500n],
        [MAX_UINT32, 0n],
      ]) {
        await expect(sb.controller.connect(sb.regulator).setPilotWindow(start, end, REASON))
          .to.be.revertedWithCustomError(sb.controller, "InvalidPilotWindow")
          .withArgs(start, end);
      }
    });

    shouldBeRegulatorOnly(env, (s, caller, reason) =>
      s.controller.connect(caller).setPilotWindow(1n, MAX_UINT32, reason),
    );
  });

  describe("pause and resume", function () {
    it("pauses: event, and policy().paused", async function () {
      await expect(sb.controller.connect(sb.regulator).pause(REASON))
        .to.emit(sb.controller, "SandboxPaused")
        .withArgs(sb.regulator.address, REASON);
      expect(await policyOf(sb)).to.deep.equal({ ...DEFAULT_POLICY, paused: true });
    });

    it("resumes: event, and the policy is back to running", async function () {
      await sb.controller.connect(sb.regulator).pause(REASON);
      await expect(sb.controller.connect(sb.regulator).resume("all clear"))
        .to.emit(sb.controller, "SandboxResumed")
        .withArgs(sb.regulator.address, "all clear");
      expect(await policyOf(sb)).to.deep.equal({ ...DEFAULT_POLICY });
    });

    it("rejects pausing a paused sandbox and resuming a running one", async function () {
      await expect(sb.controller.connect(sb.regulator).resume(REASON))
        .to.be.revertedWithCustomError(sb.controller, "PauseStateUnchanged")
        .withArgs(false);
      await sb.controller.connect(sb.regulator).pause(REASON);
      await expect(sb.controller.connect(sb.regulator).pause(REASON))
        .to.be.revertedWithCustomError(sb.controller, "PauseStateUnchanged")
        .withArgs(true);
    });

    it("the regulator still governs while paused", async function () {
      await sb.controller.connect(sb.regulator).pause(REASON);
      await expect(
        sb.controller.connect(sb.regulator).setLimit(Limit.MaxTierDepth, 3n, REASON),
      ).to.emit(sb.controller, "LimitChanged");
      await expect(
        sb.controller.connect(sb.regulator).admit(spare[5].address, Role.Bank, NO_EXPIRY),
      ).to.emit(sb.controller, "ParticipantAdmitted");
      await expect(
        sb.controller.connect(sb.regulator).freeze(sb.suppliers[0].address, REASON),
      ).to.emit(sb.controller, "ParticipantFrozen");
      await expect(sb.controller.connect(sb.regulator).startWindDown(REASON)).to.emit(
        sb.controller,
        "WindDownStarted",
      );
      await expect(sb.controller.checkSupervisor(sb.regulator.address)).not.to.revert(ethers);
    });

    describe("pause", function () {
      shouldBeRegulatorOnly(env, (s, caller, reason) => s.controller.connect(caller).pause(reason));
    });

    describe("resume", function () {
      beforeEach(async function () {
        await sb.controller.connect(sb.regulator).pause(REASON);
      });
      shouldBeRegulatorOnly(env, (s, caller, reason) =>
        s.controller.connect(caller).resume(reason),
      );
    });
  });

  describe("startWindDown", function () {
    it("starts the wind-down: event, and policy().windingDown", async function () {
      await expect(sb.controller.connect(sb.regulator).startWindDown(REASON))
        .to.emit(sb.controller, "WindDownStarted")
        .withArgs(sb.regulator.address, REASON);
      expect(await policyOf(sb)).to.deep.equal({ ...DEFAULT_POLICY, windingDown: true });
    });

    it("is one way: it cannot start twice, and pause/resume or a new window leave it on", async function () {
      await sb.controller.connect(sb.regulator).startWindDown(REASON);
      await expect(
        sb.controller.connect(sb.regulator).startWindDown(REASON),
      ).to.be.revertedWithCustomError(sb.controller, "WindDownAlreadyStarted");
      await sb.controller.connect(sb.regulator).pause(REASON);
      await sb.controller.connect(sb.regulator).resume(REASON);
      await sb.controller.connect(sb.regulator).setPilotWindow(0n, MAX_UINT32, REASON);
      expect((await policyOf(sb)).windingDown).to.equal(true);
    });

    it("a second regulator cannot start it again either", async function () {
      const second = await admitRegulator(sb, spare[0]);
      await sb.controller.connect(sb.regulator).startWindDown(REASON);
      await expect(
        sb.controller.connect(second).startWindDown(REASON),
      ).to.be.revertedWithCustomError(sb.controller, "WindDownAlreadyStarted");
    });

    shouldBeRegulatorOnly(env, (s, caller, reason) =>
      s.controller.connect(caller).startWindDown(reason),
    );
  });
});
