import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { Engine } from "../engine.js";
import { interfaces } from "../../server/src/chain/contracts.js";
import { CACHED_STATES } from "../../server/src/chain/runtime.js";
import { ChainClockFollower } from "../chain-clock.js";
import { InProcessPort } from "../inprocess.js";
import type { Party } from "../port.js";
import { tickets, Wave } from "../wave.js";
import { tiny } from "./fixtures.js";

/** The message a promise rejects with ("" if it resolves). Hardhat's chai plugins, loaded with the chain, change chai's own `rejects`. */
const failure = (p: Promise<unknown>) => p.then(() => "", (error: unknown) => (error instanceof Error ? error.message : String(error)));
const tick = () => new Promise((resolve) => setImmediate(resolve));

describe("a wave", () => {
  it("when a later action finishes first, then a waiting one goes only once every lower ticket is released, and the wave ends once", async () => {
    let ended = 0;
    const wave = new Wave(3, () => ended++);
    const order: number[] = [];
    const turns = [0, 2].map((i) => wave.turn(i).then(() => order.push(i)));
    await tick();
    expect(order).toEqual([0]);
    // Ticket 1's action ends without a transaction while ticket 0 still holds the chain.
    wave.release(1);
    await tick();
    expect(order).toEqual([0]);
    wave.release(0);
    await Promise.all(turns);
    expect(order).toEqual([0, 2]);
    expect(ended).toBe(0);
    wave.release(2);
    wave.release(2);
    expect(ended).toBe(1);
  });

  it("when tickets approach their turn, then only the next one prepares, and each later one as the one before it is released", async () => {
    const wave = new Wave(4);
    const prepared: number[] = [];
    for (const i of [0, 1, 2, 3]) wave.approach(i, () => prepared.push(i));
    await tick();
    expect(prepared).toEqual([0, 1]);
    wave.release(0);
    await tick();
    expect(prepared).toEqual([0, 1, 2]);
    wave.release(1);
    await tick();
    expect(prepared).toEqual([0, 1, 2, 3]);
  });

  it("when the first ticket is released (its transaction on its way), then the wave's other actions may start, and not before", async () => {
    const wave = new Wave(3);
    let started = false;
    wave.afterFirst(() => (started = true));
    wave.release(1);
    await tick();
    expect(started).toBe(false);
    wave.release(0);
    await tick();
    expect(started).toBe(true);
  });

  it("when a wave's actions run on the in-process port, then the second starts only after the first sent its transaction", async () => {
    const scenario = tiny();
    const port = await InProcessPort.start({ genesisTime: Engine.genesisTime(scenario), firstBlockTime: Engine.setupTime(scenario) });
    try {
      const { ctx, operator } = port.platform;
      const wallet = ctx.keys.wallet(operator.address)!;
      const events: string[] = [];
      const rpc = port.sender.connection;
      const request = rpc.request;
      rpc.request = (args) => {
        if (args.method === "eth_sendRawTransaction") events.push("send");
        return request.call(rpc, args);
      };
      const action = (name: string) => async () => {
        events.push(name);
        await port.sender.send(wallet, ctx.addresses.SettlementToken, interfaces.SettlementToken.encodeFunctionData("mint", [operator.address, 1n]));
      };
      await port.concurrently!([action("first"), action("second")]);
      expect(events).toEqual(["first", "send", "second", "send"]);
    } finally {
      await port.close();
    }
  });

  it("when an empty wave is made, then it ends at once", () => {
    let ended = 0;
    new Wave(0, () => ended++);
    expect(ended).toBe(1);
  });
});

describe("the chain's own clock", () => {
  it("when blocks follow a time set a moment ago, then the chain gives them their seconds by itself until wall time could catch up", () => {
    const clock = new ChainClockFollower();
    // Nothing set yet: the chain's clock is unknown.
    expect(clock.givesByItself(1_001, 1_000, 0)).toBe(false);
    clock.set(1_000, 0);
    expect(clock.givesByItself(1_001, 1_000, 100)).toBe(true);
    // Within the margin of a wall second since the time was set, the chain's clock could give 1_002.
    expect(clock.givesByItself(1_001, 1_000, 600)).toBe(false);
    expect(clock.givesByItself(1_003, 1_002, 2_400)).toBe(true);
    expect(clock.givesByItself(1_003, 1_002, 2_600)).toBe(false);
    // A jump (a new day) is always set.
    expect(clock.givesByItself(1_005, 1_002, 10)).toBe(false);
  });
});

describe("the simulator's sender", () => {
  const scenario = tiny();
  let port: InProcessPort;
  let bank: Party;
  beforeAll(async () => {
    port = await InProcessPort.start({ genesisTime: Engine.genesisTime(scenario), firstBlockTime: Engine.setupTime(scenario) });
  });
  afterAll(() => port.close());

  it("when blocks follow the simulated clock, then each gets the next second without being told", async () => {
    const start = Engine.setupTime(scenario);
    bank = await port.onboard({ id: "bank-x", name: "Bank X", role: "Bank", privateKey: `0x${"7".repeat(64)}`, admittedUntil: start + 400 * 86_400 });
    await port.mint(bank, 100);
    const rpc = port.sender.connection;
    const latest = (await rpc.request({ method: "eth_getBlockByNumber", params: ["latest", false] })) as { number: string; timestamp: string };
    const blocks = Number(latest.number);
    // Funding, admission, mint: three blocks, one second apart from the first.
    expect(Number(latest.timestamp)).toBe(start + 2);
    const first = (await rpc.request({ method: "eth_getBlockByNumber", params: [`0x${(blocks - 2).toString(16)}`, false] })) as { timestamp: string };
    expect(Number(first.timestamp)).toBe(start);
    port.sender.clock.jumpTo(start + 86_400);
    await port.sender.mine();
    expect(port.sender.stats.blocks).toBeGreaterThanOrEqual(3);
  });

  it("when more blocks pass than the chain keeps whole states of, then an older state is still answered right", async () => {
    expect(process.env.__EDR_MAX_CACHED_STATES).toBe(String(CACHED_STATES));
    const rpc = port.sender.connection;
    const balanceAt = async (block: number) =>
      BigInt((await rpc.request({ method: "eth_call", params: [{ to: port.platform.addresses.SettlementToken, data: interfaces.SettlementToken.encodeFunctionData("balanceOf", [bank.address]) }, `0x${block.toString(16)}`] })) as string);
    const first = Number(await rpc.request({ method: "eth_blockNumber" }));
    const before = await balanceAt(first);
    for (let i = 0; i < CACHED_STATES + 20; i++) await port.mint(bank, 1);
    const last = Number(await rpc.request({ method: "eth_blockNumber" }));
    expect(last - first).toBeGreaterThan(CACHED_STATES);
    expect(await balanceAt(first)).toBe(before);
    expect(await balanceAt(first + 1)).toBe(before + 1n);
    expect(await balanceAt(last)).toBe(before + BigInt(CACHED_STATES + 20));
  });

  it("when the sender has made a block, then it hands the index that block and its logs as the chain gives them, once", async () => {
    const rpc = port.sender.connection;
    const { ctx, operator } = port.platform;
    const wallet = ctx.keys.wallet(operator.address)!;
    const receipt = await port.sender.send(wallet, ctx.addresses.SettlementToken, interfaces.SettlementToken.encodeFunctionData("mint", [bank.address, 5n]));
    const number = `0x${receipt.blockNumber.toString(16)}`;
    const block = (await rpc.request({ method: "eth_getBlockByNumber", params: [number, false] })) as Record<string, unknown>;
    const logs = (await rpc.request({ method: "eth_getLogs", params: [{ fromBlock: number, toBlock: number }] })) as unknown[];
    const made = port.sender.takeMined(receipt.blockNumber);
    expect(made).toBeDefined();
    expect(made!.block).toEqual({ number: block.number, hash: block.hash, stateRoot: "", timestamp: block.timestamp, transactions: block.transactions });
    expect(made!.logs.length).toBeGreaterThan(0);
    expect(made!.logs).toEqual(logs);
    expect(port.sender.takeMined(receipt.blockNumber)).toBeUndefined();
  });

  it("when transactions follow each other within a day, then their blocks get the simulated clock's seconds without the sender setting them", async () => {
    const rpc = port.sender.connection;
    const left = port.sender.stats.timesLeftToChain;
    const times: number[] = [];
    const blocks: number[] = [];
    for (let i = 0; i < 5; i++) {
      times.push(port.sender.clock.peek());
      await port.mint(bank, 1);
      blocks.push(Number(await rpc.request({ method: "eth_blockNumber" })));
    }
    expect(port.sender.stats.timesLeftToChain - left).toBeGreaterThan(0);
    for (let i = 0; i < 5; i++) {
      const block = (await rpc.request({ method: "eth_getBlockByNumber", params: [`0x${blocks[i].toString(16)}`, false] })) as { timestamp: string };
      expect(Number(block.timestamp)).toBe(times[i]);
    }
  });

  it("when the thread stalls between an action's signature and its send, then its block still gets the simulated clock's second", async () => {
    const rpc = port.sender.connection;
    const { ctx, operator } = port.platform;
    const wallet = ctx.keys.wallet(operator.address)!;
    const latest = (await rpc.request({ method: "eth_getBlockByNumber", params: ["latest", false] })) as { timestamp: string };
    // A day opens (its time set just now): the next block's second is one the chain gives by itself.
    port.sender.clock.jumpTo(Number(latest.timestamp) + 86_400);
    await port.sender.mine();
    const time = port.sender.clock.peek();
    // The stall: the thread is held once the transaction is signed, before it is sent, long
    // enough for the chain's own clock (wall time since the day's time was set) to pass `time`.
    const stall = () => {
      const until = Date.now() + 2_500;
      while (Date.now() < until);
    };
    const receipt = await port.sender.send(wallet, ctx.addresses.SettlementToken, interfaces.SettlementToken.encodeFunctionData("mint", [bank.address, 1n]), 0n, stall);
    const block = (await rpc.request({ method: "eth_getBlockByNumber", params: [`0x${receipt.blockNumber.toString(16)}`, false] })) as { timestamp: string };
    expect(Number(block.timestamp)).toBe(time);
  });

  it("when something else moves the chain's clock between two transactions, then the next one fails instead of taking a time the simulated clock did not give", async () => {
    await port.mint(bank, 1);
    const rpc = port.sender.connection;
    const latest = (await rpc.request({ method: "eth_getBlockByNumber", params: ["latest", false] })) as { timestamp: string };
    await rpc.request({ method: "evm_mine", params: [Number(latest.timestamp) + 7] });
    expect(await failure(port.mint(bank, 1))).toMatch(/simulated clock gave/);
  });

  it("when something else moves the chain's clock, then the next day does not open (the run would not repeat)", async () => {
    const rpc = port.sender.connection;
    const latest = (await rpc.request({ method: "eth_getBlockByNumber", params: ["latest", false] })) as { timestamp: string };
    await rpc.request({ method: "evm_mine", params: [Number(latest.timestamp) + 7] });
    port.sender.clock.jumpTo(Number(latest.timestamp) + 86_400);
    expect(await failure(port.sender.mine())).toMatch(/simulated clock gave/);
  });

  it("when something else mines a block right after an action's transaction (its time seen in the receipt), then the next day does not open", async () => {
    await port.mint(bank, 1);
    const rpc = port.sender.connection;
    const latest = (await rpc.request({ method: "eth_getBlockByNumber", params: ["latest", false] })) as { timestamp: string };
    await rpc.request({ method: "evm_mine", params: [Number(latest.timestamp) + 7] });
    port.sender.clock.jumpTo(Number(latest.timestamp) + 86_400);
    expect(await failure(port.sender.mine())).toMatch(/simulated clock gave/);
  });

  it("when two actions of a wave send, then the second transaction reaches the chain before the first is answered, and their blocks keep the tickets' order", async () => {
    const rpc = port.sender.connection;
    const request = rpc.request;
    const seen: string[] = [];
    rpc.request = async (args) => {
      if (args.method === "eth_sendRawTransaction") seen.push("send");
      try {
        return await request.call(rpc, args);
      } finally {
        if (args.method === "eth_sendRawTransaction") seen.push("answer");
      }
    };
    try {
      const { ctx, operator } = port.platform;
      const wallet = ctx.keys.wallet(operator.address)!;
      const mint = () => port.sender.send(wallet, ctx.addresses.SettlementToken, interfaces.SettlementToken.encodeFunctionData("mint", [bank.address, 1n]));
      const wave = new Wave(2);
      const receipts = await Promise.all(
        [0, 1].map((index) =>
          tickets.run({ wave, index }, async () => {
            try {
              return await mint();
            } finally {
              wave.release(index);
            }
          }),
        ),
      );
      expect(seen).toEqual(["send", "send", "answer", "answer"]);
      const [first, second] = receipts.map((r) => r.blockNumber);
      expect(second).toBe(first + 1);
    } finally {
      rpc.request = request;
    }
  });

  it("when an action of a wave sends a second transaction after its first went through, then it is refused", async () => {
    const wave = new Wave(1);
    const send = () => port.mint(bank, 1);
    const twice = tickets.run({ wave, index: 0 }, async () => {
      await send();
      await send();
    });
    expect(await failure(twice)).toMatch(/second transaction/);
  });
});
