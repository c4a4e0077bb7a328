/**
 * Writes domain/generated/contracts.ts: the ABIs of the deployed contracts (from the build's
 * artifacts), every custom error they can surface, and the addresses of the default local
 * deployment (chain 31337), learned by running the production Ignition module on an in-process
 * chain. The server, the web UI and the simulator import this module; nobody edits it by hand.
 * Also writes domain/generated/enums.ts, the contracts' enums from the compiler's AST and their
 * event names (a module of its own, so the web UI takes them without the ABIs); domain/enums.ts
 * re-exports the enums. And writes domain/generated/calls.ts, a typed declaration per contract
 * function carrying its NatSpec and source line, which the server's call objects implement.
 *
 * Run by `npm run build`; run it again after changing a contract or the Ignition module.
 */
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";

import hre, { network } from "hardhat";

import SandboxModule from "../ignition/modules/Sandbox.js";
import { callDeclarationsModule, type ContractSurface } from "./lib/call-declarations.js";
import { functionDocs, repositoryPath, type AbiFunction, type BuildInfo } from "./lib/natspec.js";
import { enumsFromSources, type SolidityEnum } from "./lib/solidity-enums.js";

const CONTRACTS = ["SettlementToken", "SandboxController", "ReceivableLedger"] as const;
const OUT = path.join(hre.config.paths.root, "domain", "generated", "contracts.ts");
const ENUMS_OUT = path.join(hre.config.paths.root, "domain", "generated", "enums.ts");
const CALLS_OUT = path.join(hre.config.paths.root, "domain", "generated", "calls.ts");

interface AbiItem {
  type: string;
  name?: string;
  inputs?: { type: string }[];
}

const abis: Record<string, AbiItem[]> = {};
for (const name of CONTRACTS) {
  const artifact = await hre.artifacts.readArtifact(name);
  abis[name] = artifact.abi as AbiItem[];
}

// Every error any of them can raise, once each: a revert in the ledger may come from the
// controller or the token, so clients decode with this list.
const errors = new Map<string, AbiItem>();
for (const abi of Object.values(abis)) {
  for (const item of abi) {
    if (item.type !== "error") continue;
    const signature = `${item.name}(${(item.inputs ?? []).map((i) => i.type).join(",")})`;
    errors.set(signature, item);
  }
}

// The build info (compiler input and output) each deployed contract was compiled in.
const buildInfos = new Map<string, BuildInfo>();
async function buildInfoOf(name: string): Promise<BuildInfo> {
  const id = await hre.artifacts.getBuildInfoId(name);
  const inputPath = id === undefined ? undefined : await hre.artifacts.getBuildInfoPath(id);
  const outputPath = id === undefined ? undefined : await hre.artifacts.getBuildInfoOutputPath(id);
  if (id === undefined || inputPath === undefined || outputPath === undefined) throw new Error(`no build info for ${name}: run \`hardhat build\``);
  let info = buildInfos.get(id);
  if (info === undefined) {
    const [input, output] = await Promise.all([inputPath, outputPath].map(async (file) => JSON.parse(await readFile(file, "utf8"))));
    buildInfos.set(id, (info = { input: input.input, output: output.output }));
  }
  return info;
}

// The enums of the sources the deployed contracts were compiled from (their build infos' ASTs).
const enumSources: Parameters<typeof enumsFromSources>[0] = {};
for (const name of CONTRACTS) Object.assign(enumSources, (await buildInfoOf(name)).output.sources);
const enums = enumsFromSources(enumSources);

// Each function's NatSpec and source line, for the typed call declarations.
const surfaces: ContractSurface[] = [];
for (const name of CONTRACTS) {
  const artifact = await hre.artifacts.readArtifact(name);
  const sourceName = artifact.inputSourceName ?? `project/${artifact.sourceName}`;
  surfaces.push({
    name,
    source: repositoryPath(sourceName),
    functions: (artifact.abi as AbiFunction[]).filter((item) => item.type === "function"),
    docs: functionDocs(await buildInfoOf(name), sourceName, name),
  });
}

const { ethers, ignition } = await network.create();
const deployed = await ignition.deploy(SandboxModule, { displayUi: false });
const chainId = (await ethers.provider.getNetwork()).chainId;
const latest = await ethers.provider.getBlockNumber();
const addresses: Record<string, { address: string; deployBlock: number }> = {};
const keyOf = { SettlementToken: "token", SandboxController: "controller", ReceivableLedger: "ledger" } as const;
for (const name of CONTRACTS) {
  const address = await deployed[keyOf[name]].getAddress();
  // The first block whose state holds the contract's code (indexers start scanning there).
  let deployBlock = 0;
  while (deployBlock < latest && (await ethers.provider.getCode(address, deployBlock)) === "0x") deployBlock++;
  addresses[name] = { address, deployBlock };
}

const json = (value: unknown) => JSON.stringify(value, null, 2);
const source = `// GENERATED by scripts/export-contracts.ts from the contract build: do not edit.
// Regenerate with \`npm run build\`.

export const contractNames = ${json(CONTRACTS)} as const;

export type ContractName = (typeof contractNames)[number];

export const abis = {
${CONTRACTS.map((n) => `  ${n}: ${json(abis[n]).replace(/\n/g, "\n  ")},`).join("\n")}
} as const;

/** Every custom error the deployed contracts can raise, for decoding reverts. */
export const errorsAbi = ${json([...errors.values()])} as const;

/** Addresses of the default local deployment (production Ignition module, account 0 deploys). */
export const deployments = {
  "${chainId}": ${json(addresses).replace(/\n/g, "\n  ")},
} as const;
`;

/** One enum as a const object of its members' values, with its NatSpec and where it is declared. */
const enumSource = (e: SolidityEnum) => {
  const doc = [`${e.source} \`${e.name}\`.`, ...(e.doc === undefined ? [] : e.doc.split("\n").map((l) => l.trim()))].map((l) => ` * ${l}`.trimEnd());
  const members = e.members.map((m, i) => `  ${m}: ${i},`).join("\n");
  return `/**\n${doc.join("\n")}\n */\nexport const ${e.name} = {\n${members}\n} as const;\n`;
};
const events = [...new Set(CONTRACTS.flatMap((n) => abis[n].filter((item) => item.type === "event").map((item) => item.name!)))];
const enumsModule = `// GENERATED by scripts/export-contracts.ts from the contracts' enums (compiler AST): do not edit.
// Regenerate with \`npm run build\`. Member i is the value i, as the ABI carries it (uint8).

${enums.map(enumSource).join("\n")}
/** Every event the deployed contracts emit, by name (the ABIs without the ABIs, for the web UI). */
export const eventNames = ${json(events)} as const;
`;

await mkdir(path.dirname(OUT), { recursive: true });
for (const [file, text] of [
  [OUT, source],
  [ENUMS_OUT, enumsModule],
  [CALLS_OUT, callDeclarationsModule(surfaces)],
] as const) {
  const previous = await readFile(file, "utf8").catch(() => "");
  if (previous !== text) await writeFile(file, text);
}
console.log(`${path.relative(process.cwd(), OUT)}: ${CONTRACTS.length} contracts, ${errors.size} errors, chain ${chainId}`);
console.log(`${path.relative(process.cwd(), ENUMS_OUT)}: ${enums.map((e) => e.name).join(", ")}`);
const documented = surfaces.flatMap((c) => [...c.docs.values()]).filter((d) => d.notice !== undefined || d.dev !== undefined).length;
console.log(`${path.relative(process.cwd(), CALLS_OUT)}: ${surfaces.reduce((n, c) => n + c.functions.length, 0)} functions, ${documented} with NatSpec`);
