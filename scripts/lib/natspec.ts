/**
 * Each public function's NatSpec and source line, from a Hardhat build info: the compiler's
 * userdoc and devdoc (which resolve `@inheritdoc`, so an implementation gets its interface's text)
 * and the AST's `src` offsets. scripts/export-contracts.ts copies them onto the generated call
 * declarations, so a developer's editor goes from a call in a service to the function's doc.
 */
import { ErrorFragment, FunctionFragment } from "ethers";

export interface AbiFunction {
  type: "function";
  name: string;
  stateMutability: string;
  inputs: { name: string; type: string; internalType?: string }[];
  outputs: { name: string; type: string; internalType?: string }[];
}

export interface FunctionDoc {
  /** The canonical signature, e.g. `submitInvoice(address,string,uint256,uint32,uint32,bytes32)`. */
  signature: string;
  notice?: string;
  dev?: string;
  params: Record<string, string>;
  /** By output name, or `_0`, `_1`... for unnamed outputs (as the compiler keys them). */
  returns: Record<string, string>;
  /** The custom errors the function's doc names (`{ErrorName}`), with their own doc. */
  raises: { name: string; doc?: string }[];
  /** Where the function's body (or the public variable) is, as `path:line`. */
  implementation?: string;
  /** Where its documentation is written, when elsewhere (an interface the body `@inheritdoc`s). */
  documented?: string;
}

interface MethodDoc {
  notice?: string;
  details?: string;
  params?: Record<string, string>;
  returns?: Record<string, string>;
}
interface NatSpec {
  methods?: Record<string, MethodDoc>;
  stateVariables?: Record<string, { details?: string; return?: string; returns?: Record<string, string> }>;
  errors?: Record<string, { details?: string; notice?: string }[]>;
}
interface AstNode {
  id?: number;
  nodeType?: string;
  name?: string;
  src?: string;
  kind?: string;
  implemented?: boolean;
  functionSelector?: string;
  linearizedBaseContracts?: number[];
  documentation?: { text?: string } | null;
  nodes?: AstNode[];
}

/** The `@notice` (or untagged) and `@dev` text of a raw NatSpec comment, one line each. */
function tags(text: string): { notice?: string; dev?: string } {
  const found: { notice?: string; dev?: string } = {};
  for (const part of text.split(/^\s*(?=@\w+)/m)) {
    const tag = /^@(\w+)\s*/.exec(part);
    const key = tag === null || tag[1] === "notice" ? "notice" : tag[1] === "dev" ? "dev" : undefined;
    const body = part.slice(tag?.[0].length ?? 0).replace(/\s+/g, " ").trim();
    if (key !== undefined && body !== "") found[key] = found[key] === undefined ? body : `${found[key]} ${body}`;
  }
  return found;
}

/** The parts of a build info (input and output files) this reads. */
export interface BuildInfo {
  input: { sources: Record<string, { content: string }> };
  output: {
    contracts: Record<string, Record<string, { abi: unknown[]; devdoc?: NatSpec; userdoc?: NatSpec; evm?: { methodIdentifiers?: Record<string, string> } }>>;
    sources: Record<string, { ast: AstNode }>;
  };
}

/**
 * A build-info source name as a path in the repository: the project's own files are
 * `project/<path>`, a package's `npm/<name>@<version>/<path>` (installed in node_modules).
 */
export function repositoryPath(sourceName: string): string {
  if (sourceName.startsWith("project/")) return sourceName.slice("project/".length);
  const npm = /^npm\/((?:@[^/]+\/)?[^/@]+)@[^/]+\/(.*)$/.exec(sourceName);
  return npm === null ? sourceName : `node_modules/${npm[1]}/${npm[2]}`;
}

/** Every contract definition of the build, by AST id, with the source it is declared in. */
function contractsById(info: BuildInfo): Map<number, { node: AstNode; source: string }> {
  const byId = new Map<number, { node: AstNode; source: string }>();
  for (const [source, { ast }] of Object.entries(info.output.sources)) {
    for (const node of ast.nodes ?? []) if (node.nodeType === "ContractDefinition" && node.id !== undefined) byId.set(node.id, { node, source });
  }
  return byId;
}

/** `path:line` of an AST node (`src` is "byte offset:length:file index"; the line is 1-based). */
function lineOf(info: BuildInfo, source: string, src: string): string {
  const offset = Number(src.split(":")[0]);
  const before = Buffer.from(info.input.sources[source].content, "utf8").subarray(0, offset).toString("utf8");
  return `${repositoryPath(source)}:${before.split("\n").length}`;
}

/**
 * The docs of every function in `contract`'s ABI, keyed by name (the deployed contracts have no
 * overloads; a name seen twice is an error, as the generated declarations key by name).
 */
export function functionDocs(info: BuildInfo, sourceName: string, contract: string): Map<string, FunctionDoc> {
  const output = info.output.contracts[sourceName]?.[contract];
  if (output === undefined) throw new Error(`${contract} is not in the build info's ${sourceName}`);
  const byId = contractsById(info);
  const definition = [...byId.values()].find((c) => c.source === sourceName && c.node.name === contract);
  if (definition === undefined) throw new Error(`no AST for ${contract} in ${sourceName}`);
  const bases = (definition.node.linearizedBaseContracts ?? []).map((id) => byId.get(id)!);
  // Each custom error of the contract, with its notice and details (if it has any).
  const errorDocs = new Map<string, string | undefined>();
  for (const item of output.abi as { type: string; name: string }[]) {
    if (item.type !== "error") continue;
    const signature = ErrorFragment.from(item).format("sighash");
    const text = [output.userdoc?.errors?.[signature]?.[0]?.notice, output.devdoc?.errors?.[signature]?.[0]?.details].filter(Boolean).join(" ");
    errorDocs.set(item.name, text === "" ? undefined : text);
  }

  const docs = new Map<string, FunctionDoc>();
  for (const item of output.abi as AbiFunction[]) {
    if (item.type !== "function") continue;
    if (docs.has(item.name)) throw new Error(`${contract}.${item.name} is overloaded: the call declarations key functions by name`);
    const signature = FunctionFragment.from(item).format("sighash");
    const selector = output.evm?.methodIdentifiers?.[signature];
    const user = output.userdoc?.methods?.[signature];
    const dev = output.devdoc?.methods?.[signature];
    const variable = output.devdoc?.stateVariables?.[item.name];
    const doc: FunctionDoc = {
      signature,
      notice: user?.notice,
      dev: dev?.details ?? variable?.details,
      params: dev?.params ?? {},
      returns: dev?.returns ?? variable?.returns ?? (variable?.return === undefined ? {} : { _0: variable.return }),
      raises: [],
    };
    // The body: the most derived definition with this selector; the text: the most derived one
    // written out (not an `@inheritdoc`).
    for (const base of bases) {
      const node = (base.node.nodes ?? []).find(
        (n) => n.functionSelector === selector && (n.nodeType === "VariableDeclaration" || (n.nodeType === "FunctionDefinition" && n.kind === "function")),
      );
      if (node?.src === undefined) continue;
      const where = lineOf(info, base.source, node.src);
      if (doc.implementation === undefined && (node.nodeType === "VariableDeclaration" || node.implemented === true)) doc.implementation = where;
      const text = node.documentation?.text?.trim();
      if (doc.documented === undefined && text !== undefined && text !== "" && !text.startsWith("@inheritdoc")) {
        doc.documented = where;
        // The compiler's devdoc leaves out a public variable declared in a base contract.
        if (doc.notice === undefined && doc.dev === undefined) Object.assign(doc, tags(text));
      }
    }
    if (doc.documented === doc.implementation) doc.documented = undefined;
    const prose = `${doc.notice ?? ""} ${doc.dev ?? ""}`;
    for (const [, name] of prose.matchAll(/\{(\w+)\}/g)) {
      if (errorDocs.has(name) && !doc.raises.some((r) => r.name === name)) doc.raises.push({ name, doc: errorDocs.get(name) });
    }
    docs.set(item.name, doc);
  }
  return docs;
}
