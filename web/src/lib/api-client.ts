/**
 * The one API client. Every request of the UI goes through `request`: it adds the session token
 * and the Idempotency-Key of a write, and it has one error path: anything that is not a parsed,
 * schema-valid answer becomes an `ApiClientError` (an API error body from domain/errors.ts, a
 * network failure, or an answer that does not match its domain/api.ts schema).
 */
import type { z } from "zod";

import { ApiError, CLIENT_HEADER } from "@domain/api";
import { env } from "./env";

export type ApiErrorBody = z.infer<typeof ApiError>["error"];

export type ApiFailure = "api" | "network" | "contract";

export class ApiClientError extends Error {
  constructor(
    readonly kind: ApiFailure,
    readonly status: number,
    /** The API's error body (kind "api"); a synthetic body otherwise, so callers read one shape. */
    readonly body: ApiErrorBody,
    options?: { cause?: unknown },
  ) {
    super(body.message, options);
    this.name = "ApiClientError";
  }

  /** True when retrying the same request could succeed or its outcome is unknown. */
  get retryable(): boolean {
    return this.kind === "network" || this.status >= 500 || this.body.name === "RequestInProgress";
  }
}

export type Query = Record<string, string | number | boolean | undefined | null>;

export interface RequestOptions<T> {
  method?: "GET" | "POST" | "PUT" | "DELETE";
  query?: Query;
  body?: unknown;
  form?: FormData;
  /** The answer's schema (domain/api.ts). */
  schema: z.ZodType<T>;
  /** One key per user action: a retried request never performs the action twice. */
  idempotencyKey?: string;
  signal?: AbortSignal;
}

let sessionToken: string | null = null;
let onUnauthenticated: (() => void) | null = null;

/** The bearer token of the signed-in user (kept in memory; a reload falls back to the HttpOnly cookie). */
export function setSessionToken(token: string | null): void {
  sessionToken = token;
}

export function getSessionToken(): string | null {
  return sessionToken;
}

/** Called when the API answers 401 to a request made with a session (it expired or was ended). */
export function setUnauthenticatedHandler(handler: (() => void) | null): void {
  onUnauthenticated = handler;
}

/** `/api` + path + query string, for requests and for links (documents, CSV export). */
export function apiUrl(path: string, query: Query = {}): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== "") params.set(key, String(value));
  }
  const qs = params.toString();
  return `${env.apiBase}${path}${qs === "" ? "" : `?${qs}`}`;
}

const synthetic = (name: string, code: string, rule: string, message: string, params: ApiErrorBody["params"] = {}): ApiErrorBody => ({
  code,
  name,
  rule,
  policy: false,
  message,
  params,
  requestId: "",
});

export async function request<T>(path: string, options: RequestOptions<T>): Promise<T> {
  // The client header lets the server accept a write signed in by the session cookie alone.
  const headers: Record<string, string> = { accept: "application/json", [CLIENT_HEADER]: "web" };
  if (sessionToken !== null) headers.authorization = `Bearer ${sessionToken}`;
  if (options.idempotencyKey !== undefined) headers["idempotency-key"] = options.idempotencyKey;
  let body: BodyInit | undefined;
  if (options.form !== undefined) body = options.form;
  else if (options.body !== undefined) {
    headers["content-type"] = "application/json";
    body = JSON.stringify(options.body);
  }

  let response: Response;
  try {
    response = await fetch(apiUrl(path, options.query), {
      method: options.method ?? "GET",
      headers,
      body,
      credentials: "same-origin",
      signal: options.signal,
    });
  } catch (error) {
    if (options.signal?.aborted) throw error;
    throw new ApiClientError("network", 0, synthetic("Network", "SCF-0000", "network", String(error)), { cause: error });
  }

  const text = await response.text();
  let json: unknown;
  try {
    json = text === "" ? undefined : JSON.parse(text);
  } catch {
    json = undefined;
  }

  if (!response.ok) {
    const parsed = ApiError.safeParse(json);
    const errorBody = parsed.success ? parsed.data.error : synthetic("Internal", "SCF-1000", "platform.internal", `HTTP ${response.status}`, { requestId: "" });
    if (response.status === 401 && path !== "/auth/login" && onUnauthenticated !== null) onUnauthenticated();
    throw new ApiClientError("api", response.status, errorBody);
  }

  const parsed = options.schema.safeParse(json);
  if (!parsed.success) {
    const details = parsed.error.issues
      .slice(0, 3)
      .map((i) => `${i.path.join(".")}: ${i.message}`)
      .join("; ");
    throw new ApiClientError("contract", response.status, synthetic("UnexpectedAnswer", "SCF-0001", "client.contract", details, { details }), {
      cause: parsed.error,
    });
  }
  return parsed.data;
}

/** A fresh Idempotency-Key. */
export function newIdempotencyKey(): string {
  return crypto.randomUUID();
}
