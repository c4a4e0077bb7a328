/**
 * A service's call to a contract is something an editor can follow: TypeScript's language service
 * (what VS Code and other editors ask) takes "go to definition" on the method of a real call to
 * the generated declaration, whose hover text is the Solidity function's NatSpec and whose @see
 * names the line of its body; and an argument of the wrong type fails to compile.
 */
import { readFileSync } from "node:fs";
import path from "node:path";

import { FunctionFragment } from "ethers";
import hre from "hardhat";
import ts from "typescript";
import { describe, expect, it } from "vitest";

import { abis } from "../../../domain/generated/contracts.js";
import type { Actor, Ctx } from "../../src/services/context.js";
import { calls, views } from "../../src/services/calls.js";

const root = path.resolve(import.meta.dirname, "../../..");
const serviceFile = path.join(root, "server/src/services/invoices.ts");
const declarations = path.join(root, "domain/generated/calls.ts");
/** A file only the language service sees, with calls that must not compile. */
const wrongFile = path.join(root, "server/test/boundary/wrong-calls.virtual.ts");
const wrongSource = `import { calls } from "../../src/services/calls.js";
import type { Actor, Ctx } from "../../src/services/context.js";
export function wrong(ctx: Ctx, actor: Actor) {
  return calls(ctx, actor).ReceivableLedger.confirmInvoice(42);
}
`;

/** A language service over the repository's own tsconfig.json, as an editor opens it. */
function languageService(): ts.LanguageService {
  const config = ts.getParsedCommandLineOfConfigFile(path.join(root, "tsconfig.json"), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} });
  if (config === undefined) throw new Error("tsconfig.json did not parse");
  // Only the files a service call reaches (the editor's view of one open file), so the test stays quick.
  const files = [serviceFile, wrongFile];
  const host: ts.LanguageServiceHost = {
    getCompilationSettings: () => config.options,
    getScriptFileNames: () => files,
    getScriptVersion: () => "1",
    getScriptSnapshot: (file) => {
      const text = file === wrongFile ? wrongSource : ts.sys.readFile(file);
      return text === undefined ? undefined : ts.ScriptSnapshot.fromString(text);
    },
    getCurrentDirectory: () => root,
    getDefaultLibFileName: (options) => ts.getDefaultLibFilePath(options),
    fileExists: (file) => file === wrongFile || ts.sys.fileExists(file),
    readFile: (file) => (file === wrongFile ? wrongSource : ts.sys.readFile(file)),
    readDirectory: ts.sys.readDirectory,
    directoryExists: ts.sys.directoryExists,
    getDirectories: ts.sys.getDirectories,
  };
  return ts.createLanguageService(host, ts.createDocumentRegistry());
}

/** The userdoc notice the compiler gives `contract.method` (the text written in the Solidity source). */
async function noticeOf(contract: keyof typeof abis, method: string): Promise<string> {
  const id = await hre.artifacts.getBuildInfoId(contract);
  const outputPath = id === undefined ? undefined : await hre.artifacts.getBuildInfoOutputPath(id);
  if (outputPath === undefined) throw new Error(`no build info for ${contract}`);
  const artifact = await hre.artifacts.readArtifact(contract);
  const output = JSON.parse(readFileSync(outputPath, "utf8")) as {
    output: { contracts: Record<string, Record<string, { userdoc: { methods: Record<string, { notice?: string }> } }>> };
  };
  const item = abis[contract].find((i) => i.type === "function" && i.name === method)!;
  const notice = output.output.contracts[artifact.inputSourceName!][contract].userdoc.methods[FunctionFragment.from(item).format("sighash")]?.notice;
  if (notice === undefined) throw new Error(`${contract}.${method} has no @notice`);
  return notice;
}

const words = (text: string) => text.replace(/\s+/g, " ").trim();

describe("contract call declarations", () => {
  const service = languageService();

  it("when a developer goes to the definition of a service's contract call, then it is the generated declaration, showing the function's @notice and the line of its Solidity body", async () => {
    const text = readFileSync(serviceFile, "utf8");
    const call = text.indexOf(".ReceivableLedger.submitInvoice(");
    expect(call, "InvoiceService.submit calls ReceivableLedger.submitInvoice").toBeGreaterThan(0);
    const position = call + ".ReceivableLedger.".length + 2;

    const [definition, ...others] = service.getDefinitionAtPosition(serviceFile, position) ?? [];
    expect(others).toEqual([]);
    expect(path.resolve(definition.fileName)).toBe(declarations);
    const generated = readFileSync(declarations, "utf8");
    expect(generated.slice(definition.textSpan.start, definition.textSpan.start + definition.textSpan.length)).toBe("submitInvoice");
    expect(definition.containerName).toBe("ReceivableLedgerWrites");

    const info = service.getQuickInfoAtPosition(serviceFile, position);
    const documentation = words(ts.displayPartsToString(info?.documentation));
    expect(documentation).toContain(words(await noticeOf("ReceivableLedger", "submitInvoice")));
    expect(ts.displayPartsToString(info?.displayParts)).toContain("submitInvoice(buyer: string, invoiceNumber: string, faceAmount: number | bigint");
    const see = (info?.tags ?? []).filter((tag) => tag.name === "see").map((tag) => ts.displayPartsToString(tag.text));
    const [, file, line] = /`([^`:]+):(\d+)`/.exec(see[0]) ?? [];
    expect(readFileSync(path.join(root, file), "utf8").split("\n")[Number(line) - 1]).toMatch(/^\s*function submitInvoice\(/);
  });

  it("when a call passes an argument of the wrong type, then it does not compile", () => {
    const diagnostics = service.getSemanticDiagnostics(wrongFile).map((d) => ({ code: d.code, at: wrongSource.slice(d.start, d.start! + d.length!) }));
    // TS2345: "Argument of type 'number' is not assignable to parameter of type 'string'" (bytes32 invoiceId).
    expect(diagnostics).toEqual([{ code: 2345, at: "42" }]);
  });
});

/** Checked by `tsc` (never run): each line must fail to compile, else the directive itself is an error. */
export function wrongCalls(ctx: Ctx, actor: Actor) {
  return [
    // @ts-expect-error the invoice number is a string
    calls(ctx, actor).ReceivableLedger.submitInvoice(actor.address, 7, 100n, 0, 1, "0x00"),
    // @ts-expect-error a view is not sent as a transaction
    calls(ctx, actor).ReceivableLedger.quoteFinancing("0x00", 0, 500),
    // @ts-expect-error the contract has no such function
    views(ctx).ReceivableLedger.submitInvoices(),
    // @ts-expect-error one argument is missing
    views(ctx).ReceivableLedger.quoteFinancing("0x00", 0),
  ];
}
