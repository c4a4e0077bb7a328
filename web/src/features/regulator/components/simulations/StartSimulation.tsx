import { Button, Grid, Group, NumberInput, Paper, SegmentedControl, Select, Stack, Text, TextInput, Title } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { IconPlayerPlay } from "@tabler/icons-react";
import { useState } from "react";
import { useTranslation } from "react-i18next";

import type { z } from "zod";

import type { ScenarioCatalogue, SimulationRequest } from "@domain/simulation";

import { DataState } from "../../../../components/DataState";
import { ErrorNotice, FormError } from "../../../../components/ErrorNotice";
import { formatCount } from "../../../../lib/format";
import { useLang } from "../../../../lib/i18n-lang";
import { useAction } from "../../../../lib/use-action";
import { useSimulationCatalogue } from "../../api/get-simulation-catalogue";
import { startSimulation } from "../../api/start-simulation";

type Catalogue = z.infer<typeof ScenarioCatalogue>;
type Mode = "one" | "compare" | "sweep";

/** The sandbox limits a sweep can vary (the contract's Limit names, as in a policy file). */
const LIMITS = ["SupplierFinancingCap", "BankExposureCap", "BuyerOutstandingCap", "PilotFinancingCap", "MaxTenorDays", "RateCeilingBps", "MinPieceAmount", "MaxTierDepth", "GracePeriodDays", "DefaultThresholdDays"];

/** "1000000, 5000000" as numbers; null unless two to six different numbers. */
function sweepValues(text: string): number[] | null {
  const values = text.split(",").map((v) => (v.trim() === "" ? Number.NaN : Number(v)));
  return values.length >= 2 && values.length <= 6 && values.every(Number.isFinite) && new Set(values).size === values.length ? values : null;
}

const MAX_SEED = 2 ** 31 - 1;
const FIELDS = ["scenario", "seed", "seeds", "policy", "compare", "compare.0", "compare.1", "sweep"];

/** The form that starts a run: a shipped scenario, an optional seed, one policy or two to compare. */
export function StartSimulation() {
  const { t } = useTranslation();
  const catalogue = useSimulationCatalogue();
  return (
    <Paper withBorder p="md" radius="sm">
      <Title order={3} fz="md" mb="sm" id="start-simulation">
        {t("simulations.start.title")}
      </Title>
      <DataState query={catalogue} isEmpty={(c) => c.scenarios.length === 0} empty={t("simulations.start.noScenarios")}>
        {(c) => <StartForm catalogue={c} />}
      </DataState>
    </Paper>
  );
}

function StartForm({ catalogue }: { catalogue: Catalogue }) {
  const { t } = useTranslation();
  const lang = useLang();
  const [scenario, setScenario] = useState<string | null>(catalogue.scenarios.find((s) => s.name === "smoke")?.name ?? catalogue.scenarios[0]?.name ?? null);
  const [seed, setSeed] = useState<number | string>("");
  const [mode, setMode] = useState<Mode>("one");
  const [policy, setPolicy] = useState<string | null>(null);
  const [pair, setPair] = useState<[string | null, string | null]>([catalogue.policies[0]?.name ?? null, catalogue.policies[1]?.name ?? null]);
  const [seeds, setSeeds] = useState<number | string>("");
  const [limit, setLimit] = useState<string | null>(LIMITS[0]);
  const [values, setValues] = useState("");
  const [submitted, setSubmitted] = useState(false);
  const start = useAction(startSimulation, {
    onSuccess: (run) => notifications.show({ color: "teal", message: t("simulations.start.started", { id: run.id }) }),
  });

  const chosen = catalogue.scenarios.find((s) => s.name === scenario);
  const local = {
    scenario: scenario === null ? t("validation.required") : null,
    seed: seed !== "" && (typeof seed !== "number" || !Number.isInteger(seed) || seed < 0 || seed > MAX_SEED) ? t("simulations.start.seedRule") : null,
    a: mode === "compare" && pair[0] === null ? t("validation.required") : null,
    seeds: seeds !== "" && (typeof seeds !== "number" || !Number.isInteger(seeds) || seeds < 2 || seeds > 50) ? t("simulations.start.seedsRule") : null,
    values: mode === "sweep" && sweepValues(values) === null ? t("simulations.start.sweepValuesRule") : null,
    b: mode === "compare" ? (pair[1] === null ? t("validation.required") : pair[0] === pair[1] ? t("simulations.start.samePolicies") : null) : null,
  };
  const api = start.error?.fields ?? {};
  const err = (f: keyof typeof local, ...apiFields: string[]) => (submitted ? local[f] : null) ?? apiFields.map((k) => api[k]).find((m) => m !== undefined) ?? null;
  const change = (apply: () => void) => {
    apply();
    start.reset();
  };
  const policies = catalogue.policies.map((p) => ({ value: p.name, label: p.name }));
  /** A shipped policy's description (English, as written in its file). */
  const describe = (name: string | null) => {
    const text = catalogue.policies.find((p) => p.name === name)?.description;
    return text === undefined ? undefined : <span lang="en">{text}</span>;
  };

  const submit = async () => {
    setSubmitted(true);
    if (Object.values(local).some((e) => e !== null) || scenario === null) return;
    const body: SimulationRequest = { scenario };
    if (typeof seed === "number") body.seed = seed;
    if (mode === "one" && policy !== null) body.policy = policy;
    if (mode === "compare" && pair[0] !== null && pair[1] !== null) body.compare = [pair[0], pair[1]];
    if (typeof seeds === "number") body.seeds = seeds;
    const swept = sweepValues(values);
    if (mode === "sweep" && limit !== null && swept !== null) body.sweep = [{ limit, values: swept }];
    if ((await start.run(body)) !== undefined) setSubmitted(false);
  };

  return (
    <form
      noValidate
      aria-labelledby="start-simulation"
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <Stack gap="sm">
        <Grid gap="sm">
          <Grid.Col span={{ base: 12, md: 8 }}>
            <Select
              label={t("simulations.start.scenario")}
              required
              allowDeselect={false}
              data={catalogue.scenarios.map((s) => ({ value: s.name, label: s.name }))}
              value={scenario}
              onChange={(v) => change(() => setScenario(v))}
              error={err("scenario", "scenario")}
              description={
                chosen === undefined
                  ? undefined
                  : t("simulations.start.scenarioInfo", {
                      days: formatCount(chosen.days, lang),
                      cores: chosen.participants.coreEnterprises,
                      suppliers: chosen.participants.suppliers,
                      banks: chosen.participants.banks,
                      policy: chosen.policy,
                    })
              }
            />
            {chosen !== undefined && (
              <Text size="xs" c="dimmed" mt={4} lang="en">
                {chosen.description}
              </Text>
            )}
          </Grid.Col>
          <Grid.Col span={{ base: 12, md: 2 }}>
            <NumberInput
              label={t("simulations.start.seeds")}
              description={t("simulations.start.seedsHelp")}
              min={2}
              max={50}
              allowDecimal={false}
              allowNegative={false}
              value={seeds}
              onChange={(v) => change(() => setSeeds(v))}
              error={err("seeds", "seeds")}
            />
          </Grid.Col>
          <Grid.Col span={{ base: 12, md: 2 }}>
            <NumberInput
              label={t("simulations.start.seed")}
              description={t("simulations.start.seedHelp", { seed: chosen?.seed ?? "" })}
              placeholder={chosen === undefined ? undefined : String(chosen.seed)}
              min={0}
              max={MAX_SEED}
              allowDecimal={false}
              allowNegative={false}
              thousandSeparator={false}
              value={seed}
              onChange={(v) => change(() => setSeed(v))}
              error={err("seed", "seed")}
            />
          </Grid.Col>
        </Grid>
        <Stack gap={4}>
          <Text size="sm" fw={500} id="simulation-mode">
            {t("simulations.start.mode")}
          </Text>
          <SegmentedControl
            aria-labelledby="simulation-mode"
            value={mode}
            onChange={(v) => change(() => setMode(v as Mode))}
            data={[
              { value: "one", label: t("simulations.start.modeOne") },
              { value: "compare", label: t("simulations.start.modeCompare") },
              { value: "sweep", label: t("simulations.start.modeSweep") },
            ]}
            style={{ alignSelf: "flex-start" }}
          />
        </Stack>
        {mode === "sweep" ? (
          <Grid gap="sm">
            <Grid.Col span={{ base: 12, md: 5 }}>
              <Select label={t("simulations.start.sweepLimit")} required allowDeselect={false} data={LIMITS} value={limit} onChange={(v) => change(() => setLimit(v))} />
            </Grid.Col>
            <Grid.Col span={{ base: 12, md: 7 }}>
              <TextInput
                label={t("simulations.start.sweepValues")}
                required
                placeholder="1000000, 5000000"
                description={t("simulations.start.sweepValuesHelp")}
                value={values}
                onChange={(e) => {
                  const v = e.currentTarget.value;
                  change(() => setValues(v));
                }}
                error={err("values", "sweep")}
              />
            </Grid.Col>
          </Grid>
        ) : mode === "one" ? (
          <Select
            label={t("simulations.start.policy")}
            placeholder={t("simulations.start.ownPolicy", { policy: chosen?.policy ?? "" })}
            clearable
            data={policies}
            value={policy}
            onChange={(v) => change(() => setPolicy(v))}
            description={describe(policy)}
            error={api.policy ?? null}
            maw={480}
          />
        ) : (
          <Grid gap="sm">
            <Grid.Col span={{ base: 12, md: 6 }}>
              <Select
                label={t("simulations.start.policyA")}
                required
                allowDeselect={false}
                data={policies}
                value={pair[0]}
                onChange={(v) => change(() => setPair([v, pair[1]]))}
                description={describe(pair[0])}
                error={err("a", "compare.0")}
              />
            </Grid.Col>
            <Grid.Col span={{ base: 12, md: 6 }}>
              <Select
                label={t("simulations.start.policyB")}
                required
                allowDeselect={false}
                data={policies}
                value={pair[1]}
                onChange={(v) => change(() => setPair([pair[0], v]))}
                description={describe(pair[1])}
                error={err("b", "compare.1", "compare")}
              />
            </Grid.Col>
            <Grid.Col span={12}>
              <Text size="xs" c="dimmed">
                {t("simulations.start.compareHelp")}
              </Text>
            </Grid.Col>
          </Grid>
        )}
        {start.error !== null && Object.keys(start.error.fields).some((f) => !FIELDS.includes(f)) ? (
          // A field the form does not have (an inline scenario's own field): the notice names it.
          <ErrorNotice error={start.error} />
        ) : (
          <FormError error={start.error} fields={FIELDS} />
        )}
        <Group>
          <Button type="submit" loading={start.pending} leftSection={<IconPlayerPlay size={16} />}>
            {t("simulations.start.button")}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
