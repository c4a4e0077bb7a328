import { describe, expect, it } from "vitest";

import { parseSseBlock } from "./live-events";

describe("server-sent events", () => {
  it("when a block has id, event and data, then all three are read", () => {
    expect(parseSseBlock('id: 42\nevent: FinancingApproved\ndata: {"id":42}')).toEqual({ id: "42", event: "FinancingApproved", data: '{"id":42}' });
  });

  it("when a block is a comment or a retry, then it carries no event", () => {
    expect(parseSseBlock(": keep-alive")).toBeNull();
    expect(parseSseBlock("retry: 2000")).toEqual({ retry: 2000 });
  });
});
