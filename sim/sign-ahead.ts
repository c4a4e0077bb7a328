/**
 * Signatures made ahead of an action's turn (sim/chain.ts, one transaction per block). With a
 * preflight that does not change the transaction ("call", "none"), an action's transaction is
 * signed once its ticket approaches its turn (Wave.approach), while the chain works on the ones
 * before it, for the nonce its account will have if the account's earlier transactions in the
 * wave go through. At the turn a wrong guess is simply signed again.
 */
import type { Ticket, Wave } from "./wave.js";

export interface SignedAhead {
  key: string;
  wave: Wave;
  index: number;
  nonce: number;
  raw?: Promise<string>;
  /** Its turn came: whatever was signed by then is used, nothing more is signed. */
  due?: boolean;
}

export class AheadSigning {
  /** Per account, the actions waiting for their turn. */
  readonly #waiting = new Map<string, SignedAhead[]>();

  /**
   * Registers an action of `address` waiting for its turn; `sign(nonce)` runs as the ticket
   * approaches, with the account's known nonce (`known()`) plus its earlier tickets still waiting.
   */
  reserve(address: string, ticket: Ticket, known: () => number | undefined, sign: (nonce: number) => Promise<string>): SignedAhead {
    const key = address.toLowerCase();
    const entry: SignedAhead = { key, wave: ticket.wave, index: ticket.index, nonce: -1 };
    const waiting = this.#waiting.get(key) ?? [];
    waiting.push(entry);
    this.#waiting.set(key, waiting);
    ticket.wave.approach(ticket.index, () => {
      const nonce = known();
      if (nonce === undefined || entry.due === true) return;
      entry.nonce = nonce + waiting.filter((e) => e.wave === ticket.wave && e.index < ticket.index).length;
      entry.raw = sign(entry.nonce);
      entry.raw.catch(() => undefined);
    });
    return entry;
  }

  /** At the action's turn: the signature made for `nonce`, if any (nothing more is signed ahead). */
  take(entry: SignedAhead, nonce: number): Promise<string> | undefined {
    entry.due = true;
    return entry.nonce === nonce ? entry.raw : undefined;
  }

  /** The action has sent (or given up): it no longer counts for the account's later tickets. */
  forget(entry: SignedAhead): void {
    const waiting = this.#waiting.get(entry.key);
    const i = waiting?.indexOf(entry) ?? -1;
    if (i >= 0) waiting!.splice(i, 1);
    if (waiting?.length === 0) this.#waiting.delete(entry.key);
  }
}
