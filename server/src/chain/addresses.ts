/**
 * Addresses arrive in any case (the API's schema accepts 0x-prefixed hex); the index stores them
 * with their EIP-55 checksum and ethers refuses a mixed-case address whose checksum is wrong. Every
 * address a request names goes through {checksummed} before it is compared or sent to the chain.
 */
import { getAddress } from "ethers";

/** Checksums already computed (a pilot has few participants, and every request and event names some). */
const known = new Map<string, string>();
const MAX_KNOWN = 10_000;

/**
 * `address` with its EIP-55 checksum, whatever case it was written in. Remembered: the checksum is
 * a keccak hash, and the same few addresses come back on every request and in every event.
 */
export function checksummed(address: string): string {
  let result = known.get(address);
  if (result === undefined) {
    result = getAddress(address.toLowerCase());
    if (known.size >= MAX_KNOWN) known.clear();
    known.set(address, result);
  }
  return result;
}

/** {checksummed} for an optional filter. */
export function checksummedOrUndefined(address: string | undefined): string | undefined {
  return address === undefined ? undefined : checksummed(address);
}
