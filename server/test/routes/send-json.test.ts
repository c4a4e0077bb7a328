/**
 * JSON answers (sendJson): headers and body are handed to the socket apart and written together.
 * What a client sees: the exact JSON, a Content-Length in bytes (names in Chinese included), no
 * body for HEAD, and answers that follow each other on one kept-alive connection intact.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";

import express from "express";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { sendJson } from "../../src/http/routes.js";

describe("JSON answers", () => {
  const body = { items: Array.from({ length: 200 }, (_, i) => ({ id: i, name: `供应商 ${i}`, amount: String(10n ** 20n + BigInt(i)) })), total: 200 };
  const app = express().get("/list", (_req, res) => sendJson(res, 200, body));
  let server: http.Server;
  let port: number;
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });

  beforeAll(async () => {
    server = app.listen(0, "127.0.0.1");
    await new Promise((resolve) => server.once("listening", resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    agent.destroy();
    await new Promise((resolve) => server.close(resolve));
  });

  const ask = (method: string) =>
    new Promise<{ status: number; headers: http.IncomingHttpHeaders; raw: Buffer; socket: unknown }>((resolve, reject) => {
      const req = http.request({ host: "127.0.0.1", port, path: "/list", method, agent }, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => resolve({ status: res.statusCode!, headers: res.headers, raw: Buffer.concat(chunks), socket: req.socket }));
      });
      req.on("error", reject);
      req.end();
    });

  it("when a list is asked for twice on one connection, then each answer is the whole JSON with its length in bytes", async () => {
    const first = await ask("GET");
    const second = await ask("GET");
    expect(second.socket).toBe(first.socket); // kept alive
    for (const answer of [first, second]) {
      expect(answer.status).toBe(200);
      expect(answer.headers["content-type"]).toBe("application/json; charset=utf-8");
      expect(Number(answer.headers["content-length"])).toBe(answer.raw.length);
      expect(answer.raw.length).toBeGreaterThan(JSON.stringify(body).length); // bytes, not characters
      expect(JSON.parse(answer.raw.toString("utf8"))).toEqual(body);
    }
  });

  it("when only the headers are asked for (HEAD), then they come with the length and no body, and the connection goes on", async () => {
    const head = await ask("HEAD");
    expect(head.status).toBe(200);
    expect(Number(head.headers["content-length"])).toBe(Buffer.byteLength(JSON.stringify(body)));
    expect(head.raw.length).toBe(0);
    const after = await ask("GET");
    expect(JSON.parse(after.raw.toString("utf8"))).toEqual(body);
  });
});
