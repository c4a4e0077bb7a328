import { Anchor, Badge, Button, Group, Paper, Progress, Stack, Table, Text, Title, VisuallyHidden } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { IconChevronDown, IconChevronRight, IconExternalLink, IconPlayerStop } from "@tabler/icons-react";
import { Fragment, useState } from "react";
import { useTranslation } from "react-i18next";

import type { SimulationRun } from "@domain/simulation";

import { ActionModal } from "../../../../components/ActionModal";
import { DataState } from "../../../../components/DataState";
import { DateText } from "../../../../components/DateText";
import { useLang } from "../../../../lib/i18n-lang";
import { useAction } from "../../../../lib/use-action";
import { cancelSimulation } from "../../api/cancel-simulation";
import { isActive, useSimulations, useSimulationStreams } from "../../api/get-simulations";
import { formatDuration, progressFraction, progressText } from "../../hooks/simulation-format";
import { SimulationFigures } from "./SimulationFigures";

const STATUS_COLOR: Record<SimulationRun["status"], string> = { queued: "gray", running: "blue", done: "teal", failed: "red", cancelled: "orange" };

/** Every run, newest first, with its live progress, its report and files once done, and cancel while active. */
export function SimulationRuns() {
  const { t } = useTranslation();
  const runs = useSimulations();
  useSimulationStreams(runs.data?.items);
  const [open, setOpen] = useState<string | null>(null);
  const [cancelling, setCancelling] = useState<string | null>(null);
  const cancel = useAction(cancelSimulation, { onSuccess: () => notifications.show({ color: "gray", message: t("simulations.runs.cancelled") }) });
  return (
    <Paper withBorder radius="sm">
      <Title order={3} fz="md" p="md" pb={0}>
        {t("simulations.runs.title")}
      </Title>
      <DataState query={runs} isEmpty={(d) => d.items.length === 0} empty={t("simulations.runs.empty")}>
        {(d) => (
          <Table verticalSpacing="sm" data-testid="simulation-runs">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t("simulations.runs.requested")}</Table.Th>
                <Table.Th>{t("simulations.runs.scenario")}</Table.Th>
                <Table.Th>{t("simulations.runs.policy")}</Table.Th>
                <Table.Th>{t("simulations.runs.status")}</Table.Th>
                <Table.Th w="34%">{t("simulations.runs.progress")}</Table.Th>
                <Table.Th>{t("common.actions")}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {d.items.map((run) => (
                <Fragment key={run.id}>
                  <RunRow
                    run={run}
                    expanded={open === run.id}
                    onToggle={() => setOpen(open === run.id ? null : run.id)}
                    onCancel={() => setCancelling(run.id)}
                  />
                  {open === run.id && run.summary !== null && (
                    <Table.Tr id={`simulation-${run.id}-details`}>
                      <Table.Td colSpan={6} bg="gray.0">
                        {/* Width 0, at least the cell's: wide figure tables scroll inside the row instead of widening the runs table past the page. */}
                        <div style={{ width: 0, minWidth: "100%" }}>
                          <SimulationFigures run={run} summary={run.summary} />
                        </div>
                      </Table.Td>
                    </Table.Tr>
                  )}
                </Fragment>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </DataState>
      <ActionModal
        opened={cancelling !== null}
        onClose={() => setCancelling(null)}
        title={t("simulations.runs.cancelTitle")}
        description={t("simulations.runs.cancelHelp")}
        confirmLabel={t("simulations.runs.cancel")}
        color="red"
        withReason={false}
        action={cancel}
        onConfirm={async () => cancelling !== null && (await cancel.run({ id: cancelling })) !== undefined}
      />
    </Paper>
  );
}

function RunRow({ run, expanded, onToggle, onCancel }: { run: SimulationRun; expanded: boolean; onToggle: () => void; onCancel: () => void }) {
  const { t } = useTranslation();
  return (
    <Table.Tr data-testid={`simulation-${run.id}`}>
      <Table.Td>
        <Text size="sm">
          <DateText value={run.createdAt} time />
        </Text>
        <Text size="xs" c="dimmed">
          {t("simulations.runs.by", { user: run.requestedBy })}
        </Text>
      </Table.Td>
      <Table.Td>
        <Text size="sm" fw={500}>
          {run.scenario}
        </Text>
        <Text size="xs" c="dimmed">
          {run.seeds != null ? t("simulations.runs.seeds", { seed: run.seed, count: run.seeds }) : t("simulations.runs.seed", { seed: run.seed })}
        </Text>
      </Table.Td>
      <Table.Td>
        <Text size="sm">
          {run.compare !== null
            ? t("simulations.runs.versus", { a: run.compare[0], b: run.compare[1] })
            : run.sweep != null
              ? t("simulations.runs.sweep", { levers: run.sweep.map((l) => `${l.limit} = ${l.values.join(", ")}`).join(" × ") })
              : (run.policy ?? t("simulations.runs.own"))}
        </Text>
      </Table.Td>
      <Table.Td aria-live="polite">
        <Badge color={STATUS_COLOR[run.status]} variant="light" size="sm" tt="none" style={{ overflow: "visible", minWidth: "max-content" }}>
          {t(`simulations.status.${run.status}`)}
        </Badge>
      </Table.Td>
      <Table.Td>
        <RunProgress run={run} />
      </Table.Td>
      <Table.Td>
        <RunActions run={run} expanded={expanded} onToggle={onToggle} onCancel={onCancel} />
      </Table.Td>
    </Table.Tr>
  );
}

function RunProgress({ run }: { run: SimulationRun }) {
  const { t } = useTranslation();
  const lang = useLang();
  if (run.status === "failed") {
    return (
      <Text size="xs" c="red.8" lang="en" style={{ wordBreak: "break-word" }}>
        {run.error}
      </Text>
    );
  }
  if (run.status === "queued") {
    return (
      <Text size="xs" c="dimmed">
        {t("simulations.runs.waiting")}
      </Text>
    );
  }
  const took = run.startedAt !== null && run.finishedAt !== null ? formatDuration(run.finishedAt - run.startedAt, t) : null;
  const value = Math.round(progressFraction(run) * 100);
  return (
    <Stack gap={4}>
      {run.status === "running" && <Progress value={value} size="sm" animated aria-label={t("simulations.runs.progressLabel", { id: run.id })} />}
      {run.progress !== null && run.status !== "done" && (
        <Text size="xs" c="dimmed">
          {progressText(run, run.progress, lang, t)}
        </Text>
      )}
      {run.status === "done" && took !== null && (
        <Text size="xs" c="dimmed">
          {t("simulations.runs.took", { time: took })}
        </Text>
      )}
    </Stack>
  );
}

function RunActions({ run, expanded, onToggle, onCancel }: { run: SimulationRun; expanded: boolean; onToggle: () => void; onCancel: () => void }) {
  const { t } = useTranslation();
  if (isActive(run)) {
    return (
      <Button size="xs" variant="default" color="red" leftSection={<IconPlayerStop size={14} />} onClick={onCancel}>
        {t("simulations.runs.cancel")}
      </Button>
    );
  }
  if (run.status !== "done") return null;
  return (
    <Group gap="xs" wrap="nowrap">
      {run.reportUrl !== null && (
        <Anchor href={run.reportUrl} target="_blank" rel="noopener noreferrer" size="sm" style={{ whiteSpace: "nowrap" }}>
          <Group gap={4} wrap="nowrap" component="span">
            {t("simulations.runs.report")}
            <IconExternalLink size={14} aria-hidden />
            <VisuallyHidden>{t("simulations.runs.newTab")}</VisuallyHidden>
          </Group>
        </Anchor>
      )}
      {run.summary !== null && (
        <Button
          size="compact-xs"
          variant="subtle"
          onClick={onToggle}
          aria-expanded={expanded}
          aria-controls={expanded ? `simulation-${run.id}-details` : undefined}
          leftSection={expanded ? <IconChevronDown size={14} /> : <IconChevronRight size={14} />}
        >
          {t("simulations.runs.details")}
        </Button>
      )}
    </Group>
  );
}
