/**
 * Live updates by server-sent events: every event the index commits goes to the connections it
 * concerns (the regulator and the operator see everything; a firm sees events naming it). A
 * reconnecting client sends Last-Event-ID and receives what it missed.
 */
import type { Request, Response } from "express";

import type { IndexedEvent } from "../chain/indexer.js";
import type { Db } from "../db/database.js";
import type { Actor } from "../services/context.js";

type Listener = (events: IndexedEvent[]) => void;

export class EventHub {
  readonly #listeners = new Set<Listener>();

  constructor(private readonly db: Db) {}

  publish = (events: IndexedEvent[]): void => {
    for (const listener of this.#listeners) listener(events);
  };

  subscribe(listener: Listener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Events after `lastId` that concern `actor` (at most 500), for a reconnecting client. */
  missed(actor: Actor, lastId: number): IndexedEvent[] {
    const rows = this.db
      .prepare(
        `SELECT id, name, contract, invoice_id, timestamp, block_number, tx_hash, args FROM events
         WHERE id > ? ORDER BY id LIMIT 500`,
      )
      .all(lastId) as {
      id: number;
      name: string;
      contract: string;
      invoice_id: string | null;
      timestamp: number;
      block_number: number;
      tx_hash: string;
      args: string;
    }[];
    return rows
      .map((r) => {
        const args = JSON.parse(r.args) as Record<string, string>;
        return {
          id: r.id,
          name: r.name,
          contract: r.contract,
          invoiceId: r.invoice_id,
          timestamp: r.timestamp,
          blockNumber: r.block_number,
          txHash: r.tx_hash,
          parties: Object.values(args).filter((v) => typeof v === "string" && /^0x[0-9a-fA-F]{40}$/.test(v)),
          args,
        };
      })
      .filter((e) => concerns(actor, e));
  }
}

export function concerns(actor: Actor, event: IndexedEvent): boolean {
  if (actor.role === "Regulator" || actor.role === "Operator") return true;
  const me = actor.address.toLowerCase();
  return event.parties.some((p) => p.toLowerCase() === me);
}

export function serveEvents(hub: EventHub, actor: Actor, req: Request, res: Response): void {
  res.writeHead(200, {
    "content-type": "text/event-stream",
    "cache-control": "no-cache, no-transform",
    connection: "keep-alive",
    "x-accel-buffering": "no",
  });
  res.write("retry: 2000\n\n");
  const send = (e: IndexedEvent) => {
    const { parties: _parties, ...payload } = e;
    res.write(`id: ${e.id}\nevent: ${e.name}\ndata: ${JSON.stringify(payload)}\n\n`);
  };
  const lastId = Number(req.get("last-event-id") ?? Number.NaN);
  if (Number.isInteger(lastId) && lastId >= 0) for (const e of hub.missed(actor, lastId)) send(e);
  const unsubscribe = hub.subscribe((events) => {
    for (const e of events) if (concerns(actor, e)) send(e);
  });
  const heartbeat = setInterval(() => res.write(": keep-alive\n\n"), 15_000);
  req.on("close", () => {
    clearInterval(heartbeat);
    unsubscribe();
  });
}
