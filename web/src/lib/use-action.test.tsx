import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { act, renderHook } from "@testing-library/react";
import type { ReactNode } from "react";
import { describe, expect, it } from "vitest";

import { queryKeys, stale, writes } from "../api/query-keys";
import { staleAfter } from "./live-events";
import { useAction } from "./use-action";

/** A cache holding one query under each key, as pages would leave it. */
function cached() {
  const client = new QueryClient({ defaultOptions: { queries: { staleTime: Infinity, retry: false } } });
  for (const key of Object.values(queryKeys)) client.setQueryData([...key, "page"], { items: [] });
  const wrapper = ({ children }: { children: ReactNode }) => <QueryClientProvider client={client}>{children}</QueryClientProvider>;
  const invalidated = () =>
    Object.entries(queryKeys)
      .filter(([, key]) => client.getQueryState([...key, "page"])?.isInvalidated === true)
      .map(([name]) => name)
      .sort();
  return { client, wrapper, invalidated };
}

describe("what a write refreshes", () => {
  it("when a simulation is cancelled, then only the list of runs is refreshed, not the pilot's receivables or figures", async () => {
    const { wrapper, invalidated } = cached();
    const cancel = writes(stale.simulation, async (_: { id: string }) => ({ ok: true }));
    const { result } = renderHook(() => useAction(cancel), { wrapper });
    await act(() => result.current.run({ id: "run-1" }));
    expect(invalidated()).toEqual(["simulationRuns"]);
  });

  it("when an invoice is confirmed, then its lists, page, timeline, the exposures and the chain's figures are refreshed, and the policy and the simulations are not", async () => {
    const { wrapper, invalidated } = cached();
    const confirm = writes(stale.invoice, async (_: { invoiceId: string }) => ({ ok: true }));
    const { result } = renderHook(() => useAction(confirm), { wrapper });
    await act(() => result.current.run({ invoiceId: "0x01" }));
    expect(invalidated()).toEqual(["alerts", "audit", "chain", "dashboard", "invoice", "invoices", "participants", "timeline"]);
  });

  it("when a write is refused, then nothing is refreshed", async () => {
    const { wrapper, invalidated } = cached();
    const refused = writes(stale.invoice, async (_: { invoiceId: string }) => {
      throw new Error("refused");
    });
    const { result } = renderHook(() => useAction(refused), { wrapper });
    await act(() => result.current.run({ invoiceId: "0x01" }));
    expect(invalidated()).toEqual([]);
  });
});

describe("what a live event refreshes", () => {
  it("when a limit changes, then the policy is refreshed but not the receivables", () => {
    const keys = staleAfter("LimitChanged");
    expect(keys).toContainEqual(queryKeys.policy);
    expect(keys).not.toContainEqual(queryKeys.invoices);
  });

  it("when an event this UI does not know arrives, then everything on the chain is refreshed, and the simulations are not", () => {
    const keys = staleAfter("SomethingNew");
    for (const key of [queryKeys.invoices, queryKeys.financings, queryKeys.participants, queryKeys.policy, queryKeys.chain]) expect(keys).toContainEqual(key);
    expect(keys).not.toContainEqual(queryKeys.simulationRuns);
  });
});
