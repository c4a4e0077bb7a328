/** The regulator's routes: admission, policy, circuit breakers, alerts, dashboard and audit trail. */
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";

import { z } from "zod";

import {
  AddressParams,
  AdmitRequest,
  Alert,
  AuditEntry,
  AuditQuery,
  Dashboard,
  InvoiceDetail,
  InvoiceIdParams,
  LimitParams,
  pageOf,
  Participant,
  ParticipantQuery,
  PilotWindowRequest,
  Policy,
  ReasonRequest,
  RenewRequest,
  SetLimitRequest,
} from "../../../domain/api.js";
import type { LimitName } from "../../../domain/enums.js";
import { route, type AnyRoute } from "../http/routes.js";
import { isoDateToUnix } from "../../../domain/time.js";
import type { Services } from "../services/registry.js";
import { writeRoute } from "./write.js";

const REGULATOR = ["Regulator"] as const;

export function regulatorRoutes(s: Services): AnyRoute[] {
  const policy = () => s.policy.get();
  const participant = (_r: unknown, { params }: { params: { address: string } }) => s.participants.get(params.address);
  return [
    route({
      method: "get",
      path: "/participants",
      summary: "Admitted (and removed) participants, by role",
      tag: "Participants",
      access: "user",
      query: ParticipantQuery,
      response: pageOf(Participant),
      handler: async ({ query }) => s.participants.list(query),
    }),
    route({
      method: "get",
      path: "/participants/:address",
      summary: "One participant with its exposure counter",
      tag: "Participants",
      access: "user",
      params: AddressParams,
      response: Participant,
      handler: async ({ params }) => s.participants.get(params.address),
    }),
    route({
      method: "post",
      path: "/participants",
      summary: "Onboard and admit a participant: key held by the platform, gas funded, admitted on chain, login created",
      tag: "Participants",
      access: [...REGULATOR],
      body: AdmitRequest,
      response: Participant,
      status: 201,
      operation: "participants.admit",
      handler: ({ actor, body }) => s.participants.admitFromRequest(actor, body),
    }),
    writeRoute({
      method: "post",
      path: "/participants/:address/renew",
      summary: "Move the end of a participant's admission",
      tag: "Participants",
      access: [...REGULATOR],
      params: AddressParams,
      body: RenewRequest,
      response: Participant,
      operation: "participants.renew",
      perform: ({ actor, params, body, hooks }) =>
        s.participants.renew(actor, params.address, isoDateToUnix(body.admittedUntil), body.reason, hooks),
      respond: participant,
    }),
    ...(["freeze", "unfreeze", "remove"] as const).map((action) =>
      writeRoute({
        method: "post",
        path: `/participants/:address/${action}`,
        summary: { freeze: "Freeze a participant", unfreeze: "Lift a participant's freeze", remove: "Remove a participant from the sandbox" }[action],
        tag: "Participants",
        access: [...REGULATOR],
        params: AddressParams,
        body: ReasonRequest,
        response: Participant,
        operation: `participants.${action}`,
        perform: ({ actor, params, body, hooks }) =>
          action === "remove"
            ? s.participants.remove(actor, params.address, body.reason, hooks)
            : s.participants.setFrozen(actor, params.address, action === "freeze", body.reason, hooks),
        respond: participant,
      }),
    ),
    route({
      method: "get",
      path: "/policy",
      summary: "The sandbox policy in force (every control of DESIGN.md section 4)",
      tag: "Policy",
      access: "user",
      response: Policy,
      handler: policy,
    }),
    writeRoute({
      method: "put",
      path: "/policy/limits/:limit",
      summary: "Set one sandbox control, with a reason",
      tag: "Policy",
      access: [...REGULATOR],
      params: LimitParams,
      body: SetLimitRequest,
      response: Policy,
      operation: "policy.setLimit",
      perform: ({ actor, params, body, hooks }) => s.regulator.setLimit(actor, params.limit as LimitName, body.value, body.reason, hooks),
      respond: policy,
    }),
    writeRoute({
      method: "put",
      path: "/policy/window",
      summary: "Set the pilot window (issuance and financing only inside it), with a reason",
      tag: "Policy",
      access: [...REGULATOR],
      body: PilotWindowRequest,
      response: Policy,
      operation: "policy.window",
      perform: ({ actor, body, hooks }) => s.regulator.setPilotWindow(actor, isoDateToUnix(body.start), isoDateToUnix(body.end), body.reason, hooks),
      respond: policy,
    }),
    ...(["pause", "resume", "wind-down"] as const).map((action) =>
      writeRoute({
        method: "post",
        path: `/policy/${action}`,
        summary: {
          pause: "Pause the whole sandbox (circuit breaker)",
          resume: "Resume after a pause",
          "wind-down": "Start the wind-down: nothing new is issued or financed; settlement continues",
        }[action],
        tag: "Policy",
        access: [...REGULATOR],
        body: ReasonRequest,
        response: Policy,
        operation: `policy.${action}`,
        perform: ({ actor, body, hooks }) =>
          action === "pause"
            ? s.regulator.pause(actor, body.reason, hooks)
            : action === "resume"
              ? s.regulator.resume(actor, body.reason, hooks)
              : s.regulator.startWindDown(actor, body.reason, hooks),
        respond: policy,
      }),
    ),
    ...(["freeze", "unfreeze"] as const).map((action) =>
      writeRoute({
        method: "post",
        path: `/invoices/:id/${action}`,
        summary: action === "freeze" ? "Freeze a receivable: nothing of it moves, is financed or paid" : "Lift a receivable's freeze",
        tag: "Policy",
        access: [...REGULATOR],
        params: InvoiceIdParams,
        body: ReasonRequest,
        response: InvoiceDetail,
        operation: `invoices.${action}`,
        perform: ({ actor, params, body, hooks }) => s.regulator.setReceivableFrozen(actor, params.id, action === "freeze", body.reason, hooks),
        respond: (_r, { actor, params }) => s.invoices.get(actor, params.id),
      }),
    ),
    route({
      method: "get",
      path: "/alerts",
      summary: "Alerts: actions blocked by a rule, caps above 80% used, overdue and defaulted receivables",
      tag: "Oversight",
      access: [...REGULATOR],
      response: z.object({ items: z.array(Alert) }),
      handler: async () => ({ items: await s.oversight.alerts() }),
    }),
    route({
      method: "get",
      path: "/dashboard",
      summary: "Key figures and series of the pilot (volume over time, by bank, by buyer, tiers, blocks per rule)",
      tag: "Oversight",
      access: [...REGULATOR],
      response: Dashboard,
      handler: () => s.oversight.dashboard(),
    }),
    route({
      method: "get",
      path: "/audit",
      summary: "The audit trail: every contract event, filtered by name, invoice, actor and time",
      tag: "Oversight",
      access: [...REGULATOR],
      query: AuditQuery,
      response: pageOf(AuditEntry),
      handler: async ({ query }) => s.audit.list(query),
    }),
    route({
      method: "get",
      path: "/audit.csv",
      summary: "The filtered audit trail as CSV",
      tag: "Oversight",
      access: [...REGULATOR],
      query: AuditQuery.omit({ limit: true, offset: true }),
      response: z.unknown(),
      raw: { contentType: "text/csv" },
      handler: async ({ query, res }) => {
        res.status(200).type("text/csv; charset=utf-8").set("content-disposition", 'attachment; filename="audit-trail.csv"');
        // Chunk by chunk, other requests served between chunks; paused while the client is behind,
        // stopped if it goes away (pipeline ends the response).
        await pipeline(Readable.from(s.audit.csv(query)), res);
        return undefined;
      },
    }),
  ];
}
