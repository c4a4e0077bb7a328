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
  return Page;
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

const LoginPage = page("/login", () => import("../features/auth/components/LoginPage"), "LoginPage");

const SupplierOverview = page("/supplier", () => import("../features/supplier/components/SupplierOverview"), "SupplierOverview");
const SubmitInvoicePage = page("/supplier/invoices/new", () => import("../features/supplier/components/SubmitInvoicePage"), "SubmitInvoicePage");
const SupplierReceivables = page("/supplier/receivables", () => import("../features/supplier/components/SupplierReceivables"), "SupplierReceivables");
const SupplierReceivablePage = page("/supplier/receivables/:invoiceId", () => import("../features/supplier/components/SupplierReceivablePage"), "SupplierReceivablePage");
const SupplierFinancings = page("/supplier/financings", () => import("../features/supplier/components/SupplierFinancings"), "SupplierFinancings");

const ConfirmationQueue = page("/buyer", () => import("../features/buyer/components/ConfirmationQueue"), "ConfirmationQueue");
const PayablesPage = page("/buyer/payables", () => import("../features/buyer/components/PayablesPage"), "PayablesPage");
const BuyerReceivablePage = page("/buyer/receivables/:invoiceId", () => import("../features/buyer/components/BuyerReceivablePage"), "BuyerReceivablePage");

const FinancingRequests = page("/bank", () => import("../features/bank/components/FinancingRequests"), "FinancingRequests");
const PortfolioPage = page("/bank/portfolio", () => import("../features/bank/components/PortfolioPage"), "PortfolioPage");
const BankReceivablePage = page("/bank/receivables/:invoiceId", () => import("../features/bank/components/BankReceivablePage"), "BankReceivablePage");

const DashboardPage = page("/regulator", () => import("../features/regulator/components/DashboardPage"), "DashboardPage", (qc) => qc.prefetchQuery(dashboardQuery()));
const RegulatorReceivables = page("/regulator/receivables", () => import("../features/regulator/components/RegulatorReceivables"), "RegulatorReceivables");
const RegulatorReceivablePage = page("/regulator/receivables/:invoiceId", () => import("../features/regulator/components/RegulatorReceivablePage"), "RegulatorReceivablePage");
const PolicyPage = page("/regulator/policy", () => import("../features/regulator/components/PolicyPage"), "PolicyPage");
const ParticipantsPage = page("/regulator/participants", () => import("../features/regulator/components/ParticipantsPage"), "ParticipantsPage");
const AlertsPage = page("/regulator/alerts", () => import("../features/regulator/components/AlertsPage"), "AlertsPage");
const AuditPage = page("/regulator/audit", () => import("../features/regulator/components/AuditPage"), "AuditPage");
const SimulationsPage = page("/regulator/simulations", () => import("../features/regulator/components/SimulationsPage"), "SimulationsPage");

const OperatorPage = page("/operator", () => import("./routes/OperatorPage"), "OperatorPage");

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
        <Route path="/" element={<Home />} />
        <Route path={paths.login} element={p(<LoginPage />)} />
        <Route path={paths.supplier.root} element={portal(["Supplier"])}>
          <Route index element={p(<SupplierOverview />)} />
          <Route path="invoices/new" element={p(<SubmitInvoicePage />)} />
          <Route path="receivables" element={p(<SupplierReceivables />)} />
          <Route path="receivables/:invoiceId" element={p(<SupplierReceivablePage />)} />
          <Route path="financings" element={p(<SupplierFinancings />)} />
        </Route>
        <Route path={paths.buyer.root} element={portal(["CoreEnterprise"])}>
          <Route index element={p(<ConfirmationQueue />)} />
          <Route path="payables" element={p(<PayablesPage />)} />
          <Route path="receivables/:invoiceId" element={p(<BuyerReceivablePage />)} />
        </Route>
        <Route path={paths.bank.root} element={portal(["Bank"])}>
          <Route index element={p(<FinancingRequests />)} />
          <Route path="portfolio" element={p(<PortfolioPage />)} />
          <Route path="receivables/:invoiceId" element={p(<BankReceivablePage />)} />
        </Route>
        <Route path={paths.regulator.root} element={portal(["Regulator"])}>
          <Route index element={p(<DashboardPage />)} />
          <Route path="receivables" element={p(<RegulatorReceivables />)} />
          <Route path="receivables/:invoiceId" element={p(<RegulatorReceivablePage />)} />
          <Route path="policy" element={p(<PolicyPage />)} />
          <Route path="participants" element={p(<ParticipantsPage />)} />
          <Route path="alerts" element={p(<AlertsPage />)} />
          <Route path="audit" element={p(<AuditPage />)} />
          <Route path="simulations" element={p(<SimulationsPage />)} />
        </Route>
        <Route path={paths.operator.root} element={portal(["Operator"])}>
          <Route index element={p(<OperatorPage />)} />
        </Route>
        <Route path="*" element={<NotFound />} />
      </Routes>
    </Suspense>
  );
}
