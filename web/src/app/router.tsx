/**
 * Routes. Each page is its own lazy chunk (React.lazy), so a portal loads only its JavaScript and
 * the regulator's charts (Chart.js) load only with the dashboard. Every page has its own error boundary.
 */
import { Center, Loader } from "@mantine/core";
import { lazy, Suspense, type ComponentType, type ReactNode } from "react";
import type { QueryClient } from "@tanstack/react-query";
import { matchPath, Navigate, Route, Routes } from "react-router";

import { chainQuery } from "../api/get-chain";
import { dashboardQuery } from "../features/regulator/api/get-dashboard";

import { NotFound, RouteBoundary } from "../components/RouteError";
import { homeOf, paths } from "../config/paths";
import { useSession } from "../lib/session";
import { PortalLayout } from "./layout/PortalLayout";

type Prefetch = (queryClient: QueryClient) => Promise<void>;
const loaders: { path: string; load: () => Promise<unknown>; prefetch?: Prefetch }[] = [];

/**
 * A page at `path`, loaded on demand (React.lazy). Once its chunk has arrived (e.g. preloaded at
 * start by `preloadRoute`) it renders synchronously, without a Suspense fallback in between.
 */
const page = <K extends string>(path: string, load: () => Promise<Record<K, ComponentType>>, name: K, prefetch?: Prefetch) => {
  let loaded: ComponentType | null = null;
  const fetchPage = () =>
    load().then((m) => {
      loaded = m[name] as ComponentType;
      return m;
    });
  const Lazy = lazy(() => fetchPage().then((m) => ({ default: m[name] as ComponentType })));
  loaders.push({ path, load: fetchPage, prefetch });
  function Page() {
    const Loaded = loaded;
    return Loaded === null ? <Lazy /> : <Loaded />;
  }
  Page.displayName = `Page(${name})`;
  return Object.assign(Page, { path });
};

/**
 * Starts downloading the page of `pathname` and the data its first screen shows, in parallel with
 * the session check (called once at start; a signed-out visitor's prefetches just fail quietly).
 * Resolves when the page's chunk has arrived.
 */
export function preloadRoute(pathname: string, queryClient: QueryClient): Promise<void> {
  const hit = loaders.find(({ path }) => matchPath({ path, end: true }, pathname) !== null);
  if (hit === undefined) return Promise.resolve();
  if (hit.path !== paths.login) void queryClient.prefetchQuery(chainQuery());
  void hit.prefetch?.(queryClient);
  return hit.load().then(
    () => undefined,
    () => undefined,
  );
}

const LoginPage = page(paths.login, () => import("../features/auth/components/LoginPage"), "LoginPage");

const SupplierOverview = page(paths.supplier.overview.pattern, () => import("../features/supplier/components/SupplierOverview"), "SupplierOverview");
const SubmitInvoicePage = page(paths.supplier.newInvoice.pattern, () => import("../features/supplier/components/SubmitInvoicePage"), "SubmitInvoicePage");
const SupplierReceivables = page(
  paths.supplier.receivables.pattern,
  () => import("../features/supplier/components/SupplierReceivables"),
  "SupplierReceivables",
);
const SupplierReceivablePage = page(
  paths.supplier.receivable.pattern,
  () => import("../features/supplier/components/SupplierReceivablePage"),
  "SupplierReceivablePage",
);
const SupplierFinancings = page(paths.supplier.financings.pattern, () => import("../features/supplier/components/SupplierFinancings"), "SupplierFinancings");

const ConfirmationQueue = page(paths.buyer.queue.pattern, () => import("../features/buyer/components/ConfirmationQueue"), "ConfirmationQueue");
const PayablesPage = page(paths.buyer.payables.pattern, () => import("../features/buyer/components/PayablesPage"), "PayablesPage");
const BuyerReceivablePage = page(paths.buyer.receivable.pattern, () => import("../features/buyer/components/BuyerReceivablePage"), "BuyerReceivablePage");

const FinancingRequests = page(paths.bank.requests.pattern, () => import("../features/bank/components/FinancingRequests"), "FinancingRequests");
const PortfolioPage = page(paths.bank.portfolio.pattern, () => import("../features/bank/components/PortfolioPage"), "PortfolioPage");
const BankReceivablePage = page(paths.bank.receivable.pattern, () => import("../features/bank/components/BankReceivablePage"), "BankReceivablePage");

const DashboardPage = page(
  paths.regulator.dashboard.pattern,
  () => import("../features/regulator/components/DashboardPage"),
  "DashboardPage",
  (qc) => qc.prefetchQuery(dashboardQuery()),
);
const RegulatorReceivables = page(
  paths.regulator.receivables.pattern,
  () => import("../features/regulator/components/RegulatorReceivables"),
  "RegulatorReceivables",
);
const RegulatorReceivablePage = page(
  paths.regulator.receivable.pattern,
  () => import("../features/regulator/components/RegulatorReceivablePage"),
  "RegulatorReceivablePage",
);
const PolicyPage = page(paths.regulator.policy.pattern, () => import("../features/regulator/components/PolicyPage"), "PolicyPage");
const ParticipantsPage = page(paths.regulator.participants.pattern, () => import("../features/regulator/components/ParticipantsPage"), "ParticipantsPage");
const AlertsPage = page(paths.regulator.alerts.pattern, () => import("../features/regulator/components/AlertsPage"), "AlertsPage");
const AuditPage = page(paths.regulator.audit.pattern, () => import("../features/regulator/components/AuditPage"), "AuditPage");
const SimulationsPage = page(paths.regulator.simulations.pattern, () => import("../features/regulator/components/SimulationsPage"), "SimulationsPage");

const OperatorPage = page(paths.operator.home.pattern, () => import("./routes/OperatorPage"), "OperatorPage");

function Pending() {
  return (
    <Center mih="60vh">
      <Loader size="sm" />
    </Center>
  );
}

/** Renders the portal only for a signed-in user of one of `roles`; others go to sign-in or their own portal. */
function RequireRole({ roles, children }: { roles: string[]; children: ReactNode }) {
  const session = useSession();
  if (session.status === "loading") return <Pending />;
  if (session.user === null) return <Navigate to={paths.login} replace />;
  if (!roles.includes(session.user.role)) return <Navigate to={homeOf(session.user.role)} replace />;
  return <>{children}</>;
}

function Home() {
  const session = useSession();
  if (session.status === "loading") return <Pending />;
  return <Navigate to={session.user === null ? paths.login : homeOf(session.user.role)} replace />;
}

/** A page inside a portal: its own error boundary. */
const p = (element: ReactNode) => <RouteBoundary>{element}</RouteBoundary>;

const portal = (roles: string[]) => (
  <RequireRole roles={roles}>
    <PortalLayout />
  </RequireRole>
);

/** Every route of the UI (declarative routes: the smallest React Router bundle). */
export function AppRoutes() {
  return (
    <Suspense fallback={<Pending />}>
      <Routes>
        <Route path={paths.home} element={<Home />} />
        <Route path={paths.login} element={p(<LoginPage />)} />
        <Route path={paths.supplier.root} element={portal(["Supplier"])}>
          <Route index element={p(<SupplierOverview />)} />
          <Route path={SubmitInvoicePage.path} element={p(<SubmitInvoicePage />)} />
          <Route path={SupplierReceivables.path} element={p(<SupplierReceivables />)} />
          <Route path={SupplierReceivablePage.path} element={p(<SupplierReceivablePage />)} />
          <Route path={SupplierFinancings.path} element={p(<SupplierFinancings />)} />
        </Route>
        <Route path={paths.buyer.root} element={portal(["CoreEnterprise"])}>
          <Route index element={p(<ConfirmationQueue />)} />
          <Route path={PayablesPage.path} element={p(<PayablesPage />)} />
          <Route path={BuyerReceivablePage.path} element={p(<BuyerReceivablePage />)} />
        </Route>
        <Route path={paths.bank.root} element={portal(["Bank"])}>
          <Route index element={p(<FinancingRequests />)} />
          <Route path={PortfolioPage.path} element={p(<PortfolioPage />)} />
          <Route path={BankReceivablePage.path} element={p(<BankReceivablePage />)} />
        </Route>
        <Route path={paths.regulator.root} element={portal(["Regulator"])}>
          <Route index element={p(<DashboardPage />)} />
          <Route path={RegulatorReceivables.path} element={p(<RegulatorReceivables />)} />
          <Route path={RegulatorReceivablePage.path} element={p(<RegulatorReceivablePage />)} />
          <Route path={PolicyPage.path} element={p(<PolicyPage />)} />
          <Route path={ParticipantsPage.path} element={p(<ParticipantsPage />)} />
          <Route path={AlertsPage.path} element={p(<AlertsPage />)} />
          <Route path={AuditPage.path} element={p(<AuditPage />)} />
          <Route path={SimulationsPage.path} element={p(<SimulationsPage />)} />
        </Route>
        <Route path={paths.operator.root} element={portal(["Operator"])}>
          <Route index element={p(<OperatorPage />)} />
        </Route>
        <Route path="*" element={<NotFound />} />
      </Routes>
    </Suspense>
  );
}
