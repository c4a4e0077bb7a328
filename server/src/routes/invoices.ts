/** Invoices and their pieces: submit, confirm, dispute, split and transfer, and the reads. */
import { z } from "zod";

import {
  DisputeRequest,
  Invoice,
  InvoiceDetail,
  InvoiceIdParams,
  InvoiceQuery,
  pageOf,
  PieceParams,
  SubmitInvoiceRequest,
  TimelineEntry,
  TransferRequest,
  TransferResponse,
} from "../../../domain/api.js";
import { route, type AnyRoute } from "../http/routes.js";
import { eventOf } from "../services/actions.js";
import type { Services } from "../services/registry.js";
import { writeRoute } from "./write.js";

export function invoiceRoutes(s: Services): AnyRoute[] {
  const detail = (actor: Parameters<Services["invoices"]["get"]>[0], id: string) => s.invoices.get(actor, id);
  return [
    writeRoute({
      method: "post",
      path: "/invoices",
      summary: "Submit an invoice (its document uploaded first) against a core enterprise",
      tag: "Invoices",
      access: ["Supplier"],
      body: SubmitInvoiceRequest,
      response: InvoiceDetail,
      status: 201,
      operation: "invoices.submit",
      perform: ({ actor, body, hooks }) => s.invoices.submit(actor, body, hooks),
      respond: (result, { actor }) => detail(actor, String(eventOf(result, "InvoiceSubmitted").args.invoiceId)),
    }),
    route({
      method: "get",
      path: "/invoices",
      summary: "Receivables visible to the caller, filtered by holder, seller, buyer, status or due date",
      tag: "Invoices",
      access: "user",
      query: InvoiceQuery,
      response: pageOf(Invoice),
      handler: ({ actor, query }) => s.invoices.list(actor, query),
    }),
    route({
      method: "get",
      path: "/invoices/:id",
      summary: "One invoice with its pieces (the lineage tree)",
      tag: "Invoices",
      access: "user",
      params: InvoiceIdParams,
      response: InvoiceDetail,
      handler: ({ actor, params }) => detail(actor, params.id),
    }),
    route({
      method: "get",
      path: "/invoices/:id/timeline",
      summary: "Every event of the invoice, oldest first",
      tag: "Invoices",
      access: "user",
      params: InvoiceIdParams,
      response: z.object({ items: z.array(TimelineEntry) }),
      handler: async ({ actor, params }) => ({ items: s.invoices.timeline(actor, params.id) }),
    }),
    writeRoute({
      method: "post",
      path: "/invoices/:id/confirm",
      summary: "Confirm the debt (buyer): the invoice becomes a confirmed receivable",
      tag: "Invoices",
      access: ["CoreEnterprise"],
      params: InvoiceIdParams,
      response: InvoiceDetail,
      operation: "invoices.confirm",
      perform: ({ actor, params, hooks }) => s.invoices.confirm(actor, params.id, hooks),
      respond: (_r, { actor, params }) => detail(actor, params.id),
    }),
    writeRoute({
      method: "post",
      path: "/invoices/:id/dispute",
      summary: "Dispute the invoice with a reason (buyer)",
      tag: "Invoices",
      access: ["CoreEnterprise"],
      params: InvoiceIdParams,
      body: DisputeRequest,
      response: InvoiceDetail,
      operation: "invoices.dispute",
      perform: ({ actor, params, body, hooks }) => s.invoices.dispute(actor, params.id, body.reason, hooks),
      respond: (_r, { actor, params }) => detail(actor, params.id),
    }),
    writeRoute({
      method: "post",
      path: "/invoices/:id/pieces/:index/transfer",
      summary: "Transfer all or part of a piece to another supplier (a split creates a new piece)",
      tag: "Invoices",
      access: ["Supplier"],
      params: PieceParams,
      body: TransferRequest,
      response: TransferResponse,
      operation: "pieces.transfer",
      perform: ({ actor, params, body, hooks }) => s.invoices.transfer(actor, params.id, params.index, body.to, body.amount, hooks),
      respond: (result, { params }) => {
        const e = eventOf(result, "PieceTransferred");
        const toIndex = Number(e.args.toIndex);
        return { invoiceId: params.id, fromIndex: Number(e.args.fromIndex), toIndex, piece: s.invoices.piece(params.id, toIndex) };
      },
    }),
  ];
}
