import { Badge, Button, Group, Menu, Paper, SegmentedControl, Stack, Text, TextInput, Tooltip } from "@mantine/core";
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
import { DataTable, type Column } from "../../../components/DataTable";
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
  const rowMenu = (p: Participant) => {
    const self = p.address.toLowerCase() === user.participant.address.toLowerCase();
    return (
      !p.removed &&
      !self &&
      p.role !== "Operator" && (
        <Menu position="bottom-end" withinPortal>
          <Menu.Target>
            <Button size="compact-xs" variant="subtle" aria-label={t("participants.actionsFor", { name: p.name })}>
              <IconDots size={16} />
            </Button>
          </Menu.Target>
          <Menu.Dropdown>
            {p.frozen ? (
              <Menu.Item onClick={() => setDialog({ kind: "unfreeze", participant: p })}>{t("participants.actions.unfreeze.button")}</Menu.Item>
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
      )
    );
  };
  const columns: Column<Participant>[] = [
    {
      key: "name",
      header: t("participants.name"),
      cell: (p) => (
        <Text span size="sm" fw={500}>
          {p.name}
        </Text>
      ),
    },
    { key: "role", header: t("participants.role"), cell: (p) => t(`roles.${p.role}` as "roles.Supplier", { defaultValue: p.role }) },
    { key: "tier", header: t("participants.tier"), cell: (p) => p.tier ?? "—" },
    {
      key: "address",
      header: t("participants.address"),
      cell: (p) => (
        <Tooltip label={p.address}>
          <Text size="xs" ff="monospace">
            {shortHex(p.address)}
          </Text>
        </Tooltip>
      ),
    },
    { key: "admittedUntil", header: t("participants.admittedUntil"), cell: (p) => <DateText value={p.admittedUntil} /> },
    { key: "outstanding", header: t("participants.outstanding"), numeric: true, cell: (p) => <Money fen={p.outstanding} /> },
    {
      key: "status",
      header: t("fields.status"),
      cell: (p) => (
        <Badge size="sm" variant="light" color={colors[statusOf(p)]}>
          {t(`participants.status.${statusOf(p)}`)}
        </Badge>
      ),
    },
    { key: "actions", header: t("common.actions"), hideHeader: true, width: 50, cell: rowMenu },
  ];

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
        <DataState query={participants}>
          {(d) => (
            <DataTable
              label={t("participants.title")}
              columns={columns}
              rows={d.items.filter((p) => role === "all" || p.role === role)}
              rowKey={(p) => p.address}
              rowProps={(p) => ({ "data-testid": `participant-${p.name}` })}
              empty={t("common.empty")}
            />
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
