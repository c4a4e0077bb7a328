/**
 * The platform's view of its contracts: ABIs from the generated module, ethers interfaces for
 * encoding calls and decoding logs and reverts.
 */
import { Interface, type LogDescription } from "ethers";

import { abis, errorsAbi, type ContractName } from "../../../domain/generated/contracts.js";

export type Addresses = Record<ContractName, string>;

export const interfaces: Record<ContractName, Interface> = {
  SettlementToken: new Interface(abis.SettlementToken),
  SandboxController: new Interface(abis.SandboxController),
  ReceivableLedger: new Interface(abis.ReceivableLedger),
};

/** Every custom error any contract can raise (a ledger revert may come from the controller or token). */
export const errorsInterface = new Interface(errorsAbi);

export interface DecodedLog {
  contract: ContractName;
  name: string;
  args: Record<string, unknown>;
  blockNumber: number;
  logIndex: number;
  txHash: string;
}

/** Decodes a raw log of one of the platform's contracts; null for anything else. */
export function decodeLog(
  addresses: Addresses,
  log: { address: string; topics: string[]; data: string; blockNumber: string; logIndex: string; transactionHash: string },
): DecodedLog | null {
  const contract = (Object.keys(addresses) as ContractName[]).find(
    (name) => addresses[name].toLowerCase() === log.address.toLowerCase(),
  );
  if (contract === undefined) return null;
  let parsed: LogDescription | null;
  try {
    parsed = interfaces[contract].parseLog({ topics: log.topics, data: log.data });
  } catch {
    return null;
  }
  if (parsed === null) return null;
  const args: Record<string, unknown> = {};
  parsed.fragment.inputs.forEach((input, i) => {
    args[input.name] = parsed.args[i];
  });
  return {
    contract,
    name: parsed.name,
    args,
    blockNumber: Number(log.blockNumber),
    logIndex: Number(log.logIndex),
    txHash: log.transactionHash,
  };
}

export interface DecodedRevert {
  name: string;
  args: Record<string, unknown>;
  selector: string;
}

/** Decodes revert data into the custom error it encodes; null when it is not one of ours. */
export function decodeRevert(data: string | undefined): DecodedRevert | null {
  if (typeof data !== "string" || data.length < 10) return null;
  try {
    const parsed = errorsInterface.parseError(data);
    if (parsed === null) return null;
    const args: Record<string, unknown> = {};
    parsed.fragment.inputs.forEach((input, i) => {
      args[input.name || `arg${i}`] = parsed.args[i];
    });
    return { name: parsed.name, args, selector: parsed.selector };
  } catch {
    return null;
  }
}
