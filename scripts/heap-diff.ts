/**
 * Compares two V8 heap snapshots of one process (`BENCH_HEAP_SNAPSHOTS=dir npm run bench:memory`
 * writes one after each measurement), with no browser: what the JavaScript heap gained, and who
 * holds it. Usage: `node --max-old-space-size=4096 --import tsx scripts/heap-diff.ts A B [top]`.
 *
 * Prints (1) self size and count by type and constructor, B against A; (2) the objects of B that A
 * did not have (a snapshot's object ids are stable within a process), by the same groups; (3) for
 * the largest groups of (2), the most common shortest retainer paths from the GC roots (weak
 * edges left out; an async function's frame shows as Generator(name)).
 */
import { readFileSync } from "node:fs";

interface Snapshot {
  nodeFields: number;
  edgeFields: number;
  types: string[];
  edgeTypes: string[];
  strings: string[];
  nodes: number[];
  edges: number[];
  count: number;
}

// Field order of V8's .heapsnapshot (snapshot.meta): node [type, name, id, self_size, edge_count, ...], edge [type, name_or_index, to_node].
const TYPE = 0, NAME = 1, ID = 2, SIZE = 3, EDGES = 4;
const E_TYPE = 0, E_NAME = 1, E_TO = 2;

function load(file: string): Snapshot {
  const j = JSON.parse(readFileSync(file, "utf8")) as {
    snapshot: { meta: { node_fields: string[]; edge_fields: string[]; node_types: [string[]]; edge_types: [string[]] } };
    nodes: number[];
    edges: number[];
    strings: string[];
  };
  const m = j.snapshot.meta;
  const nodeFields = m.node_fields.length;
  return { nodeFields, edgeFields: m.edge_fields.length, types: m.node_types[0], edgeTypes: m.edge_types[0], strings: j.strings, nodes: j.nodes, edges: j.edges, count: j.nodes.length / nodeFields };
}

const field = (h: Snapshot, i: number, f: number) => h.nodes[i * h.nodeFields + f];
const typeOf = (h: Snapshot, i: number) => h.types[field(h, i, TYPE)];
const group = (h: Snapshot, i: number) => (typeOf(h, i).includes("string") ? "string" : `${typeOf(h, i)}:${h.strings[field(h, i, NAME)].slice(0, 60)}`);
const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(2).padStart(8);

function groups(h: Snapshot, keep: (i: number) => boolean = () => true): Map<string, { count: number; size: number; members: number[] }> {
  const g = new Map<string, { count: number; size: number; members: number[] }>();
  for (let i = 0; i < h.count; i++) {
    if (!keep(i)) continue;
    const k = group(h, i);
    const v = g.get(k) ?? { count: 0, size: 0, members: [] };
    v.count++;
    v.size += field(h, i, SIZE);
    v.members.push(i);
    g.set(k, v);
  }
  return g;
}

const [fileA, fileB, topArg] = process.argv.slice(2);
if (fileA === undefined || fileB === undefined) throw new Error("usage: heap-diff.ts A.heapsnapshot B.heapsnapshot [top]");
const TOP = Number(topArg ?? 25);

// A's groups and object ids only: its snapshot is let go before B's is read.
const { before, idsA } = (() => {
  const a = load(fileA);
  const ids = new Set<number>();
  for (let i = 0; i < a.count; i++) ids.add(field(a, i, ID));
  return { before: groups(a), idsA: ids };
})();
const b = load(fileB);
const after = groups(b);

console.log("== growth by type:constructor (self size, B - A) ==");
const rows = [...after].map(([k, v]) => ({ k, size: v.size - (before.get(k)?.size ?? 0), count: v.count - (before.get(k)?.count ?? 0) }));
for (const r of rows.sort((x, y) => y.size - x.size).slice(0, TOP)) console.log(`${mb(r.size)} MB ${String(r.count).padStart(9)}  ${r.k}`);

const fresh = [...groups(b, (i) => !idsA.has(field(b, i, ID)))].sort((x, y) => y[1].size - x[1].size);
console.log("\n== objects of B that A did not have ==");
for (const [k, v] of fresh.slice(0, TOP)) console.log(`${mb(v.size)} MB ${String(v.count).padStart(9)}  ${k}`);

// Edges of each node, retainers (weak and shortcut edges left out), and distances from the root.
const firstEdge = new Uint32Array(b.count + 1);
for (let i = 0; i < b.count; i++) firstEdge[i + 1] = firstEdge[i] + field(b, i, EDGES) * b.edgeFields;
const strong = (e: number) => !["weak", "shortcut"].includes(b.edgeTypes[b.edges[e + E_TYPE]]);
const target = (e: number) => b.edges[e + E_TO] / b.nodeFields;
const retainers: [number, number][][] = Array.from({ length: b.count }, () => []);
for (let i = 0; i < b.count; i++) for (let e = firstEdge[i]; e < firstEdge[i + 1]; e += b.edgeFields) if (strong(e)) retainers[target(e)].push([i, e]);
const dist = new Int32Array(b.count).fill(-1);
const queue = [0];
dist[0] = 0;
for (let q = 0; q < queue.length; q++) {
  const i = queue[q];
  for (let e = firstEdge[i]; e < firstEdge[i + 1]; e += b.edgeFields) {
    if (strong(e) && dist[target(e)] < 0) {
      dist[target(e)] = dist[i] + 1;
      queue.push(target(e));
    }
  }
}
const fnOf = (i: number) => {
  for (let e = firstEdge[i]; e < firstEdge[i + 1]; e += b.edgeFields) {
    if (!["element", "hidden"].includes(b.edgeTypes[b.edges[e + E_TYPE]]) && b.strings[b.edges[e + E_NAME]] === "function") return b.strings[field(b, target(e), NAME)];
  }
  return "";
};
const label = (i: number) => {
  const name = b.strings[field(b, i, NAME)];
  return typeOf(b, i).includes("string") ? "string" : `${typeOf(b, i)}:${name.slice(0, 40)}${name === "Generator" ? `(${fnOf(i)})` : ""}`;
};
// Element indices left out, so that the paths of a collection's members are the same.
const edgeName = (e: number) => (["element", "hidden"].includes(b.edgeTypes[b.edges[e + E_TYPE]]) ? "[]" : `.${b.strings[b.edges[e + E_NAME]]}`);
function retainerPath(i: number): string {
  const parts: string[] = [];
  for (let cur = i, d = 0; cur !== 0 && d < 20; d++) {
    let best: [number, number] | undefined;
    for (const r of retainers[cur]) if (dist[r[0]] >= 0 && (best === undefined || dist[r[0]] < dist[best[0]])) best = r;
    if (best === undefined) return [...parts, "(unreachable)"].join(" <- ");
    parts.push(`${label(best[0])}${edgeName(best[1])}`);
    cur = best[0];
  }
  return parts.join(" <- ");
}
console.log("\n== who holds them: the most common shortest retainer paths of the largest new groups ==");
for (const [k, v] of fresh.slice(0, 6)) {
  const paths = new Map<string, number>();
  const sample = v.members.filter((_, n) => n % Math.ceil(v.members.length / 400) === 0);
  for (const i of sample) {
    const p = retainerPath(i);
    paths.set(p, (paths.get(p) ?? 0) + 1);
  }
  console.log(`\n-- ${k} (${v.count} new, ${mb(v.size).trim()} MB); paths of ${sample.length}:`);
  for (const [p, c] of [...paths].sort((x, y) => y[1] - x[1]).slice(0, 3)) console.log(`  ${c}x ${p.slice(0, 900)}`);
}
