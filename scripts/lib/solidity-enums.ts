/**
 * The enums the contracts declare, read from the compiler's AST (a build-info output's sources):
 * the generator writes them into domain/generated, and a boundary test compares the TypeScript
 * side with them. Solidity enums travel as uint8 in the ABI, without their names.
 */

export interface SolidityEnum {
  name: string;
  /** The source file, relative to the project (contracts/...). */
  source: string;
  /** The members' names in declaration order: member i is the value i. */
  members: string[];
  /** The enum's NatSpec, if any. */
  doc?: string;
}

interface AstNode {
  nodeType?: string;
  name?: string;
  members?: { name: string }[];
  documentation?: { text?: string } | null;
  nodes?: AstNode[];
}

/** Build-info output sources of the project's own contracts are named `project/contracts/...`. */
const PROJECT = "project/";

/** Every enum declared in the project's contracts (file level or inside a contract), once each. */
export function enumsFromSources(sources: Record<string, { ast?: AstNode }>): SolidityEnum[] {
  const found = new Map<string, SolidityEnum>();
  for (const [sourceName, { ast }] of Object.entries(sources)) {
    if (!sourceName.startsWith(`${PROJECT}contracts/`) || ast === undefined) continue;
    const source = sourceName.slice(PROJECT.length);
    const visit = (node: AstNode) => {
      if (node.nodeType === "EnumDefinition" && node.name !== undefined) {
        const members = (node.members ?? []).map((m) => m.name);
        const previous = found.get(node.name);
        if (previous !== undefined && (previous.source !== source || previous.members.join() !== members.join())) {
          throw new Error(`two contract enums called ${node.name} (${previous.source}, ${source}): the TypeScript side names them once`);
        }
        found.set(node.name, { name: node.name, source, members, doc: node.documentation?.text ?? undefined });
      }
      node.nodes?.forEach(visit);
    };
    visit(ast);
  }
  return [...found.values()].sort((a, b) => a.source.localeCompare(b.source) || a.name.localeCompare(b.name));
}
