/** Login, logout, the current user, documents, and the chain's clock and time control. */
import { z } from "zod";

import { AdvanceTimeRequest, ChainInfo, CurrentUser, DemoLogins, DocumentInfo, Health, LoginRequest, LoginResponse } from "../../../domain/api.js";
import { route, type AnyRoute } from "../http/routes.js";
import { SESSION_COOKIE, tokenOf } from "../http/session.js";
import { MAX_DOCUMENT_BYTES } from "../services/documents.js";
import type { Actor } from "../services/context.js";
import { AppError } from "../errors.js";
import type { Services } from "../services/registry.js";

const userView = (a: Actor) => ({
  username: a.username,
  displayName: a.displayName,
  role: a.role,
  participant: { address: a.address, name: a.name },
});

export function sessionRoutes(s: Services): AnyRoute[] {
  return [
    route({
      method: "post",
      path: "/auth/login",
      summary: "Sign in with username and password; returns a bearer token (also set as a cookie)",
      tag: "Auth",
      access: "public",
      body: LoginRequest,
      response: LoginResponse,
      handler: async ({ body, req, res }) => {
        const { token, expiresAt, actor } = await s.auth.login(body.username, body.password);
        // Secure whenever the browser reached the platform over HTTPS (behind a trusted proxy too).
        res.cookie(SESSION_COOKIE, token, { httpOnly: true, secure: req.secure, sameSite: "strict", path: "/", expires: new Date(expiresAt * 1000) });
        return { token, expiresAt, user: userView(actor) };
      },
    }),
    route({
      method: "post",
      path: "/auth/logout",
      summary: "End the session",
      tag: "Auth",
      access: "user",
      response: z.object({ ok: z.literal(true) }),
      handler: async ({ req, res }) => {
        const token = tokenOf(req);
        if (token !== undefined) s.auth.logout(token);
        res.clearCookie(SESSION_COOKIE, { httpOnly: true, secure: req.secure, sameSite: "strict", path: "/" });
        return { ok: true as const };
      },
    }),
    route({
      method: "get",
      path: "/auth/me",
      summary: "The signed-in user and the participant it acts for",
      tag: "Auth",
      access: "user",
      response: CurrentUser,
      handler: async ({ actor }) => userView(actor),
    }),
    route({
      method: "get",
      path: "/auth/demo-logins",
      summary: "The demo pilot's logins (shown on the login page)",
      tag: "Auth",
      access: "public",
      response: DemoLogins,
      handler: async () => ({ logins: s.auth.demoLogins() }),
    }),
    route({
      method: "post",
      path: "/documents",
      summary: "Upload an invoice document (PDF, PNG, JPEG or WebP, at most 10 MB); returns its SHA-256",
      tag: "Documents",
      access: ["Supplier"],
      upload: { maxBytes: MAX_DOCUMENT_BYTES },
      response: DocumentInfo,
      status: 201,
      handler: async ({ actor, req }) => {
        if (req.file === undefined) {
          throw new AppError("ValidationFailed", { details: "file: is required" }, [{ path: "file", rule: "required", message: "is required" }]);
        }
        return s.documents.store(actor, req.file.originalname, req.file.buffer);
      },
    }),
    route({
      method: "get",
      path: "/documents/:sha256",
      summary: "Download a document (its uploader, the invoice's parties, supervisors)",
      tag: "Documents",
      access: "user",
      params: z.object({ sha256: z.string().regex(/^(0x)?[0-9a-fA-F]{64}$/, "must be a SHA-256 in hex") }),
      response: z.unknown(),
      raw: { contentType: "application/octet-stream" },
      handler: async ({ actor, params, res }) => {
        const { info, content } = await s.documents.read(actor, params.sha256);
        res
          .status(200)
          .type(info.mime)
          .set("content-disposition", `inline; filename*=UTF-8''${encodeURIComponent(info.filename)}`)
          .send(content);
        return undefined;
      },
    }),
    route({
      method: "get",
      path: "/health",
      summary: "The platform answers; whether its chain is loaded (after a start, reads answer before it is, writes wait for it)",
      tag: "Chain",
      access: "public",
      response: Health,
      handler: async () => s.chain.health(),
    }),
    route({
      method: "get",
      path: "/chain",
      summary: "The chain: mode, chain id, latest block, chain time, contract addresses",
      tag: "Chain",
      access: "user",
      response: ChainInfo,
      handler: () => s.chain.info(),
    }),
    route({
      method: "post",
      path: "/chain/advance",
      summary: "Advance chain time by N days (local chain only; for demos, tests and the simulator; supervisors)",
      tag: "Chain",
      // Moving time matures, makes overdue and defaults every receivable: not a firm's decision.
      access: ["Regulator", "Operator"],
      body: AdvanceTimeRequest,
      response: ChainInfo,
      operation: "chain.advance",
      handler: ({ body }) => s.chain.advance(body.days),
    }),
  ];
}
