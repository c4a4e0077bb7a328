/**
 * The raw chain's transaction rate, for `npm run bench:api`: transactions sent straight to the
 * platform's chain (eth_sendRawTransaction, then the receipt), with no API, database or index in
 * between, from many accounts at once, one transaction in flight per account (as the platform's
 * sender: one queue per account). Signed with the platform's own signer (TxSigner), so that the
 * comparison is between the chain with and without the platform, not between two ways to sign.
 *
 * Two loads:
 * - `submissions`: the very transaction POST /api/invoices sends (ReceivableLedger.submitInvoice,
 *   one new invoice each), from suppliers of their own: the chain's rate for the work a
 *   submission asks of it, the yardstick of the submissions' ratio;
 * - `transfers`: ERC-20 transfers (SettlementToken.transfer), the chain's rate for a light
 *   transaction, for information.
 */
import { parseEther, Wallet } from "ethers";

import { encodeCall } from "../../server/src/chain/contracts.js";
import { signerOf, type TxSigner } from "../../server/src/chain/signer.js";
import type { Platform } from "../../server/src/platform.js";
import { calls } from "../../server/src/services/calls.js";
import type { Actor } from "../../server/src/services/context.js";

/** Transactions of one kind: who sends them and what each one calls. */
export interface RawLoad {
  name: string;
  accounts: TxSigner[];
  to: string;
  /** The call data of the `n`-th transaction of the load (over all its runs). */
  data: (n: number, account: TxSigner) => string;
  /** Fixed: a raw client sends without a preflight. */
  gasLimit: bigint;
}

export interface RawResult {
  txs: number;
  seconds: number;
}

/** ERC-20 transfers from `count` new accounts, funded by the operator (not measured). */
export async function transferLoad(platform: Platform, count: number, recipient: string): Promise<RawLoad> {
  const { ctx, operator } = platform;
  const operatorWallet = ctx.keys.wallet(operator.address)!;
  const accounts: TxSigner[] = [];
  for (let i = 0; i < count; i++) {
    const wallet = Wallet.createRandom();
    await ctx.sender.send(operatorWallet, wallet.address, "0x", parseEther("10"));
    await calls(ctx, operator).SettlementToken.mint(wallet.address, 100_000_000n);
    accounts.push(signerOf(wallet));
  }
  const data = encodeCall("SettlementToken", "transfer", [recipient, 1n]);
  return { name: "ERC-20 transfers", accounts, to: ctx.addresses.SettlementToken, data: () => data, gasLimit: 100_000n };
}

/**
 * Invoice submissions from `suppliers` (admitted for this and used by nothing else, so the
 * platform's sender never sends for them meanwhile), each against one of `buyers`.
 */
export function submissionLoad(platform: Platform, suppliers: Actor[], buyers: Actor[], documentHash: string, dates: { issue: number; due: number }): RawLoad {
  const { ctx } = platform;
  const accounts = suppliers.map((s) => signerOf(ctx.keys.wallet(s.address)!));
  return {
    name: "invoice submissions",
    accounts,
    to: ctx.addresses.ReceivableLedger,
    data: (n) =>
      encodeCall("ReceivableLedger", "submitInvoice", [buyers[n % buyers.length].address, `RAW-${n}`, 50_000n * 100n + BigInt(n), dates.issue, dates.due, documentHash]),
    gasLimit: 400_000n,
  };
}

const sent = new WeakMap<RawLoad, number>();

/** Sends `count` transactions of `load` as fast as the chain takes them; the chain's rate. */
export async function rawRate(platform: Platform, load: RawLoad, count: number): Promise<RawResult> {
  const { ctx } = platform;
  const rpc = ctx.chain.rpc;
  await ctx.sync.upTo();
  const nonces = await Promise.all(
    load.accounts.map(async (a) => Number((await rpc.request({ method: "eth_getTransactionCount", params: [a.address, "pending"] })) as string)),
  );
  let next = 0;
  const first = sent.get(load) ?? 0;
  const started = performance.now();
  await Promise.all(
    load.accounts.map(async (account, i) => {
      while (next < count) {
        const n = first + next++;
        const { raw } = account.sign({
          chainId: ctx.chain.chainId,
          nonce: nonces[i]++,
          to: load.to,
          data: load.data(n, account),
          value: 0n,
          gasLimit: load.gasLimit,
          maxFeePerGas: 100_000_000_000n,
          maxPriorityFeePerGas: 1n,
        });
        const hash = (await rpc.request({ method: "eth_sendRawTransaction", params: [raw] })) as string;
        const receipt = (await rpc.request({ method: "eth_getTransactionReceipt", params: [hash] })) as { status: string } | null;
        if (receipt === null || receipt.status !== "0x1") throw new Error(`raw ${load.name}: ${hash} failed`);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  sent.set(load, first + count);
  await ctx.sync.upTo(); // journal and index them before the next phase (not measured)
  return { txs: count, seconds };
}
