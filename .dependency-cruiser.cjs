/**
 * The server's and the simulator's layers (docs/ARCHITECTURE.md), checked by `npm run lint:deps`:
 * no import cycles, and imports point down only. The web UI's own layers are in eslint.config.js.
 *
 *   domain  <-  chain (gateway), db (repositories)  <-  services  <-  http, routes  <-  platform.ts, app.ts, main.ts
 *   sim  ->  the server's public entry points only (platform.ts, public.ts)
 */
const server = "^server/src/";
const composition = `${server}(platform|app|main|admin)\\.ts$`;

module.exports = {
  forbidden: [
    {
      name: "no-circular",
      severity: "error",
      comment: "A cycle, even through a type-only import, means two modules are one: split what they share into a module below both.",
      from: { path: `^(${server.slice(1)}|domain/)` },
      to: { circular: true },
    },
    {
      name: "no-circular-sim",
      severity: "error",
      comment: "The simulator's modules run in a fixed order: a runtime import cycle makes that order depend on which module is loaded first.",
      from: { path: "^sim/" },
      to: { circular: true, viaOnly: { dependencyTypesNot: ["type-only"] } },
    },
    {
      name: "no-circular-sim-types",
      severity: "warn",
      comment: "Cycles through type-only imports among the simulator's model files (engine state and its parts): reported, to be untied by moving the shared types down.",
      from: { path: "^sim/" },
      to: { circular: true },
    },
    {
      name: "domain-imports-nothing-above",
      severity: "error",
      comment: "domain/ holds the rules and shapes shared by contracts' tests, server, web and simulator: it depends on none of them.",
      from: { path: "^domain/" },
      to: { path: "^(server|web|sim|scripts|test|e2e)/" },
    },
    {
      name: "db-below-services",
      severity: "error",
      comment: "The data layer (database, repositories) serves the services: it never calls up into services, routes or HTTP.",
      from: { path: `${server}db/` },
      to: { path: [`${server}(services|routes|http)/`, composition] },
    },
    {
      name: "chain-below-services",
      severity: "error",
      comment: "The chain gateway (contracts, sender, index, sync) knows nothing of services, routes or HTTP.",
      from: { path: `${server}chain/` },
      to: { path: [`${server}(services|routes|http)/`, composition] },
    },
    {
      name: "services-below-routes",
      severity: "error",
      comment: "Services are called by routes, the simulator and scripts alike: they never import HTTP, routes or the composition root.",
      from: { path: `${server}services/` },
      to: { path: [`${server}(routes|http)/`, composition] },
    },
    {
      name: "http-below-composition",
      severity: "error",
      comment: "Routes and the HTTP machinery are handed their services: they never import the composition root.",
      from: { path: `${server}(routes|http)/` },
      to: { path: composition },
    },
    {
      name: "routes-no-db",
      severity: "error",
      comment: "Routes never reach the data layer directly.",
      from: { path: `${server}routes/` },
      to: { path: `${server}db/` },
    },
    {
      name: "server-not-sim",
      severity: "error",
      comment: "The server does not depend on the simulator: main.ts (the process's composition root) hands it the simulation runner (domain/simulation-runner.ts).",
      from: { path: server, pathNot: `${server}main\\.ts$` },
      to: { path: "^sim/" },
    },
    {
      name: "sim-uses-public-api",
      severity: "error",
      comment: "The simulator is a client of the platform: it imports server/src/platform.ts and server/src/public.ts, never services, db or chain internals.",
      from: { path: "^sim/", pathNot: "^sim/test/" },
      to: { path: "^server/", pathNot: `${server}(platform|public)\\.ts$` },
    },
  ],
  options: {
    includeOnly: "^(server/src|sim|domain)/",
    exclude: { path: ["node_modules", "^sim/scratch/"] },
    doNotFollow: { path: "node_modules" },
    // Type-only imports count: a cycle through them is still two modules that need each other.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
  },
};
