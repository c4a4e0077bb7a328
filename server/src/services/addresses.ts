/**
 * Addresses arrive in any case (the API's schema accepts 0x-prefixed hex); the index stores them
 * with their EIP-55 checksum and ethers refuses a mixed-case address whose checksum is wrong. Every
 * address a request names goes through {checksummed} before it is compared or sent to the chain.
 */
import { getAddress } from "ethers";

/** `address` with its EIP-55 checksum, whatever case it was written in. */
export function checksummed(address: string): string {
  return getAddress(address.toLowerCase());
}

/** {checksummed} for an optional filter. */
export function checksummedOrUndefined(address: string | undefined): string | undefined {
  return address === undefined ? undefined : checksummed(address);
}
