import { Anchor, Badge, Group, SimpleGrid, Stack, Table, Text, Title } from "@mantine/core";
import { IconDownload } from "@tabler/icons-react";
import { useTranslation } from "react-i18next";

import type { SimulationRun, SimulationSummary } from "@domain/simulation";

import { localeOf } from "../../../../lib/format";
import { useLang } from "../../../../lib/i18n-lang";
import { deltaTone, formatDelta, formatDuration, formatFigure, type FigureKind } from "../../hooks/simulation-format";
import { SimulationFrontier } from "./SimulationFrontier";

const TONE = { better: "teal.8", worse: "red.8", neutral: undefined } as const;

/**
 * A finished run's key figures (both policies side by side with the difference, for a comparison),
 * its accounting checks, how fast it ran, and its files to download (metrics.json, CSV tables).
 */
export function SimulationFigures({ run, summary }: { run: SimulationRun; summary: SimulationSummary }) {
  const { t } = useTranslation();
  const lang = useLang();
  const [a, b] = summary.runs;
  const compare = b !== undefined;
  const label = (key: string, fallback: string) => t(`simulations.figures.keys.${key}` as "simulations.figures.keys.invoicesIssued", { defaultValue: fallback });
  const titleId = `simulation-${run.id}-figures`;
  const tps = (n: number) => new Intl.NumberFormat(localeOf(lang), { maximumFractionDigits: 1 }).format(n);
  if (summary.frontier !== undefined) return <SimulationFrontier run={run} frontier={summary.frontier} />;
  if (a === undefined) return null;
  /** The 95% interval under a value, for figures measured over seeds. */
  const interval = (kind: FigureKind, ci: [number, number] | null | undefined, delta = false) =>
    ci === null || ci === undefined ? null : (
      <Text size="xs" c="dimmed">
        {t("simulations.figures.interval", {
          low: delta ? formatDelta(kind, 0, ci[0], lang, t) : formatFigure(kind, ci[0], lang, t),
          high: delta ? formatDelta(kind, 0, ci[1], lang, t) : formatFigure(kind, ci[1], lang, t),
        })}
      </Text>
    );
  return (
    <Stack gap="sm" py="xs">
      <Title order={4} fz="sm" id={titleId}>
        {t("simulations.figures.title", { id: run.id })}
      </Title>
      <SimpleGrid cols={{ base: 1, lg: compare ? 1 : 2 }} spacing="md">
        <Table withTableBorder withColumnBorders={compare} striped="even" aria-labelledby={titleId} fz="sm" bg="white">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t("simulations.figures.figure")}</Table.Th>
              {compare ? (
                <>
                  <Table.Th ta="right">{t("simulations.figures.policyColumn", { label: "A", policy: a.policy })}</Table.Th>
                  <Table.Th ta="right">{t("simulations.figures.policyColumn", { label: "B", policy: b.policy })}</Table.Th>
                  <Table.Th ta="right">{t("simulations.figures.difference")}</Table.Th>
                </>
              ) : (
                <Table.Th ta="right">{t("simulations.figures.value")}</Table.Th>
              )}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {a.figures.map((f) => {
              const other = b?.figures.find((x) => x.key === f.key);
              // Over seeds: the difference paired seed by seed, with its interval and significance.
              const paired = summary.differences?.find((x) => x.key === f.key);
              const kind = f.kind as FigureKind;
              return (
                <Table.Tr key={f.key}>
                  <Table.Th scope="row" fw={400}>
                    {label(f.key, f.label)}
                  </Table.Th>
                  <Table.Td ta="right">
                    {formatFigure(kind, f.value, lang, t)}
                    {interval(kind, f.ci95)}
                  </Table.Td>
                  {compare && (
                    <>
                      <Table.Td ta="right">
                        {other === undefined ? "—" : formatFigure(kind, other.value, lang, t)}
                        {interval(kind, other?.ci95)}
                      </Table.Td>
                      {paired === undefined ? (
                        <Table.Td ta="right" c={other === undefined ? undefined : TONE[deltaTone(f.key, f.value, other.value)]}>
                          {other === undefined ? "—" : formatDelta(kind, f.value, other.value, lang, t)}
                        </Table.Td>
                      ) : (
                        <Table.Td ta="right" c={paired.significant === true ? TONE[deltaTone(f.key, 0, paired.mean)] : undefined}>
                          {formatDelta(kind, 0, paired.mean, lang, t)}
                          {interval(kind, paired.ci95, true)}
                          {paired.significant !== true && (
                            <Text size="xs" c="dimmed">
                              {t("simulations.figures.notSignificant")}
                            </Text>
                          )}
                        </Table.Td>
                      )}
                    </>
                  )}
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
        <Stack gap="sm">
          {summary.runs.map((r) => (
            <Stack gap={2} key={r.policy}>
              <Group gap="xs">
                <Badge color={r.checks.failed === 0 ? "teal" : "red"} variant="light" size="sm" tt="none">
                  {r.checks.failed === 0
                    ? t("simulations.figures.checksPassed", { policy: r.policy, total: r.checks.total })
                    : t("simulations.figures.checksFailed", { policy: r.policy, total: r.checks.total, failed: r.checks.failed })}
                </Badge>
              </Group>
              {/* An ensemble's runs share workers: it reports no rate of its own, rather than "0 per second". */}
              {r.transactionsPerSecond > 0 && (
                <Text size="xs" c="dimmed">
                  {t("simulations.figures.speed", { policy: r.policy, time: formatDuration(r.seconds, t), tps: tps(r.transactionsPerSecond) })}
                </Text>
              )}
            </Stack>
          ))}
          {run.files.length > 0 && (
            <Stack gap={4}>
              <Text size="sm" fw={600}>
                {t("simulations.figures.files")}
              </Text>
              <Group gap="md">
                {run.files.map((f) => (
                  <Anchor
                    key={f.name}
                    href={f.url}
                    download={`${run.id}-${f.name.replace("/", "-")}`}
                    size="sm"
                    aria-label={t("simulations.figures.download", { file: f.name })}
                  >
                    <Group gap={4} wrap="nowrap" component="span">
                      <IconDownload size={14} aria-hidden />
                      {f.name}
                    </Group>
                  </Anchor>
                ))}
              </Group>
            </Stack>
          )}
        </Stack>
      </SimpleGrid>
    </Stack>
  );
}
