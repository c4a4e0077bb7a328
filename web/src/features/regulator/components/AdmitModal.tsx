import { Grid, NumberInput, PasswordInput, Select, TextInput } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { useState } from "react";
import { useTranslation } from "react-i18next";

import { ActionModal } from "../../../components/ActionModal";
import { DAY, isoDateOf } from "../../../lib/format";
import { useAction } from "../../../lib/use-action";
import { admitParticipant } from "../api/admit-participant";

const ROLES = ["Supplier", "CoreEnterprise", "Bank", "Regulator"] as const;
const USERNAME = /^[a-z0-9._-]{3,32}$/;

/** Admit a participant: its name, role (and tier for a supplier), admission end and login. */
export function AdmitModal({ opened, onClose, today }: { opened: boolean; onClose: () => void; today: number }) {
  const { t } = useTranslation();
  const [v, setV] = useState({
    name: "",
    role: "Supplier" as (typeof ROLES)[number],
    tier: 1 as number | string,
    admittedUntil: isoDateOf(today + 365 * DAY),
    username: "",
    password: "",
  });
  const [submitted, setSubmitted] = useState(false);
  const admit = useAction(admitParticipant, {
    onSuccess: (p) => notifications.show({ color: "teal", message: t("participants.admit.done", { name: p.name }) }),
  });
  const local = {
    name: v.name.trim() === "" ? t("validation.required") : null,
    username: v.username === "" ? t("validation.required") : !USERNAME.test(v.username) ? t("participants.admit.usernameRule") : null,
    password: v.password.length < 8 ? t("participants.admit.passwordRule") : null,
    admittedUntil: !/^\d{4}-\d{2}-\d{2}$/.test(v.admittedUntil) ? t("validation.required") : null,
  };
  const err = (f: keyof typeof local) => (submitted ? local[f] : null) ?? admit.error?.fields[f] ?? null;
  const set = (patch: Partial<typeof v>) => {
    setV((x) => ({ ...x, ...patch }));
    admit.reset();
  };
  return (
    <ActionModal
      opened={opened}
      onClose={onClose}
      title={t("participants.admit.title")}
      description={t("participants.admit.help")}
      confirmLabel={t("participants.admit.button")}
      withReason={false}
      action={admit}
      fieldsShown={["name", "role", "tier", "admittedUntil", "username", "password"]}
      onConfirm={async () => {
        setSubmitted(true);
        if (Object.values(local).some((e) => e !== null)) return false;
        return (
          (await admit.run({
            name: v.name.trim(),
            role: v.role,
            tier: v.role === "Supplier" && typeof v.tier === "number" ? v.tier : undefined,
            admittedUntil: v.admittedUntil,
            username: v.username,
            password: v.password,
          })) !== undefined
        );
      }}
    >
      <Grid gap="sm">
        <Grid.Col span={8}>
          <TextInput
            label={t("participants.name")}
            required
            value={v.name}
            onChange={(e) => set({ name: e.currentTarget.value })}
            error={err("name")}
            data-autofocus
          />
        </Grid.Col>
        <Grid.Col span={4}>
          <Select
            label={t("participants.role")}
            required
            allowDeselect={false}
            data={ROLES.map((r) => ({ value: r, label: t(`roles.${r}`) }))}
            value={v.role}
            onChange={(r) => set({ role: (r ?? "Supplier") as (typeof ROLES)[number] })}
            comboboxProps={{ withinPortal: true }}
          />
        </Grid.Col>
        {v.role === "Supplier" && (
          <Grid.Col span={4}>
            <NumberInput
              label={t("participants.tier")}
              min={1}
              max={10}
              allowDecimal={false}
              value={v.tier}
              onChange={(n) => set({ tier: n })}
              error={admit.error?.fields.tier ?? null}
            />
          </Grid.Col>
        )}
        <Grid.Col span={v.role === "Supplier" ? 8 : 12}>
          <TextInput
            type="date"
            label={t("participants.admittedUntil")}
            required
            value={v.admittedUntil}
            onChange={(e) => set({ admittedUntil: e.currentTarget.value })}
            error={err("admittedUntil")}
          />
        </Grid.Col>
        <Grid.Col span={6}>
          <TextInput
            label={t("auth.username")}
            required
            autoComplete="off"
            value={v.username}
            onChange={(e) => set({ username: e.currentTarget.value })}
            error={err("username")}
          />
        </Grid.Col>
        <Grid.Col span={6}>
          <PasswordInput
            label={t("auth.password")}
            required
            autoComplete="new-password"
            value={v.password}
            onChange={(e) => set({ password: e.currentTarget.value })}
            error={err("password")}
          />
        </Grid.Col>
      </Grid>
    </ActionModal>
  );
}
