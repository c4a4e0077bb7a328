import { afterEach, describe, expect, it, vi } from "vitest";
import { z } from "zod";

import { CLIENT_HEADER } from "@domain/api";

import { ApiClientError, request, setSessionToken, setUnauthenticatedHandler } from "./api-client";

const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });

describe("the API client", () => {
  afterEach(() => setUnauthenticatedHandler(null));

  it("when a write is sent, then it carries the bearer token, the Idempotency-Key, the client header and a JSON body", async () => {
    const fetchMock = vi.fn(async () => json(201, { ok: true }));
    vi.stubGlobal("fetch", fetchMock);
    setSessionToken("tok");
    await request("/things", { method: "POST", body: { a: 1 }, schema: z.object({ ok: z.boolean() }), idempotencyKey: "key-1" });
    const [url, init] = fetchMock.mock.calls[0] as unknown as [string, RequestInit];
    expect(url).toBe("/api/things");
    const headers = init.headers as Record<string, string>;
    expect(headers.authorization).toBe("Bearer tok");
    expect(headers["idempotency-key"]).toBe("key-1");
    // Lets the server take a write signed in by the cookie alone (after a reload) as its own page's.
    expect(headers[CLIENT_HEADER]).toBe("web");
    expect(init.body).toBe('{"a":1}');
  });

  it("when the API refuses, then the error carries its catalogue body", async () => {
    vi.stubGlobal("fetch", async () =>
      json(409, { error: { code: "SCF-3001", name: "SandboxIsPaused", rule: "breakers.pause", policy: true, message: "paused", params: {}, requestId: "r1" } }),
    );
    const error = await request("/x", { schema: z.unknown() }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiClientError);
    expect((error as ApiClientError).body.name).toBe("SandboxIsPaused");
    expect((error as ApiClientError).retryable).toBe(false);
  });

  it("when an answer does not match its schema, then it is an error, not data", async () => {
    vi.stubGlobal("fetch", async () => json(200, { amount: 1.5 }));
    const error = await request("/x", { schema: z.object({ amount: z.string() }) }).catch((e: unknown) => e);
    expect((error as ApiClientError).kind).toBe("contract");
  });

  it("when the network fails, then the error is retryable", async () => {
    vi.stubGlobal("fetch", async () => {
      throw new TypeError("Failed to fetch");
    });
    const error = (await request("/x", { schema: z.unknown() }).catch((e: unknown) => e)) as ApiClientError;
    expect(error.kind).toBe("network");
    expect(error.retryable).toBe(true);
  });

  it("when a session expires, then the unauthenticated handler runs", async () => {
    const handler = vi.fn();
    setUnauthenticatedHandler(handler);
    vi.stubGlobal("fetch", async () => json(401, { error: { code: "SCF-1002", name: "Unauthenticated", rule: "auth.session", policy: false, message: "", params: {}, requestId: "" } }));
    await request("/invoices", { schema: z.unknown() }).catch(() => undefined);
    expect(handler).toHaveBeenCalledOnce();
  });
});
