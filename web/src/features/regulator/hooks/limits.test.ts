import { describe, expect, it } from "vitest";

import { limitToInput, parseLimitInput } from "./limits";

describe("editing the sandbox's controls", () => {
  it("when a cap is typed in yuan, then the raw value is fen; a rate in percent becomes basis points", () => {
    expect(parseLimitInput("fen", "5,000,000")).toBe("500000000");
    expect(parseLimitInput("bps", "7.25")).toBe("725");
    expect(parseLimitInput("days", "180")).toBe("180");
    expect(parseLimitInput("count", "2.5")).toBeNull();
    expect(limitToInput("bps", "800")).toBe("8.00");
    expect(limitToInput("fen", "1000000")).toBe("10000.00");
  });
});
