import { Badge, Box, Group, Progress, Stack, Text, Tooltip } from "@mantine/core";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";

import type { InvoiceDetail, Piece } from "@domain/api";

import { formatShare } from "../../lib/format";
import { useLang } from "../../lib/i18n-lang";
import { Money } from "../Money";
import { StatusBadge } from "../StatusBadge";

const TIER_COLORS = ["indigo", "teal", "grape", "orange", "cyan", "pink"];

/**
 * The lineage of a receivable: the original invoice as piece #0 and every piece split from it,
 * nested under its parent, with who holds it, its tier, amount and what it has received.
 */
export function LineageTree({
  invoice,
  highlight,
  actions,
}: {
  invoice: InvoiceDetail;
  /** Address whose pieces are highlighted (the user's). */
  highlight?: string;
  actions?: (piece: Piece) => ReactNode;
}) {
  const { t } = useTranslation();
  const lang = useLang();
  const face = BigInt(invoice.faceAmount);
  const children = new Map<number, Piece[]>();
  for (const p of invoice.pieces) {
    if (p.index === p.parent) continue;
    children.set(p.parent, [...(children.get(p.parent) ?? []), p]);
  }
  const roots = invoice.pieces.filter((p) => p.index === p.parent);
  const share = (p: Piece) => (face === 0n ? 0 : Number((BigInt(p.amount) * 10_000n) / face) / 10_000);

  const node = (p: Piece, depth: number): ReactNode => {
    const mine = highlight !== undefined && p.holder.address.toLowerCase() === highlight.toLowerCase();
    const kids = children.get(p.index) ?? [];
    return (
      <li key={p.index}>
        <Box
          data-testid={`piece-${p.index}`}
          py={6}
          px="sm"
          ml={depth * 24}
          style={{
            borderLeft: `3px solid var(--mantine-color-${TIER_COLORS[(p.tier - 1) % TIER_COLORS.length]}-5)`,
            background: mine ? "var(--mantine-color-blue-0)" : undefined,
            borderRadius: 4,
          }}
        >
          <Group justify="space-between" wrap="nowrap" gap="xs">
            <Group gap="xs" wrap="nowrap" style={{ minWidth: 0 }}>
              <Text size="sm" c="dimmed" ff="monospace">
                #{p.index}
              </Text>
              <Text size="sm" fw={500} truncate>
                {p.holder.name}
              </Text>
              {mine && (
                <Badge size="xs" variant="outline">
                  {t("receivable.you")}
                </Badge>
              )}
              <Tooltip label={t("receivable.tierHelp")}>
                <Badge size="xs" variant="light" color={TIER_COLORS[(p.tier - 1) % TIER_COLORS.length]}>
                  {t("receivable.tier", { tier: p.tier })}
                </Badge>
              </Tooltip>
              <StatusBadge status={invoice.status === "Settled" && p.status !== "Recoursed" ? "Settled" : p.status} />
            </Group>
            <Group gap="sm" wrap="nowrap">
              <Stack gap={0} align="flex-end">
                <Money fen={p.amount} size="sm" fw={600} />
                <Text size="xs" c="dimmed">
                  {formatShare(share(p), lang)}
                  {BigInt(p.received) > 0n && (
                    <>
                      {" · "}
                      {t("receivable.received")} <Money fen={p.received} size="xs" />
                    </>
                  )}
                </Text>
              </Stack>
              {actions?.(p)}
            </Group>
          </Group>
        </Box>
        {kids.length > 0 && (
          <ul aria-label={t("receivable.splitFrom", { index: p.index })} style={{ listStyle: "none", margin: 0, padding: 0 }}>
            {kids.map((k) => node(k, depth + 1))}
          </ul>
        )}
      </li>
    );
  };

  return (
    <Stack gap="xs">
      <Progress.Root size="lg" aria-label={t("receivable.sharesBar")}>
        {invoice.pieces.map((p) => (
          <Tooltip key={p.index} label={`#${p.index} ${p.holder.name}`}>
            <Progress.Section value={share(p) * 100} color={TIER_COLORS[(p.tier - 1) % TIER_COLORS.length]} style={{ borderRight: "1px solid white" }} />
          </Tooltip>
        ))}
      </Progress.Root>
      <ul aria-label={t("receivable.lineage")} style={{ listStyle: "none", margin: 0, padding: 0, display: "grid", gap: 4 }}>
        {roots.map((r) => node(r, 0))}
      </ul>
    </Stack>
  );
}
