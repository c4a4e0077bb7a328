/**
 * The contracts' surface and the code around it agree: every custom error the contracts can raise
 * has a catalogue entry (else the API answers a refusal as an internal error), and every event the
 * contracts emit has a projection in the index and a rule for who it concerns (else it is dropped
 * from the read models and the live updates). The compiler checks the same through the typed
 * tables; this also catches a generated module newer than the code that was compiled against it.
 */
import type { ExtractAbiErrorNames } from "abitype";
import { describe, expect, expectTypeOf, it } from "vitest";

import { errorCatalogue, type ErrorName } from "../../../domain/errors.js";
import { abis, contractNames, errorsAbi } from "../../../domain/generated/contracts.js";
import { eventNames as generatedEventNames } from "../../../domain/generated/enums.js";
import { eventNames } from "../../src/chain/contracts.js";
import { projections } from "../../src/chain/indexer.js";
import { partyRules } from "../../src/chain/parties.js";

describe("contract surface", () => {
  it("when a contract can raise a custom error, then the catalogue has an entry for it whose message names only the error's arguments", () => {
    expectTypeOf<Exclude<ExtractAbiErrorNames<typeof errorsAbi>, ErrorName>>().toEqualTypeOf<never>();
    const raised = contractNames.flatMap((c) => abis[c].filter((item) => item.type === "error"));
    expect(raised.length).toBeGreaterThan(0);
    const missing = raised.filter((error) => !Object.hasOwn(errorCatalogue, error.name)).map((error) => error.name);
    expect(missing, "contract errors without a catalogue entry (domain/errors.ts)").toEqual([]);
    for (const error of errorsAbi) {
      const inputs = error.inputs.map((input) => input.name as string);
      const params = Object.keys(errorCatalogue[error.name].params);
      expect(params.filter((p) => !inputs.includes(p)), `${error.name}: catalogue params the error does not carry`).toEqual([]);
    }
  });

  it("when a contract emits an event, then the index projects it and knows whom it concerns, and handles no event the contracts lack", () => {
    const emitted = contractNames.flatMap((c) => abis[c].filter((item) => item.type === "event").map((item) => item.name as string));
    expect(new Set(eventNames)).toEqual(new Set(emitted));
    expect(Object.keys(projections).sort(), "events without a projection (server/src/chain/indexer.ts)").toEqual([...new Set(emitted)].sort());
    expect(Object.keys(partyRules).sort(), "events without a party rule (server/src/chain/parties.ts)").toEqual([...new Set(emitted)].sort());
  });

  it("when a contract emits an event, then the generated list the web UI titles (web/src/i18n/i18n.test.ts) has it", () => {
    expect([...generatedEventNames].sort()).toEqual([...new Set(eventNames)].sort());
  });
});
