/** The simulated participants: their firms, their signing keys, the supply graph between them. */
import { keccak256, toUtf8Bytes } from "ethers";

import type { Firm } from "./model.js";
import type { Streams } from "./random.js";
import { supplierIds, type Scenario } from "./scenario.js";

export function buildFirms(s: Scenario, streams: Streams, firms: Map<string, Firm>): void {
  for (const c of s.participants.coreEnterprises) {
    firms.set(c.id, { id: c.id, name: c.name, role: "CoreEnterprise", admitted: false, party: undefined, customers: [], suppliers: []});
  }
  for (const b of s.participants.banks) {
    firms.set(b.id, {
      id: b.id,
      name: b.name,
      role: "Bank",
      admitted: false,
      party: undefined,
      customers: [],
      suppliers: [],
    });
  }
  const prefixes = new Map(s.participants.suppliers.tiers.map((t) => [t.tier, t.namePrefix ?? `Tier-${t.tier} Supplier`]));
  for (const [id, tier] of supplierIds(s.participants.suppliers.tiers)) {
    const nn = id.split("-")[1];
    firms.set(id, { id, name: `${prefixes.get(tier)} ${nn}`, role: "Supplier", tier, admitted: false, party: undefined, customers: [], suppliers: [] });
  }
  // The graph: explicit edges, else drawn from the "graph" stream in supplier order.
  const rng = streams.of("graph");
  const explicit = new Map<string, string[]>();
  for (const e of s.graph.edges) explicit.set(e.supplier, [...(explicit.get(e.supplier) ?? []), e.customer]);
  const cores = s.participants.coreEnterprises;
  const suppliersOfTier = (t: number) => [...firms.values()].filter((f) => f.role === "Supplier" && f.tier === t);
  for (const firm of [...firms.values()].filter((f) => f.role === "Supplier")) {
    const tier = firm.tier ?? 1;
    const range = tier === 1 ? s.graph.buyersPerSupplier : s.graph.customersPerSupplier;
    const k = rng.int(range.min, range.max);
    let customers = explicit.get(firm.id);
    if (customers === undefined) {
      if (tier === 1) {
        const pool = [...cores];
        customers = [];
        while (customers.length < k && pool.length > 0) {
          const c = rng.weighted(pool, (x) => x.weight);
          customers.push(c.id);
          pool.splice(pool.indexOf(c), 1);
        }
      } else {
        customers = rng.sample(suppliersOfTier(tier - 1).map((f) => f.id), k);
      }
    }
    firm.customers = [...customers].sort();
    for (const c of firm.customers) firms.get(c)?.suppliers.push(firm.id);
  }
}

/** Each firm's signing key: fixed by the scenario and the firm, so addresses repeat across runs. */
export function keyOf(scenario: Scenario, firm: Firm): string {
  return keccak256(toUtf8Bytes(`scf-sandbox simulation/${scenario.name}/${firm.id}`));
}
