import { createRequire } from "node:module";

import hardhatToolboxMochaEthersPlugin from "@nomicfoundation/hardhat-toolbox-mocha-ethers";
import { defineConfig } from "hardhat/config";

// The compiler comes from the pinned `solc` npm package (solcjs), so builds work offline.
// Its version must equal the `solc` version pinned in package.json.
const require = createRequire(import.meta.url);
const solcjs = require.resolve("solc/soljson.js");
const SOLC_VERSION: string = require("solc/package.json").version;

const optimized = {
  version: SOLC_VERSION,
  path: solcjs,
  settings: { optimizer: { enabled: true, runs: 800 }, evmVersion: "cancun" },
};

export default defineConfig({
  plugins: [hardhatToolboxMochaEthersPlugin],
  solidity: {
    profiles: {
      default: optimized,
      production: optimized,
    },
  },
  // One binding output: the app and the contract suites both type the contracts from the ABIs in
  // domain/generated (test/helpers/contracts.ts), so typechain's second copy is not generated.
  typechain: { dontOverrideCompile: true },
  coverage: {
    // Plain OpenZeppelin tokens used only as the gas benchmark's reference.
    skipFiles: ["contracts/bench/**"],
  },
  test: {
    solidity: {
      profiles: {
        // Default run: every fuzz and invariant property, at a depth that keeps `npm test` fast.
        default: { fuzz: { runs: 256 }, invariant: { runs: 64, depth: 64 } },
        // `npx hardhat test solidity --test-profile deep`: the same properties, searched harder.
        deep: { fuzz: { runs: 5000 }, invariant: { runs: 512, depth: 256 } },
      },
    },
  },
});
