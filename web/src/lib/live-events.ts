/**
 * Live updates: the platform's server-sent events (GET /api/events), read with fetch so that every
 * event name arrives through one reader and the session token can be sent. The stream reconnects
 * after a drop, sending Last-Event-ID so nothing is missed.
 */
import { useQueryClient, type QueryKey } from "@tanstack/react-query";
import { useEffect, useState } from "react";

import { invalidate, stale } from "../api/query-keys";
import { apiUrl, getSessionToken } from "./api-client";
import { eventKind } from "./event-text";

export interface LiveEvent {
  id: number;
  name: string;
  invoiceId: string | null;
  timestamp: number;
}

export type LiveStatus = "connecting" | "live" | "offline";

interface Handlers {
  onEvent(event: LiveEvent): void;
  onStatus(status: LiveStatus): void;
}

/** Parses one SSE block ("id: ..\nevent: ..\ndata: ..") into an event, or null for comments. */
export function parseSseBlock(block: string): { id?: string; event?: string; data?: string; retry?: number } | null {
  const out: { id?: string; event?: string; data?: string; retry?: number } = {};
  let any = false;
  for (const line of block.split("\n")) {
    if (line === "" || line.startsWith(":")) continue;
    const colon = line.indexOf(":");
    const field = colon === -1 ? line : line.slice(0, colon);
    const value = colon === -1 ? "" : line.slice(colon + 1).replace(/^ /, "");
    any = true;
    if (field === "id") out.id = value;
    else if (field === "event") out.event = value;
    else if (field === "data") out.data = out.data === undefined ? value : `${out.data}\n${value}`;
    else if (field === "retry" && /^\d+$/.test(value)) out.retry = Number(value);
  }
  return any ? out : null;
}

/** Connects to the event stream until the returned function is called. */
export function connectLiveEvents(handlers: Handlers, token: () => string | null = getSessionToken): () => void {
  let stopped = false;
  let lastId: string | undefined;
  let retryMs = 2_000;
  let controller: AbortController | null = null;

  const run = async () => {
    while (!stopped) {
      controller = new AbortController();
      handlers.onStatus("connecting");
      try {
        const headers: Record<string, string> = { accept: "text/event-stream" };
        const bearer = token();
        if (bearer !== null) headers.authorization = `Bearer ${bearer}`;
        if (lastId !== undefined) headers["last-event-id"] = lastId;
        const response = await fetch(apiUrl("/events"), { headers, credentials: "same-origin", signal: controller.signal });
        if (!response.ok || response.body === null) throw new Error(`HTTP ${response.status}`);
        handlers.onStatus("live");
        const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
        let buffer = "";
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buffer += value.replace(/\r\n?/g, "\n");
          let cut: number;
          while ((cut = buffer.indexOf("\n\n")) !== -1) {
            const block = buffer.slice(0, cut);
            buffer = buffer.slice(cut + 2);
            const parsed = parseSseBlock(block);
            if (parsed === null) continue;
            if (parsed.retry !== undefined) retryMs = parsed.retry;
            if (parsed.id !== undefined) lastId = parsed.id;
            if (parsed.data === undefined) continue;
            try {
              const data = JSON.parse(parsed.data) as Partial<LiveEvent>;
              handlers.onEvent({
                id: Number(data.id ?? parsed.id ?? 0),
                name: parsed.event ?? data.name ?? "message",
                invoiceId: data.invoiceId ?? null,
                timestamp: Number(data.timestamp ?? 0),
              });
            } catch {
              // Not JSON: not one of the platform's events.
            }
          }
        }
      } catch {
        // Dropped or refused: fall through to the reconnect delay.
      }
      if (stopped) return;
      handlers.onStatus("offline");
      await new Promise((resolve) => setTimeout(resolve, retryMs));
    }
  };
  void run();
  return () => {
    stopped = true;
    controller?.abort();
  };
}

/** What an event makes stale, by the kind of change it reports. */
export const staleAfter = (name: string): readonly QueryKey[] => stale[eventKind(name)];

/**
 * Keeps the UI current: each event the platform sends (the ones that concern the user) refreshes
 * the queries its kind makes stale, batched so a burst of events makes one refresh.
 */
export function useLiveUpdates(enabled: boolean, token: () => string | null = getSessionToken): { status: LiveStatus; last: LiveEvent | null } {
  const queryClient = useQueryClient();
  const [status, setStatus] = useState<LiveStatus>("connecting");
  const [last, setLast] = useState<LiveEvent | null>(null);
  useEffect(() => {
    if (!enabled) return;
    let timer: ReturnType<typeof setTimeout> | null = null;
    let pending: QueryKey[] = [];
    const stop = connectLiveEvents(
      {
        onEvent: (event) => {
          setLast(event);
          pending.push(...staleAfter(event.name));
          if (timer !== null) return;
          timer = setTimeout(() => {
            timer = null;
            const keys = pending;
            pending = [];
            void invalidate(queryClient, keys);
          }, 300);
        },
        onStatus: setStatus,
      },
      token,
    );
    return () => {
      stop();
      if (timer !== null) clearTimeout(timer);
    };
  }, [enabled, queryClient, token]);
  return { status, last };
}
