import { Badge, Group, Paper, Progress, SimpleGrid, Stack, Table, Text, Title } from "@mantine/core";
import { useTranslation } from "react-i18next";

import type { Financing } from "@domain/api";

import { useChain } from "../../../api/get-chain";
import { DateText } from "../../../components/DateText";
import { Money } from "../../../components/Money";
import { StatusBadge } from "../../../components/StatusBadge";
import { formatBps, formatFen } from "../../../lib/format";
import { useLang } from "../../../lib/i18n-lang";
import { useCreditContext, type CapRoom } from "../hooks/use-credit-context";

function Room({ room, label }: { room: CapRoom; label: string }) {
  const { t } = useTranslation();
  const lang = useLang();
  const used = room.unlimited || room.cap === 0n ? 0 : Number((room.used * 1000n) / room.cap) / 10;
  return (
    <Stack gap={2}>
      <Group justify="space-between" gap={4} wrap="nowrap">
        <Text size="xs" fw={600} truncate title={label}>
          {label}
        </Text>
        <Badge size="xs" color={room.fits ? "teal" : "red"} variant="light" style={{ flexShrink: 0, overflow: "visible" }}>
          {room.fits ? t("bank.credit.fits") : t("bank.credit.exceeds")}
        </Badge>
      </Group>
      <Progress value={Math.min(used, 100)} color={used >= 100 ? "red" : used >= 80 ? "orange" : "indigo"} size="sm" aria-label={label} />
      <Text size="xs" c="dimmed">
        {room.unlimited
          ? t("bank.credit.unlimited")
          : t("bank.credit.room", { used: formatFen(room.used, lang), cap: formatFen(room.cap, lang), free: formatFen(room.free, lang) })}
      </Text>
    </Stack>
  );
}

/** The credit file of one request: the receivable, the buyer, the supplier's history, the caps and the ceiling. */
export function CreditPanel({ request, bankAddress }: { request: Financing; bankAddress: string }) {
  const { t } = useTranslation();
  const lang = useLang();
  const ctx = useCreditContext(request, bankAddress);
  const chain = useChain();
  const now = chain.data?.timestamp ?? Math.floor(Date.now() / 1000);
  const inv = ctx.invoice;
  return (
    <Stack gap="sm">
      <SimpleGrid cols={2} spacing="sm">
        <Paper withBorder p="sm" radius="sm">
          <Title order={4} fz="sm" mb={6}>
            {t("bank.credit.receivable")}
          </Title>
          {inv === undefined ? (
            <Text size="xs" c="dimmed">
              …
            </Text>
          ) : (
            <Stack gap={2}>
              <Text size="sm">
                {inv.invoiceNumber} · {t("receivable.piece")} #{request.pieceIndex} ·{" "}
                {t("receivable.tier", { tier: inv.pieces.find((p) => p.index === request.pieceIndex)?.tier ?? 1 })}
              </Text>
              <Text size="xs" c="dimmed">
                {t("bank.credit.originalSeller")}: {inv.seller.name} · {t("fields.faceAmount")} <Money fen={inv.faceAmount} />
              </Text>
              {/* A div: the badge is a block element, which a paragraph cannot hold. */}
              <Text size="xs" component="div">
                {t("fields.dueDate")}: <DateText value={inv.dueDate} /> · <StatusBadge status={inv.standing} />
              </Text>
              <Text size="xs">{request.withRecourse ? t("common.withRecourse") : t("common.withoutRecourse")}</Text>
              {(inv.status !== "Confirmed" || inv.dueDate <= now || BigInt(inv.paidAmount) > 0n) && (
                <Text size="xs" c="red.8" fw={600} data-testid="not-financeable">
                  {t("bank.credit.notFinanceable")}
                </Text>
              )}
            </Stack>
          )}
        </Paper>
        <Paper withBorder p="sm" radius="sm">
          <Title order={4} fz="sm" mb={6}>
            {t("bank.credit.buyer", { name: request.buyer.name })}
          </Title>
          {ctx.buyerRoom === undefined ? (
            <Text size="xs" c="dimmed">
              …
            </Text>
          ) : (
            <Stack gap={2}>
              <Text size="sm">
                {t("bank.credit.confirmedOutstanding")}: <Money fen={ctx.buyerRoom.used} fw={600} />
              </Text>
              <Text size="xs" c="dimmed">
                {t("bank.credit.buyerCap", { cap: formatFen(ctx.buyerRoom.cap, lang) })}
              </Text>
              {ctx.buyer?.frozen === true && (
                <Badge color="cyan" size="xs">
                  {t("receivable.frozen")}
                </Badge>
              )}
            </Stack>
          )}
        </Paper>
      </SimpleGrid>
      <Paper withBorder p="sm" radius="sm">
        <Title order={4} fz="sm" mb={6}>
          {t("bank.credit.supplier", { name: request.holder.name })}
        </Title>
        <Group gap="lg" mb={6}>
          <Text size="xs">
            {t("bank.credit.supplierOutstanding")}: <Money fen={ctx.supplier?.outstanding ?? "0"} fw={600} />
          </Text>
          <Text size="xs">
            {t("bank.credit.tier")}: {ctx.supplier?.tier ?? "—"}
          </Text>
          {ctx.history !== undefined && (
            <Text size="xs">
              {t("bank.credit.historyCounts", {
                approved: ctx.history.approved.length,
                rejected: ctx.history.rejected.length,
                recoursed: ctx.history.recoursed.length,
              })}
            </Text>
          )}
        </Group>
        {ctx.history !== undefined && ctx.history.approved.length + ctx.history.rejected.length + ctx.history.recoursed.length > 0 ? (
          <Table fz="xs" verticalSpacing={2}>
            <Table.Tbody>
              {[...ctx.history.approved, ...ctx.history.recoursed, ...ctx.history.rejected].slice(0, 5).map((f) => (
                <Table.Tr key={f.id}>
                  <Table.Td>
                    <DateText value={f.requestedAt} />
                  </Table.Td>
                  <Table.Td>{f.buyer.name}</Table.Td>
                  <Table.Td className="scf-num">
                    <Money fen={f.amount} />
                  </Table.Td>
                  <Table.Td>{f.rateBps === null ? "" : formatBps(f.rateBps, lang)}</Table.Td>
                  <Table.Td>
                    <StatusBadge status={f.status} />
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        ) : (
          <Text size="xs" c="dimmed">
            {t("bank.credit.noHistory")}
          </Text>
        )}
        <Text size="xs" c="dimmed" mt={4}>
          {t("bank.credit.historyScope")}
        </Text>
      </Paper>
      <Paper withBorder p="sm" radius="sm">
        <Group justify="space-between" mb={6}>
          <Title order={4} fz="sm">
            {t("bank.credit.caps")}
          </Title>
          {ctx.policy !== undefined && (
            <Text size="xs">
              {t("bank.credit.ceiling")}: <b data-testid="rate-ceiling">{formatBps(Number(ctx.policy.limits.RateCeilingBps), lang)}</b>
            </Text>
          )}
        </Group>
        {ctx.rooms === undefined ? (
          <Text size="xs" c="dimmed">
            …
          </Text>
        ) : (
          <SimpleGrid cols={3} spacing="sm">
            {ctx.rooms.map((r) => (
              <Room key={r.limit} room={r} label={t(`limits.${r.limit}.label`)} />
            ))}
          </SimpleGrid>
        )}
        {ctx.policy !== undefined && (ctx.policy.paused || ctx.policy.windingDown) && (
          <Text size="xs" c="red" mt={6}>
            {ctx.policy.paused ? t("policy.pausedBanner") : t("policy.windingDownBanner")}
          </Text>
        )}
      </Paper>
    </Stack>
  );
}
