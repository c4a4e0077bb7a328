/**
 * The mocked API: `fetch` replaced at the api-client boundary by a table of routes
 * ("METHOD /api/path/:param" -> handler). Every request is recorded (method, path, query, body,
 * headers) so tests assert what the UI sent. Unknown routes answer 404 with the API's error shape.
 */
import { vi } from "vitest";

export interface MockRequest {
  method: string;
  path: string;
  params: Record<string, string>;
  query: URLSearchParams;
  body: unknown;
  headers: Headers;
}

export type MockAnswer = { status: number; body?: unknown } | { stream: ReadableStream<Uint8Array> };
export type Handler = (req: MockRequest) => unknown;

/** An answer with a status (a bare value answers 200 with it as JSON). */
export const reply = (status: number, body?: unknown): MockAnswer => ({ status, body });

/** The API's error body for a catalogue error. */
export const apiError = (status: number, name: string, code: string, rule: string, params: Record<string, string | number | boolean> = {}, extra: object = {}) =>
  reply(status, {
    error: { code, name, rule, policy: rule.startsWith("caps.") || rule.startsWith("terms.") || rule.startsWith("breakers.") || rule.startsWith("window."), message: `${name}`, params, requestId: "req-1", ...extra },
  });

interface Route {
  method: string;
  pattern: RegExp;
  keys: string[];
  handler: Handler;
}

export interface ApiMock {
  calls: MockRequest[];
  /** Calls of one route key ("POST /api/invoices"). */
  callsTo(key: string): MockRequest[];
  /** Adds or replaces routes. */
  on(routes: Record<string, Handler>): void;
  /** Pushes one server-sent event to open /api/events streams. */
  emit(event: { id: number; name: string; invoiceId?: string | null; timestamp?: number }): void;
}

export function mockApi(routes: Record<string, Handler>): ApiMock {
  const table: Route[] = [];
  const streams = new Set<ReadableStreamDefaultController<Uint8Array>>();
  const calls: MockRequest[] = [];
  const add = (rs: Record<string, Handler>) => {
    for (const [key, handler] of Object.entries(rs)) {
      const [method, path] = key.split(" ");
      const keys: string[] = [];
      const pattern = new RegExp(`^${path.replace(/[.]/g, "\\.").replace(/:(\w+)/g, (_m, k: string) => (keys.push(k), "([^/]+)"))}$`);
      const existing = table.findIndex((r) => r.method === method && r.pattern.source === pattern.source);
      if (existing >= 0) table.splice(existing, 1);
      table.unshift({ method, pattern, keys, handler });
    }
  };
  add(routes);

  const fetchMock = vi.fn(async (input: RequestInfo | URL, init: RequestInit = {}) => {
    const url = new URL(typeof input === "string" ? input : input instanceof URL ? input.href : input.url, "http://localhost");
    const method = (init.method ?? "GET").toUpperCase();
    const headers = new Headers(init.headers);
    let body: unknown = undefined;
    if (typeof init.body === "string") body = JSON.parse(init.body);
    else if (init.body instanceof FormData) body = init.body;
    if (url.pathname === "/api/events") {
      const stream = new ReadableStream<Uint8Array>({
        start(controller) {
          streams.add(controller);
          controller.enqueue(new TextEncoder().encode("retry: 2000\n\n"));
          init.signal?.addEventListener("abort", () => {
            streams.delete(controller);
            try {
              controller.error(new DOMException("aborted", "AbortError"));
            } catch {
              // Already closed.
            }
          });
        },
      });
      return new Response(stream, { status: 200, headers: { "content-type": "text/event-stream" } });
    }
    for (const route of table) {
      if (route.method !== method) continue;
      const match = route.pattern.exec(url.pathname);
      if (match === null) continue;
      const params = Object.fromEntries(route.keys.map((k, i) => [k, decodeURIComponent(match[i + 1])]));
      const req: MockRequest = { method, path: url.pathname, params, query: url.searchParams, body, headers };
      calls.push(req);
      const answer = (await route.handler(req)) as unknown;
      const { status, body: out } =
        typeof answer === "object" && answer !== null && "status" in answer && typeof (answer as MockAnswer & { status: number }).status === "number"
          ? (answer as { status: number; body?: unknown })
          : { status: 200, body: answer };
      return new Response(out === undefined ? "" : JSON.stringify(out), { status, headers: { "content-type": "application/json" } });
    }
    calls.push({ method, path: url.pathname, params: {}, query: url.searchParams, body, headers });
    return new Response(JSON.stringify({ error: { code: "SCF-1005", name: "NotFound", rule: "request.notFound", policy: false, message: "not found", params: { what: url.pathname }, requestId: "r" } }), {
      status: 404,
      headers: { "content-type": "application/json" },
    });
  });
  vi.stubGlobal("fetch", fetchMock);

  return {
    calls,
    callsTo: (key) => {
      const [method, path] = key.split(" ");
      const pattern = new RegExp(`^${path.replace(/:(\w+)/g, "[^/]+")}$`);
      return calls.filter((c) => c.method === method && pattern.test(c.path));
    },
    on: add,
    emit: (event) => {
      const data = JSON.stringify({ id: event.id, name: event.name, invoiceId: event.invoiceId ?? null, timestamp: event.timestamp ?? 0, args: {} });
      const bytes = new TextEncoder().encode(`id: ${event.id}\nevent: ${event.name}\ndata: ${data}\n\n`);
      for (const c of streams) c.enqueue(bytes);
    },
  };
}
