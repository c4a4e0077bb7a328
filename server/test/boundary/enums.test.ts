/**
 * The TypeScript side's enums are the contracts' enums: same names, same members in the same
 * order (member i is the value i on chain). domain/enums.ts takes them from the generated module;
 * this fails when that module is older than the contracts (a contract changed, `npm run build`
 * not run) or when anyone spells an enum by hand again.
 */
import { readFile } from "node:fs/promises";

import hre from "hardhat";
import { describe, expect, it } from "vitest";

import * as enums from "../../../domain/enums.js";
import { contractNames } from "../../../domain/generated/contracts.js";
import { enumsFromSources } from "../../../scripts/lib/solidity-enums.js";

async function contractEnums() {
  const sources: Parameters<typeof enumsFromSources>[0] = {};
  for (const name of contractNames) {
    const id = await hre.artifacts.getBuildInfoId(name);
    const outputPath = id === undefined ? undefined : await hre.artifacts.getBuildInfoOutputPath(id);
    if (outputPath === undefined) throw new Error(`no build info for ${name}`);
    Object.assign(sources, (JSON.parse(await readFile(outputPath, "utf8")) as { output: { sources: typeof sources } }).output.sources);
  }
  return enumsFromSources(sources);
}

describe("contract enums", () => {
  it("when the contracts declare an enum, then domain/enums.ts exports it with the same members at the same values", async () => {
    const declared = await contractEnums();
    expect(declared.map((e) => e.name)).toEqual(expect.arrayContaining(["FinancingStatus", "InvoiceStatus", "Limit", "PieceStatus", "Role"]));
    for (const e of declared) {
      const exported = (enums as unknown as Record<string, Record<string, number> | undefined>)[e.name];
      expect(exported, `domain/enums.ts does not export ${e.name}`).toBeDefined();
      expect(Object.entries(exported!), e.name).toEqual(e.members.map((member, value) => [member, value]));
    }
  });

  it("when a value is named, then it is the name the contract gives that value", () => {
    expect(enums.nameOf(enums.Role, 3n)).toBe("Bank");
    expect(enums.nameOf(enums.InvoiceStatus, 6)).toBe("Settled");
    expect(() => enums.nameOf(enums.PieceStatus, 4)).toThrow(RangeError);
  });
});
