/** The in-process app listening on a port of its own (port 0), for tests that need its URL. */
import http from "node:http";
import type { AddressInfo } from "node:net";

import type { Express } from "express";

export interface Listening {
  /** http://127.0.0.1:PORT */
  base: string;
  close(): Promise<void>;
}

export async function listen(app: Express): Promise<Listening> {
  const server = http.createServer(app);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
