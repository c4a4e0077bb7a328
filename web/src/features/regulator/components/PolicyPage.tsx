import { Alert, Badge, Button, Grid, Group, Paper, Stack, Table, Text, TextInput, Title } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { IconDoorExit, IconPencil, IconPlayerPause, IconPlayerPlay } from "@tabler/icons-react";
import { useState } from "react";
import { useTranslation } from "react-i18next";

import type { LimitName } from "@domain/enums";

import { usePolicy } from "../../../api/get-policy";
import { ActionModal } from "../../../components/ActionModal";
import { DataState } from "../../../components/DataState";
import { DateText } from "../../../components/DateText";
import { PageHeader } from "../../../components/PageHeader";
import { formatLimitValue } from "../../../lib/event-text";
import { formatFen, isoDateOf } from "../../../lib/format";
import { useLang } from "../../../lib/i18n-lang";
import { useAction } from "../../../lib/use-action";
import { runPolicyAction, type PolicyAction } from "../api/policy-action";
import { setPilotWindow } from "../api/set-window";
import { LIMIT_GROUPS } from "../hooks/limits";
import { LimitModal } from "./LimitModal";

/** The policy editor: every sandbox control, each change with a reason; the window; the circuit breakers. */
export function PolicyPage() {
  const { t } = useTranslation();
  const lang = useLang();
  const policy = usePolicy();
  const [editing, setEditing] = useState<LimitName | null>(null);
  const [breaker, setBreaker] = useState<PolicyAction | null>(null);
  const [windowOpen, setWindowOpen] = useState(false);
  const [draft, setDraft] = useState<{ start: string; end: string } | null>(null);
  const breakerAction = useAction(runPolicyAction, {
    onSuccess: (_p, v) => notifications.show({ color: "teal", message: t(`policy.breakers.${v.action}.done`) }),
  });
  const windowAction = useAction(setPilotWindow, { onSuccess: () => notifications.show({ color: "teal", message: t("policy.window.done") }) });

  return (
    <Stack gap="md">
      <PageHeader title={t("policy.title")} description={t("policy.subtitle")} />
      <DataState query={policy}>
        {(p) => {
          const win = draft ?? { start: isoDateOf(p.pilotStart), end: isoDateOf(p.pilotEnd) };
          const windowError = win.start >= win.end ? t("policy.window.order") : (windowAction.error?.fields.end ?? null);
          return (
            <Stack gap="md">
              <Grid gap="md">
                <Grid.Col span={6}>
                  <Paper withBorder p="md" radius="sm" h="100%">
                    <Title order={3} fz="md" mb="sm">
                      {t("policy.state")}
                    </Title>
                    <Group gap="xs" mb="sm">
                      {p.paused ? <Badge color="red">{t("policy.paused")}</Badge> : <Badge color="teal">{t("policy.running")}</Badge>}
                      {p.windingDown && <Badge color="orange">{t("policy.windingDown")}</Badge>}
                    </Group>
                    <Text size="sm">
                      {t("policy.admitted", { count: p.admittedCount })} · {t("policy.pilotFinanced")}: {formatFen(p.pilotFinanced, lang)}
                    </Text>
                    <Group gap="xs" mt="md">
                      {p.paused ? (
                        <Button color="teal" leftSection={<IconPlayerPlay size={16} />} onClick={() => setBreaker("resume")}>
                          {t("policy.breakers.resume.button")}
                        </Button>
                      ) : (
                        <Button color="red" variant="light" leftSection={<IconPlayerPause size={16} />} onClick={() => setBreaker("pause")}>
                          {t("policy.breakers.pause.button")}
                        </Button>
                      )}
                      <Button
                        color="orange"
                        variant="light"
                        leftSection={<IconDoorExit size={16} />}
                        disabled={p.windingDown}
                        onClick={() => setBreaker("wind-down")}
                      >
                        {t("policy.breakers.wind-down.button")}
                      </Button>
                    </Group>
                  </Paper>
                </Grid.Col>
                <Grid.Col span={6}>
                  <Paper withBorder p="md" radius="sm" h="100%">
                    <Title order={3} fz="md" mb="sm">
                      {t("policy.window.title")}
                    </Title>
                    <Text size="sm" mb="xs">
                      <DateText value={p.pilotStart} /> — <DateText value={p.pilotEnd} />
                    </Text>
                    <Group align="flex-start" gap="sm">
                      <TextInput
                        type="date"
                        label={t("policy.window.start")}
                        value={win.start}
                        onChange={(e) => setDraft({ ...win, start: e.currentTarget.value })}
                      />
                      <TextInput
                        type="date"
                        label={t("policy.window.end")}
                        value={win.end}
                        onChange={(e) => setDraft({ ...win, end: e.currentTarget.value })}
                        error={windowError}
                      />
                      <Button mt={24} variant="light" onClick={() => setWindowOpen(true)} disabled={windowError !== null && windowAction.error === null}>
                        {t("policy.window.change")}
                      </Button>
                    </Group>
                  </Paper>
                </Grid.Col>
              </Grid>
              {LIMIT_GROUPS.map((g) => (
                <Paper withBorder radius="sm" key={g.title}>
                  <Title order={3} fz="md" p="sm" pb={0}>
                    {t(g.title)}
                  </Title>
                  <Table>
                    <Table.Thead>
                      <Table.Tr>
                        <Table.Th w="28%">{t("policy.control")}</Table.Th>
                        <Table.Th>{t("policy.meaning")}</Table.Th>
                        <Table.Th className="scf-num" w="18%">
                          {t("policy.current")}
                        </Table.Th>
                        <Table.Th w={110} />
                      </Table.Tr>
                    </Table.Thead>
                    <Table.Tbody>
                      {g.limits.map((l) => (
                        <Table.Tr key={l} data-testid={`limit-${l}`}>
                          <Table.Td fw={500}>{t(`limits.${l}.label`)}</Table.Td>
                          <Table.Td>
                            <Text size="xs" c="dimmed">
                              {t(`limits.${l}.help`)}
                            </Text>
                          </Table.Td>
                          <Table.Td className="scf-num" fw={600}>
                            {formatLimitValue(l, p.limits[l] ?? "0", lang, t)}
                          </Table.Td>
                          <Table.Td>
                            <Button
                              size="compact-xs"
                              variant="default"
                              leftSection={<IconPencil size={12} />}
                              onClick={() => setEditing(l)}
                              aria-label={`${t("policy.change")} ${t(`limits.${l}.label`)}`}
                            >
                              {t("policy.change")}
                            </Button>
                          </Table.Td>
                        </Table.Tr>
                      ))}
                    </Table.Tbody>
                  </Table>
                </Paper>
              ))}
              {editing !== null && <LimitModal opened limit={editing} current={p.limits[editing] ?? "0"} onClose={() => setEditing(null)} />}
              {breaker !== null && (
                <ActionModal
                  opened
                  onClose={() => setBreaker(null)}
                  title={t(`policy.breakers.${breaker}.title`)}
                  description={t(`policy.breakers.${breaker}.help`)}
                  confirmLabel={t(`policy.breakers.${breaker}.button`)}
                  color={breaker === "resume" ? "teal" : "red"}
                  action={breakerAction}
                  onConfirm={async (reason) => (await breakerAction.run({ action: breaker, reason })) !== undefined}
                >
                  {breaker === "wind-down" && (
                    <Alert color="orange" variant="light" role="note">
                      {t("policy.breakers.wind-down.warning")}
                    </Alert>
                  )}
                </ActionModal>
              )}
              <ActionModal
                opened={windowOpen}
                onClose={() => setWindowOpen(false)}
                title={t("policy.window.title")}
                description={t("policy.window.confirm", { start: win.start, end: win.end })}
                confirmLabel={t("policy.save")}
                action={windowAction}
                onConfirm={async (reason) => {
                  const ok = (await windowAction.run({ ...win, reason })) !== undefined;
                  if (ok) setDraft(null);
                  return ok;
                }}
              />
            </Stack>
          );
        }}
      </DataState>
    </Stack>
  );
}
