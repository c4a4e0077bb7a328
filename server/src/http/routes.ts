/**
 * Route declarations: each route names its schemas once, and the same declaration validates the
 * request, types the handler, checks the caller's role and produces the OpenAPI document. Routes
 * only validate, call a service and answer.
 */
import type { NextFunction, Request, RequestHandler, Response, Router as ExpressRouter } from "express";
import multer from "multer";
import { z } from "zod";

import { ApiError } from "../../../domain/api.js";
import type { RoleName } from "../../../domain/enums.js";
import { AppError, type FieldIssue } from "../errors.js";
import type { ActResult } from "../services/actions.js";
import type { Actor, Ctx, WriteHooks } from "../services/context.js";

export type Access = "public" | "user" | RoleName[];

export interface RouteInput<P, Q, B> {
  params: P;
  query: Q;
  body: B;
  actor: Actor;
  req: Request;
  res: Response;
  /** For writes: lets the idempotency record learn the transaction before it is sent. */
  hooks: WriteHooks;
}

export interface RouteSpec<P = unknown, Q = unknown, B = unknown, R = unknown> {
  method: "get" | "post" | "put" | "delete";
  /** Express path, e.g. "/invoices/:id" (mounted under /api). */
  path: string;
  summary: string;
  tag: string;
  access: Access;
  params?: z.ZodType<P>;
  query?: z.ZodType<Q>;
  body?: z.ZodType<B>;
  response: z.ZodType<R>;
  status?: number;
  /** The handler answers itself (files, CSV); `response` documents nothing then. */
  raw?: { contentType: string };
  /** multipart/form-data with one file field `file` of at most this many bytes. */
  upload?: { maxBytes: number };
  /** Write operations: accept an Idempotency-Key header; the name identifies the operation. */
  operation?: string;
  handler: (input: RouteInput<P, Q, B>) => Promise<R>;
  /**
   * For a write made of one transaction: rebuilds the answer from the transaction's result, so a
   * request cut off by a crash after its transaction landed still answers its retry.
   */
  recover?: (ctx: Ctx, result: ActResult, input: Omit<RouteInput<P, Q, B>, "req" | "res" | "hooks">) => Promise<R>;
}

/** A route of any shapes, for lists of routes (each keeps its own types where it is declared). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyRoute = RouteSpec<any, any, any, any>;

/** Declares a route with its types inferred from its schemas. */
export function route<P = Record<string, never>, Q = Record<string, never>, B = undefined, R = unknown>(
  spec: RouteSpec<P, Q, B, R>,
): RouteSpec<P, Q, B, R> {
  return spec;
}

/**
 * Answers `status` with `body` as JSON (or `text`, JSON already). What Express's `res.json` sends,
 * without its steps an API answer never needs (charset parsing, freshness checks, ETag: off).
 */
export function sendJson(res: Response, status: number, body: unknown, text = JSON.stringify(body)): void {
  res.statusCode = status;
  res.setHeader("Content-Type", "application/json; charset=utf-8");
  res.setHeader("Content-Length", Buffer.byteLength(text));
  // Headers and body handed to the socket apart, written together (one writev): Node joins a
  // string body to the headers' text otherwise, a copy of the whole answer on the heap.
  const socket = res.socket;
  socket?.cork();
  res.flushHeaders();
  res.end(text);
  socket?.uncork();
}

/** zod issues as field errors: where, which rule, what is wrong. */
export function fieldIssues(error: z.ZodError, prefix: string): FieldIssue[] {
  return error.issues.map((issue) => ({
    path: [prefix, ...issue.path.map(String)].filter((p) => p !== "").join("."),
    rule: issue.code,
    message: issue.message,
  }));
}

function parse<T>(schema: z.ZodType<T> | undefined, value: unknown, where: string, issues: FieldIssue[]): T {
  if (schema === undefined) return undefined as T;
  const result = schema.safeParse(value ?? {});
  if (result.success) return result.data;
  issues.push(...fieldIssues(result.error, where === "body" ? "" : where));
  return undefined as T;
}

export interface Middlewares {
  authenticate: (req: Request) => Actor | undefined;
  idempotency: (
    spec: AnyRoute,
    req: Request,
    res: Response,
    actor: Actor,
    input: { params: unknown; query: unknown; body: unknown },
    run: (hooks: WriteHooks) => Promise<unknown>,
  ) => Promise<void>;
  /**
   * Resolves when a write may reach the chain (see AppDeps.chainWritable); asked after the caller
   * is known and allowed, so nobody else can hold a request open while a start loads the chain.
   */
  writable?: () => Promise<void>;
}

/**
 * Mounts every route on `router`, wrapping each with auth, validation and error forwarding. The
 * caller's session and role are checked first, before an upload is read.
 */
export function mount(router: ExpressRouter, routes: AnyRoute[], mw: Middlewares): void {
  for (const spec of routes) {
    const guard: RequestHandler = (req, res, next) => {
      let actor: Actor | undefined;
      try {
        actor = mw.authenticate(req);
      } catch (error) {
        // A session cookie that is not valid percent-encoding names no session.
        if (!(error instanceof URIError)) throw error;
      }
      if (spec.access !== "public") {
        if (actor === undefined) return next(new AppError("Unauthenticated"));
        if (Array.isArray(spec.access) && !spec.access.includes(actor.role)) {
          return next(new AppError("Forbidden", { role: actor.role }));
        }
      }
      res.locals.actor = actor;
      next();
    };
    const before: RequestHandler[] = [guard];
    const writable = mw.writable;
    if (writable !== undefined && spec.method !== "get" && !spec.path.startsWith("/auth/")) {
      before.push((_req, _res, next) => void writable().then(() => next(), next));
    }
    if (spec.upload !== undefined) {
      const upload = multer({ storage: multer.memoryStorage(), limits: { fileSize: spec.upload.maxBytes, files: 1 } }).single("file");
      before.push((req, res, next) =>
        upload(req, res, (error: unknown) => {
          if (error instanceof multer.MulterError && error.code === "LIMIT_FILE_SIZE") {
            return next(new AppError("PayloadTooLarge", { max: `${Math.round(spec.upload!.maxBytes / 1048576)} MB` }));
          }
          if (error !== undefined && error !== null) {
            return next(new AppError("ValidationFailed", { details: `file: ${(error as Error).message}` }, [
              { path: "file", rule: "upload", message: (error as Error).message },
            ]));
          }
          next();
        }),
      );
    }
    router[spec.method](spec.path, ...before, (req: Request, res: Response, next: NextFunction) => {
      void (async () => {
        const actor = res.locals.actor as Actor | undefined;
        const issues: FieldIssue[] = [];
        const input = {
          params: parse(spec.params, req.params, "params", issues),
          query: parse(spec.query, req.query, "query", issues),
          body: parse(spec.body, req.body, "body", issues),
          actor: actor as Actor,
          req,
          res,
        };
        if (issues.length > 0) {
          throw new AppError("ValidationFailed", { details: issues.map((i) => `${i.path || "body"}: ${i.message}`).join("; ") }, issues);
        }
        const run = (hooks: WriteHooks) => spec.handler({ ...input, hooks } as RouteInput<unknown, unknown, unknown>);
        if (spec.operation !== undefined && actor !== undefined) {
          await mw.idempotency(spec, req, res, actor, { params: input.params, query: input.query, body: input.body }, run);
        } else {
          const body = await run({});
          if (spec.raw === undefined) sendJson(res, spec.status ?? 200, body);
        }
      })().catch(next);
    });
  }
  // A path parameter that is not valid percent-encoding fails while the router matches it.
  router.use((error: unknown, _req: Request, _res: Response, next: NextFunction) => {
    if (error instanceof URIError && (error as URIError & { status?: number }).status === 400) {
      return next(
        new AppError("ValidationFailed", { details: "params: malformed percent-encoding" }, [
          { path: "params", rule: "invalid_encoding", message: "malformed percent-encoding" },
        ]),
      );
    }
    next(error);
  });
}

const jsonSchema = (schema: z.ZodType, io: "input" | "output") =>
  z.toJSONSchema(schema, { io, unrepresentable: "any", target: "openapi-3.0" }) as Record<string, unknown>;

/** The OpenAPI 3 document of `routes`, generated from the schemas that validate them. */
export function openApiDocument(routes: AnyRoute[], info: { title: string; version: string }): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const spec of routes) {
    const path = `/api${spec.path.replace(/:(\w+)/g, "{$1}")}`;
    const parameters: unknown[] = [];
    for (const [where, schema] of [
      ["path", spec.params],
      ["query", spec.query],
    ] as const) {
      if (schema === undefined) continue;
      const js = jsonSchema(schema, "input") as { properties?: Record<string, unknown>; required?: string[] };
      for (const [name, s] of Object.entries(js.properties ?? {})) {
        parameters.push({ name, in: where, required: where === "path" || (js.required ?? []).includes(name), schema: s });
      }
    }
    if (spec.operation !== undefined) {
      parameters.push({
        name: "Idempotency-Key",
        in: "header",
        required: false,
        description: "Retrying with the same key returns the first answer and never repeats the action.",
        schema: { type: "string", maxLength: 128 },
      });
    }
    const error = { description: "Error", content: { "application/json": { schema: jsonSchema(ApiError, "output") } } };
    paths[path] ??= {};
    paths[path][spec.method] = {
      summary: spec.summary,
      tags: [spec.tag],
      security: spec.access === "public" ? [] : [{ bearer: [] }],
      description: Array.isArray(spec.access) ? `Roles: ${spec.access.join(", ")}` : undefined,
      parameters,
      requestBody:
        spec.upload !== undefined
          ? {
              required: true,
              content: {
                "multipart/form-data": {
                  schema: { type: "object", required: ["file"], properties: { file: { type: "string", format: "binary" } } },
                },
              },
            }
          : spec.body === undefined
            ? undefined
            : { required: true, content: { "application/json": { schema: jsonSchema(spec.body, "input") } } },
      responses: {
        [String(spec.status ?? 200)]: {
          description: "OK",
          content:
            spec.raw !== undefined
              ? { [spec.raw.contentType]: { schema: { type: "string", format: "binary" } } }
              : { "application/json": { schema: jsonSchema(spec.response, "output") } },
        },
        "4XX": error,
        "5XX": error,
      },
    };
  }
  return {
    openapi: "3.0.3",
    info,
    components: { securitySchemes: { bearer: { type: "http", scheme: "bearer" } } },
    paths,
  };
}
