import { Stack } from "@mantine/core";
import { useTranslation } from "react-i18next";

import { PageHeader } from "../../../components/PageHeader";
import { SimulationRuns } from "./simulations/SimulationRuns";
import { StartSimulation } from "./simulations/StartSimulation";

/**
 * The regulator's simulations (DESIGN.md section 5): start a run of a shipped scenario under one
 * policy or two to compare, watch it live, and open its report and files once it is done.
 */
export function SimulationsPage() {
  const { t } = useTranslation();
  return (
    <Stack gap="md">
      <PageHeader title={t("simulations.title")} description={t("simulations.subtitle")} />
      <StartSimulation />
      <SimulationRuns />
    </Stack>
  );
}
