import {
  IconAlertTriangle,
  IconBuildingBank,
  IconChartHistogram,
  IconChecklist,
  IconFileInvoice,
  IconFilePlus,
  IconFlask,
  IconGauge,
  IconHistory,
  IconLayoutDashboard,
  IconListDetails,
  IconReceipt,
  IconScale,
  IconUsers,
  type Icon,
} from "@tabler/icons-react";

import { paths } from "../../config/paths";

export interface NavItem {
  to: string;
  /** i18n key of the label. */
  label:
    | "nav.overview"
    | "nav.newInvoice"
    | "nav.receivables"
    | "nav.financings"
    | "nav.queue"
    | "nav.payables"
    | "nav.requests"
    | "nav.portfolio"
    | "nav.dashboard"
    | "nav.policy"
    | "nav.participants"
    | "nav.alerts"
    | "nav.audit"
    | "nav.simulations"
    | "nav.operator";
  icon: Icon;
  /** Active only on the exact path (portal home). */
  end?: boolean;
}

export const portalNav: Record<
  string,
  { title: "portals.supplier" | "portals.buyer" | "portals.bank" | "portals.regulator" | "portals.operator"; items: NavItem[] }
> = {
  Supplier: {
    title: "portals.supplier",
    items: [
      { to: paths.supplier.overview(), label: "nav.overview", icon: IconLayoutDashboard, end: true },
      { to: paths.supplier.newInvoice(), label: "nav.newInvoice", icon: IconFilePlus },
      { to: paths.supplier.receivables(), label: "nav.receivables", icon: IconFileInvoice },
      { to: paths.supplier.financings(), label: "nav.financings", icon: IconBuildingBank },
    ],
  },
  CoreEnterprise: {
    title: "portals.buyer",
    items: [
      { to: paths.buyer.queue(), label: "nav.queue", icon: IconChecklist, end: true },
      { to: paths.buyer.payables(), label: "nav.payables", icon: IconReceipt },
    ],
  },
  Bank: {
    title: "portals.bank",
    items: [
      { to: paths.bank.requests(), label: "nav.requests", icon: IconListDetails, end: true },
      { to: paths.bank.portfolio(), label: "nav.portfolio", icon: IconChartHistogram },
    ],
  },
  Regulator: {
    title: "portals.regulator",
    items: [
      { to: paths.regulator.dashboard(), label: "nav.dashboard", icon: IconGauge, end: true },
      { to: paths.regulator.receivables(), label: "nav.receivables", icon: IconFileInvoice },
      { to: paths.regulator.policy(), label: "nav.policy", icon: IconScale },
      { to: paths.regulator.participants(), label: "nav.participants", icon: IconUsers },
      { to: paths.regulator.alerts(), label: "nav.alerts", icon: IconAlertTriangle },
      { to: paths.regulator.audit(), label: "nav.audit", icon: IconHistory },
      { to: paths.regulator.simulations(), label: "nav.simulations", icon: IconFlask },
    ],
  },
  Operator: {
    title: "portals.operator",
    items: [{ to: paths.operator.root, label: "nav.operator", icon: IconLayoutDashboard, end: true }],
  },
};
