/**
 * createApp(deps) builds the Express app without listening, so tests run it in-process.
 * Order: request id and logging, security headers, body limits, the API routes (validated and
 * authorized by their declarations), OpenAPI and docs, live events, the web UI, then one error
 * handler that maps every error to the catalogue's status and body.
 */
import { randomUUID } from "node:crypto";
import { existsSync } from "node:fs";
import path from "node:path";

import compression from "compression";
import express, { type NextFunction, type Request, type RequestHandler, type Response } from "express";
import rateLimit from "express-rate-limit";
import helmet from "helmet";
import type { Logger } from "pino";
import swaggerUi from "swagger-ui-express";

import { CLIENT_HEADER } from "../../domain/api.js";
import { TxNotIncludedError } from "./chain/sender.js";
import { ChainStartFailedError, ChainStartingError } from "./chain/starting.js";
import type { TrustProxy } from "./config.js";
import { AppError } from "./errors.js";
import { errorBodyOf, type IdempotencyStore } from "./http/idempotency.js";
import { mount, openApiDocument, type AnyRoute } from "./http/routes.js";
import { tokenOf } from "./http/session.js";
import { serveEvents, type EventHub } from "./http/sse.js";
import type { Platform } from "./platform.js";
import type { AuthService } from "./services/auth.js";
import type { Actor } from "./services/context.js";

export interface AppDeps {
  auth: AuthService;
  idempotency: IdempotencyStore;
  routes: AnyRoute[];
  events: EventHub;
  logger: Logger;
  /** Built web UI to serve at /; a placeholder page when absent. */
  webDist?: string;
  /** Login attempts per client address, and failed logins per account, per 15 minutes. */
  loginRateLimit?: number;
  /** The reverse proxies whose X-Forwarded-* headers are believed (none by default). */
  trustProxy?: TrustProxy;
  version?: string;
  /**
   * Resolves when writes may reach the chain; throws ChainStartingError after a bounded wait while
   * a start is still loading it (absent: always). Reads are not held here: what they need of the
   * chain waits on its own.
   */
  chainWritable?: () => Promise<void>;
}

/** What the app needs from a started platform; the caller adds the rest (logger, UI, limits). */
export function platformAppDeps(
  platform: Pick<Platform, "services" | "idempotency" | "routes" | "events"> & Partial<Pick<Platform, "chainWritable">>,
): Pick<AppDeps, "auth" | "idempotency" | "routes" | "events" | "chainWritable"> {
  return { auth: platform.services.auth, idempotency: platform.idempotency, routes: platform.routes, events: platform.events, chainWritable: platform.chainWritable };
}

export function createApp(deps: AppDeps): express.Express {
  const app = express();
  app.disable("x-powered-by");
  // No ETag on API answers: hashing every list costs each request, and no client revalidates them.
  app.set("etag", false);
  // A client's address and scheme come from X-Forwarded-* only behind a proxy said to be there:
  // believed from anyone, the header lets each login attempt name a fresh address.
  app.set("trust proxy", deps.trustProxy ?? false);

  app.use((req: Request, res: Response, next: NextFunction) => {
    const requestId = req.get("x-request-id")?.slice(0, 64) || randomUUID();
    res.locals.requestId = requestId;
    res.set("x-request-id", requestId);
    // The path as it arrived: by the time the answer is sent, a router has cut its own prefix off.
    const requestPath = req.path;
    if (!requestPath.startsWith("/api")) return next();
    const started = process.hrtime.bigint();
    res.on("finish", () => {
      deps.logger.info(
        { requestId, method: req.method, path: requestPath, status: res.statusCode, ms: Number(process.hrtime.bigint() - started) / 1e6 },
        "request",
      );
    });
    next();
  });
  app.use(securityHeaders());
  const authenticate = (req: Request): Actor | undefined => {
    const token = tokenOf(req);
    return token === undefined ? undefined : deps.auth.session(token);
  };
  app.use("/api", sameOriginWrites(authenticate), express.json({ limit: "100kb" }));

  // Password guessing: attempts per client address, and failed attempts per account (from many
  // addresses), each limited. The X-Forwarded-For check is off: without a proxy it is ignored.
  const loginLimit = {
    windowMs: 15 * 60_000,
    limit: deps.loginRateLimit ?? 20,
    standardHeaders: "draft-7",
    legacyHeaders: false,
    validate: { xForwardedForHeader: false },
    handler: (_req: Request, _res: Response, next: NextFunction) => next(new AppError("TooManyRequests")),
  } as const;
  app.use(
    "/api/auth/login",
    rateLimit(loginLimit),
    rateLimit({
      ...loginLimit,
      identifier: "account",
      keyGenerator: (req) => `account:${String((req.body as { username?: unknown } | undefined)?.username ?? "").trim().toLowerCase()}`,
      skipSuccessfulRequests: true,
    }),
  );

  const api = express.Router();
  // While a start loads the chain, writes wait for it (signing in and out need no chain).
  mount(api, deps.routes, { authenticate, idempotency: deps.idempotency.handle, writable: deps.chainWritable });
  api.get("/events", (req, res, next) => {
    const token = tokenOf(req);
    const actor = token === undefined ? undefined : deps.auth.session(token);
    if (token === undefined || actor === undefined) return next(new AppError("Unauthenticated"));
    serveEvents(deps.events, actor, req, res, (end) => deps.auth.onEnd(token, end));
  });
  const document = openApiDocument(deps.routes, { title: "scf-sandbox platform API", version: deps.version ?? "0.1.0" });
  api.get("/openapi.json", (_req, res) => {
    res.json(document);
  });
  api.use("/docs", swaggerUi.serve, swaggerUi.setup(document, { customSiteTitle: "scf-sandbox API" }));
  api.use((req, _res, next) => next(new AppError("NotFound", { what: `${req.method} ${req.baseUrl}${req.path}` })));
  app.use("/api", api);

  const index = deps.webDist === undefined ? undefined : path.join(deps.webDist, "index.html");
  if (deps.webDist !== undefined && index !== undefined && existsSync(index)) {
    // The UI's files gzipped (the API answers stay plain: loopback and small pages, where
    // compressing costs more than it saves); Vite's content-hashed assets cached for good.
    app.use(compression());
    app.use(
      "/assets",
      express.static(path.join(deps.webDist, "assets"), { index: false, immutable: true, maxAge: "1y" }),
      (req: Request, _res: Response, next: NextFunction) => next(new AppError("NotFound", { what: `asset ${req.path}` })),
    );
    app.use(express.static(deps.webDist, { index: false, maxAge: "1h" }));
    app.get(/.*/, (_req, res) => res.sendFile(index));
  } else {
    app.get(/.*/, (_req, res) => {
      res
        .type("html")
        .send(
          "<!doctype html><meta charset=utf-8><title>scf-sandbox</title><h1>scf-sandbox platform</h1>" +
            "<p>The API is running: see <a href=/api/docs>/api/docs</a>. The web UI is not built (npm run build:web).</p>",
        );
    });
  }

  app.use((error: unknown, req: Request, res: Response, _next: NextFunction) => {
    const requestId = String(res.locals.requestId ?? "");
    let appError: AppError;
    if (error instanceof AppError) appError = error;
    else if (isBodyError(error)) {
      appError =
        error.type === "entity.too.large"
          ? new AppError("PayloadTooLarge", { max: "100 kB" })
          : new AppError("ValidationFailed", { details: "body: malformed JSON" }, [
              { path: "body", rule: "invalid_json", message: "malformed JSON" },
            ]);
    } else if (error instanceof TxNotIncludedError || error instanceof ChainStartFailedError) appError = new AppError("ChainUnavailable");
    else if (error instanceof ChainStartingError) {
      appError = new AppError("ChainStarting", { seconds: error.retryAfterSeconds });
      res.set("retry-after", String(error.retryAfterSeconds));
    }
    else appError = new AppError("Internal", { requestId });
    // A chain still loading is expected after a start, not a failure to log; its wait is the client's to know.
    if (appError.status >= 500 && appError.errorName !== "ChainStarting") {
      deps.logger.error({ requestId, method: req.method, path: req.path, err: error }, "request failed");
      appError = new AppError(appError.errorName, { requestId }, undefined, { cause: error });
    }
    if (res.headersSent) return;
    res.status(appError.status).json({ error: { ...errorBodyOf(appError), requestId } });
  });
  return app;
}

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * Cross-site request forgery: a browser sends the session cookie with a form another page posts,
 * and SameSite does not stop a page on another port of the same host (the same site). A write
 * that the cookie alone signs in must show it came from the platform's own pages: the browser's
 * Sec-Fetch-Site (same-origin, or none for what the user typed), the Origin of a browser that
 * sends no fetch metadata, or the web client's header (a custom header needs a CORS preflight,
 * never granted). A bearer token is never sent by a browser on its own: those writes pass.
 */
export function sameOriginWrites(authenticate: (req: Request) => Actor | undefined): RequestHandler {
  return (req, _res, next) => {
    if (SAFE_METHODS.has(req.method) || req.get("authorization")?.startsWith("Bearer ") === true) return next();
    // No live session in the cookie: nothing to forge (a route that needs one answers 401).
    if (authenticate(req) === undefined) return next();
    if (req.get(CLIENT_HEADER) !== undefined) return next();
    const site = req.get("sec-fetch-site");
    if (site === "same-origin" || site === "none") return next();
    const origin = req.get("origin");
    if (site === undefined && origin !== undefined && origin === `${req.protocol}://${req.get("host")}`) return next();
    next(new AppError("CrossSiteRequest"));
  };
}

/** Helmet's options: its defaults, with a content security policy the web UI works under. */
export const HELMET_OPTIONS: Parameters<typeof helmet>[0] = {
  contentSecurityPolicy: {
    directives: {
      "default-src": ["'self'"],
      "script-src": ["'self'", "'unsafe-inline'"],
      "style-src": ["'self'", "'unsafe-inline'"],
      "img-src": ["'self'", "data:", "blob:"],
      "connect-src": ["'self'"],
      "upgrade-insecure-requests": null,
    },
  },
};

/**
 * The security headers helmet sets, set in one step. With these options they are the same on every
 * answer (no nonces), so helmet runs once, here, on a stand-in answer that records them; per
 * request, helmet's 13 middlewares cost about as much as a fast read's query.
 */
export function securityHeaders(): RequestHandler {
  const headers = new Map<string, string>();
  const recorder = {
    setHeader: (name: string, value: unknown) => headers.set(name, String(value)),
    removeHeader: (name: string) => headers.delete(name),
    getHeader: () => undefined,
  };
  let done = false;
  helmet(HELMET_OPTIONS)({} as Request, recorder as unknown as Response, () => (done = true));
  if (!done) throw new Error("helmet did not set its headers synchronously");
  const fixed = [...headers];
  return (_req, res, next) => {
    for (const [name, value] of fixed) res.setHeader(name, value);
    next();
  };
}

/** The errors of express.json (body-parser): malformed JSON, too large, bad encoding. */
const BODY_ERRORS = new Set(["entity.parse.failed", "entity.too.large", "encoding.unsupported", "charset.unsupported", "request.aborted", "request.size.invalid"]);

function isBodyError(error: unknown): error is { type: string } {
  return typeof error === "object" && error !== null && BODY_ERRORS.has(String((error as { type?: unknown }).type));
}
