import { Badge } from "@mantine/core";
import { useTranslation } from "react-i18next";

const COLORS: Record<string, string> = {
  Submitted: "blue",
  Confirmed: "teal",
  Disputed: "orange",
  Overdue: "orange",
  Defaulted: "red",
  Settled: "gray",
  Active: "teal",
  Locked: "yellow",
  Financed: "indigo",
  Recoursed: "grape",
  Requested: "blue",
  Approved: "teal",
  Rejected: "red",
  Cancelled: "gray",
};

export type StatusName = keyof typeof COLORS;

/** The status of an invoice, a piece or a financing, coloured and translated. */
export function StatusBadge({ status }: { status: string }) {
  const { t } = useTranslation();
  return (
    <Badge color={COLORS[status] ?? "gray"} variant="light" radius="sm" size="sm" tt="none" style={{ flexShrink: 0, overflow: "visible", minWidth: "max-content" }}>
      {t(`status.${status}` as "status.Confirmed", { defaultValue: status })}
    </Badge>
  );
}
