/**
 * Live updates by server-sent events: every event the index commits goes to the connections it
 * concerns (the regulator and the operator see everything; a firm sees events naming it). A
 * reconnecting client sends Last-Event-ID and receives what it missed.
 */
import type { Request, Response } from "express";

import type { IndexedEvent } from "../chain/indexer.js";
import { partiesOf } from "../chain/parties.js";
import type { Db } from "../db/database.js";
import { EventRepository } from "../db/repositories/events.js";
import type { Actor } from "../services/context.js";

type Listener = (events: IndexedEvent[]) => void;

export class EventHub {
  readonly #listeners = new Set<Listener>();
  readonly #events: EventRepository;

  constructor(db: Db) {
    this.#events = new EventRepository(db);
  }

  publish = (events: IndexedEvent[]): void => {
    for (const listener of this.#listeners) listener(events);
  };

  subscribe(listener: Listener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /**
   * Events after `lastId` that concern `actor` (the oldest 500 of them), for a reconnecting client.
   * The events table keeps only each event's first party, so the others are found again by the
   * index's own rule (chain/parties.ts), with the pieces' holders as of today.
   */
  missed(actor: Actor, lastId: number, max = 500): IndexedEvent[] {
    const holders = new Map<string, string[]>();
    const out: IndexedEvent[] = [];
    for (let after = lastId; out.length < max; ) {
      const rows = this.#events.after(after);
      if (rows.length === 0) break;
      after = rows[rows.length - 1].id;
      for (const r of rows) {
        const args = JSON.parse(r.args) as Record<string, string>;
        const invoice = r.invoice_id;
        const parties = partiesOf(r.name, args, {
          sellerAndBuyer: () => (r.seller !== null && r.buyer !== null ? [r.seller, r.buyer] : []),
          holders: () => {
            if (invoice === null) return [];
            if (!holders.has(invoice)) holders.set(invoice, this.#events.holdersOf(invoice));
            return holders.get(invoice)!;
          },
        });
        const event: IndexedEvent = {
          id: r.id,
          name: r.name,
          contract: r.contract,
          invoiceId: r.invoice_id,
          timestamp: r.timestamp,
          blockNumber: r.block_number,
          txHash: r.tx_hash,
          parties,
          args,
        };
        if (!concerns(actor, event)) continue;
        out.push(event);
        if (out.length >= max) break;
      }
    }
    return out;
  }
}

export function concerns(actor: Actor, event: IndexedEvent): boolean {
  if (actor.role === "Regulator" || actor.role === "Operator") return true;
  const me = actor.address.toLowerCase();
  return event.parties.some((p) => p.toLowerCase() === me);
}

/**
 * Serves `actor` its events until the client goes or its session ends (`untilSessionEnds` calls
 * back then and returns how to stop watching): a stream must not outlive a logout or an expiry.
 */
export function serveEvents(
  hub: EventHub,
  actor: Actor,
  req: Request,
  res: Response,
  untilSessionEnds: (end: () => void) => () => void,
): void {
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
  let stopWatching = () => {};
  const close = () => {
    clearInterval(heartbeat);
    unsubscribe();
    stopWatching();
  };
  req.on("close", close);
  res.on("close", close);
  stopWatching = untilSessionEnds(() => {
    close();
    res.end();
  });
}
