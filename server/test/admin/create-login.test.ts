import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import { afterAll, describe, expect, it } from "vitest";

import { AdminError, createLogin } from "../../src/admin.js";
import { loadConfig } from "../../src/config.js";
import { startPlatform } from "../../src/platform.js";

async function failure(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error("expected a failure");
}

describe("the first-administrator command", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "scf-admin-"));
  const env = { SCF_DATA_DIR: dir, SCF_SEED_DEMO: "false", SCF_ADMIN_PASSWORD: "first-regulator-pw" };
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("when run on an empty data directory, then the regulator can sign in and the next start keeps the pilot", async () => {
    const message = await createLogin(["create-login", "--role", "regulator", "--username", "supervisor"], env);
    expect(message).toMatch(/Created the regulator's login supervisor/);

    const platform = await startPlatform({ ...loadConfig(env), chainPort: 0 }, { background: false });
    try {
      expect(platform.fresh).toBe(false);
      // A start that found setup pending would wipe the directory (main.ts): it must not.
      expect(platform.setupPending).toBe(false);
      const session = await platform.services.auth.login("supervisor", "first-regulator-pw");
      expect(session.actor.role).toBe("Regulator");
      expect(session.actor.address).toBe(platform.regulator.address);
    } finally {
      await platform.close();
    }
  });

  it("when the regulator already has a login, then a second one is refused", async () => {
    const error = await failure(createLogin(["create-login", "--role", "regulator", "--username", "another"], env));
    expect(error).toBeInstanceOf(AdminError);
    expect(error.message).toMatch(/already has a login \(supervisor\)/);
  });

  it("when the arguments break a rule, then it names the field and the rule", async () => {
    const error = await failure(createLogin(["create-login", "--role", "banker", "--username", "x"], { ...env, SCF_ADMIN_PASSWORD: "short" }));
    expect(error).toBeInstanceOf(AdminError);
    expect(error.message).toMatch(/role: --role must be regulator or operator/);
    expect(error.message).toMatch(/username: must be 3-32/);
    expect(error.message).toMatch(/password: must be at least 8/);
  });
});
