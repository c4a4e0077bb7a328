// @ts-check
import js from "@eslint/js";
import globals from "globals";
import tseslint from "typescript-eslint";


// ---- Web UI (web/src): browser code; bulletproof-react's import direction, shared -> features -> app.
const features = ["auth", "supplier", "buyer", "bank", "regulator"];
const webConfigs = [
  {
    files: ["web/**/*.{ts,tsx}"],
    languageOptions: { globals: { ...globals.browser } },
  },
  // Shared modules never import a feature or the app.
  {
    files: ["web/src/{api,components,config,hooks,i18n,lib,test}/**/*.{ts,tsx}"],
    ignores: ["web/src/test/**"],
    rules: {
      "no-restricted-imports": ["error", { patterns: [{ group: ["**/features/**", "**/app/**"], message: "Shared code must not import features or the app." }] }],
    },
  },
  // A feature imports shared code only: never another feature, never the app.
  ...features.map((feature) => ({
    files: [`web/src/features/${feature}/**/*.{ts,tsx}`],
    ignores: [`web/src/features/${feature}/**/*.test.{ts,tsx}`],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: [...features.filter((f) => f !== feature).flatMap((f) => [`**/features/${f}`, `**/features/${f}/**`, `../../${f}`, `../../${f}/**`]), "**/app/**"],
              message: "Features never import each other (or the app): move what they share to web/src/{api,components,hooks,lib}.",
            },
          ],
        },
      ],
    },
  })),
];

export default tseslint.config(
  {
    ignores: [
      "node_modules/",
      "artifacts/",
      "cache/",
      "coverage/",
      "types/",
      "dist/",
      "**/dist/",
      "ignition/deployments/",
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/consistent-type-imports": "error",
    },
  },
  {
    files: ["test/**/*.ts"],
    languageOptions: { globals: { ...globals.mocha } },
    rules: {
      // chai assertions such as `expect(x).to.be.true` are expressions.
      "@typescript-eslint/no-unused-expressions": "off",
    },
  },
  // The simulator is a client of the platform (the import rules are in .dependency-cruiser.cjs):
  // it reads the index through Platform.totals and the services, never by SQL of its own.
  {
    files: ["sim/**/*.ts"],
    ignores: ["sim/test/**"],
    rules: {
      "no-restricted-syntax": [
        "error",
        { selector: "MemberExpression[property.name='db']", message: "sim/ runs no SQL against the platform's tables: use Platform.totals or a service." },
      ],
      "no-restricted-imports": ["error", { paths: [{ name: "better-sqlite3", message: "sim/ runs no SQL against the platform's tables: use Platform.totals or a service." }] }],
    },
  },
  // The server's SQL lives in its data layer (server/src/db): everything else asks a repository.
  {
    files: ["server/src/**/*.ts"],
    ignores: ["server/src/db/**"],
    rules: {
      "no-restricted-syntax": [
        "error",
        {
          selector: "CallExpression[callee.property.name=/^(prepare|pragma|exec)$/][callee.object.name=/^(db|database)$/], CallExpression[callee.property.name=/^(prepare|pragma|exec)$/][callee.object.property.name='db']",
          message: "SQL belongs in a repository under server/src/db/repositories.",
        },
      ],
    },
  },
  ...webConfigs,
);
