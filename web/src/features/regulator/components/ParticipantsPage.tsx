import { Badge, Button, Group, Menu, Paper, SegmentedControl, Stack, Table, Text, TextInput, Tooltip } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { IconDots, IconUserPlus } from "@tabler/icons-react";
import { useState } from "react";
import { useTranslation } from "react-i18next";

import type { Participant } from "@domain/api";

import { useChain } from "../../../api/get-chain";
import { useParticipants } from "../../../api/get-participants";
import { usePolicy } from "../../../api/get-policy";
import { ActionModal } from "../../../components/ActionModal";
import { DataState } from "../../../components/DataState";
import { DateText } from "../../../components/DateText";
import { Money } from "../../../components/Money";
import { PageHeader } from "../../../components/PageHeader";
import { DAY, isoDateOf, shortHex } from "../../../lib/format";
import { useCurrentUser } from "../../../lib/session";
import { useAction } from "../../../lib/use-action";
import { renewParticipant, runParticipantAction, type ParticipantAction } from "../api/participant-action";
import { AdmitModal } from "./AdmitModal";

type Dialog = { kind: ParticipantAction | "renew"; participant: Participant } | null;

/** Admission: who is in the sandbox, in which role, until when; admit, freeze, renew, remove. */
export function ParticipantsPage() {
  const { t } = useTranslation();
  const user = useCurrentUser();
  const participants = useParticipants();
  const policy = usePolicy();
  const chain = useChain();
  const now = chain.data?.timestamp ?? Math.floor(Date.now() / 1000);
  const [role, setRole] = useState("all");
  const [admitting, setAdmitting] = useState(false);
  const [dialog, setDialog] = useState<Dialog>(null);
  const [renewUntil, setRenewUntil] = useState("");
  const act = useAction(runParticipantAction, {
    onSuccess: (p, v) => notifications.show({ color: "teal", message: t(`participants.actions.${v.action}.done`, { name: p.name }) }),
  });
  const renew = useAction(renewParticipant, {
    onSuccess: (p) => notifications.show({ color: "teal", message: t("participants.actions.renew.done", { name: p.name }) }),
  });

  const statusOf = (p: Participant) => (p.removed ? "removed" : p.frozen ? "frozen" : p.admittedUntil !== null && p.admittedUntil < now ? "expired" : "active");
  const colors = { removed: "gray", frozen: "cyan", expired: "orange", active: "teal" } as const;

  return (
    <Stack gap="md">
      <PageHeader
        title={t("participants.title")}
        description={
          policy.data === undefined
            ? t("participants.subtitle")
            : t("participants.count", { count: policy.data.admittedCount, max: policy.data.limits.MaxParticipants })
        }
        actions={
          <Button leftSection={<IconUserPlus size={16} />} onClick={() => setAdmitting(true)}>
            {t("participants.admit.button")}
          </Button>
        }
      />
      <SegmentedControl
        w="fit-content"
        size="xs"
        value={role}
        onChange={setRole}
        aria-label={t("participants.role")}
        data={["all", "Supplier", "CoreEnterprise", "Bank", "Regulator", "Operator"].map((r) => ({
          value: r,
          label: r === "all" ? t("common.all") : t(`roles.${r}` as "roles.Supplier"),
        }))}
      />
      <Paper withBorder radius="sm">
        <DataState query={participants} isEmpty={(d) => d.items.length === 0}>
          {(d) => (
            <Table highlightOnHover>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t("participants.name")}</Table.Th>
                  <Table.Th>{t("participants.role")}</Table.Th>
                  <Table.Th>{t("participants.tier")}</Table.Th>
                  <Table.Th>{t("participants.address")}</Table.Th>
                  <Table.Th>{t("participants.admittedUntil")}</Table.Th>
                  <Table.Th className="scf-num">{t("participants.outstanding")}</Table.Th>
                  <Table.Th>{t("fields.status")}</Table.Th>
                  <Table.Th w={50} />
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {d.items
                  .filter((p) => role === "all" || p.role === role)
                  .map((p) => {
                    const status = statusOf(p);
                    const self = p.address.toLowerCase() === user.participant.address.toLowerCase();
                    return (
                      <Table.Tr key={p.address} data-testid={`participant-${p.name}`}>
                        <Table.Td fw={500}>{p.name}</Table.Td>
                        <Table.Td>{t(`roles.${p.role}` as "roles.Supplier", { defaultValue: p.role })}</Table.Td>
                        <Table.Td>{p.tier ?? "—"}</Table.Td>
                        <Table.Td>
                          <Tooltip label={p.address}>
                            <Text size="xs" ff="monospace">
                              {shortHex(p.address)}
                            </Text>
                          </Tooltip>
                        </Table.Td>
                        <Table.Td>
                          <DateText value={p.admittedUntil} />
                        </Table.Td>
                        <Table.Td className="scf-num">
                          <Money fen={p.outstanding} />
                        </Table.Td>
                        <Table.Td>
                          <Badge size="sm" variant="light" color={colors[status]}>
                            {t(`participants.status.${status}`)}
                          </Badge>
                        </Table.Td>
                        <Table.Td>
                          {!p.removed && !self && p.role !== "Operator" && (
                            <Menu position="bottom-end" withinPortal>
                              <Menu.Target>
                                <Button size="compact-xs" variant="subtle" aria-label={t("participants.actionsFor", { name: p.name })}>
                                  <IconDots size={16} />
                                </Button>
                              </Menu.Target>
                              <Menu.Dropdown>
                                {p.frozen ? (
                                  <Menu.Item onClick={() => setDialog({ kind: "unfreeze", participant: p })}>
                                    {t("participants.actions.unfreeze.button")}
                                  </Menu.Item>
                                ) : (
                                  <Menu.Item onClick={() => setDialog({ kind: "freeze", participant: p })}>{t("participants.actions.freeze.button")}</Menu.Item>
                                )}
                                <Menu.Item
                                  onClick={() => {
                                    setRenewUntil(isoDateOf(Math.max(now, p.admittedUntil ?? now) + 365 * DAY));
                                    setDialog({ kind: "renew", participant: p });
                                  }}
                                >
                                  {t("participants.actions.renew.button")}
                                </Menu.Item>
                                <Menu.Divider />
                                <Menu.Item color="red" onClick={() => setDialog({ kind: "remove", participant: p })}>
                                  {t("participants.actions.remove.button")}
                                </Menu.Item>
                              </Menu.Dropdown>
                            </Menu>
                          )}
                        </Table.Td>
                      </Table.Tr>
                    );
                  })}
              </Table.Tbody>
            </Table>
          )}
        </DataState>
      </Paper>
      {admitting && <AdmitModal opened today={now} onClose={() => setAdmitting(false)} />}
      {dialog !== null && dialog.kind !== "renew" && (
        <ActionModal
          opened
          onClose={() => setDialog(null)}
          title={t(`participants.actions.${dialog.kind}.title`, { name: dialog.participant.name })}
          description={t(`participants.actions.${dialog.kind}.help`)}
          confirmLabel={t(`participants.actions.${dialog.kind}.button`)}
          color={dialog.kind === "unfreeze" ? "teal" : "red"}
          action={act}
          onConfirm={async (reason) => (await act.run({ address: dialog.participant.address, action: dialog.kind as ParticipantAction, reason })) !== undefined}
        />
      )}
      {dialog?.kind === "renew" && (
        <ActionModal
          opened
          onClose={() => setDialog(null)}
          title={t("participants.actions.renew.title", { name: dialog.participant.name })}
          description={t("participants.actions.renew.help")}
          confirmLabel={t("participants.actions.renew.button")}
          action={renew}
          fieldsShown={["admittedUntil"]}
          onConfirm={async (reason) => (await renew.run({ address: dialog.participant.address, admittedUntil: renewUntil, reason })) !== undefined}
        >
          <Group>
            <TextInput
              type="date"
              label={t("participants.admittedUntil")}
              value={renewUntil}
              onChange={(e) => setRenewUntil(e.currentTarget.value)}
              error={renew.error?.fields.admittedUntil ?? null}
            />
          </Group>
        </ActionModal>
      )}
    </Stack>
  );
}
