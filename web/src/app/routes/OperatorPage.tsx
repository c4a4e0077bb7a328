import { Paper, SimpleGrid, Stack, Table, Text, Title } from "@mantine/core";
import { useTranslation } from "react-i18next";

import { useChain } from "../../api/get-chain";
import { useParticipants } from "../../api/get-participants";
import { DataState } from "../../components/DataState";
import { KeyFigure } from "../../components/KeyFigure";
import { PageHeader } from "../../components/PageHeader";

/** The operator's view: the chain it runs and the participants onboarded (admission is the regulator's). */
export function OperatorPage() {
  const { t } = useTranslation();
  const chain = useChain();
  const participants = useParticipants();
  return (
    <Stack gap="md">
      <PageHeader title={t("operator.title")} description={t("operator.subtitle")} />
      <DataState query={chain}>
        {(c) => (
          <SimpleGrid cols={3} spacing="sm">
            <KeyFigure label={t("operator.mode")} value={c.mode === "local" ? t("chain.local") : t("chain.external")} note={c.rpcUrl ?? undefined} />
            <KeyFigure label={t("operator.chainId")} value={c.chainId} />
            <KeyFigure label={t("operator.block")} value={c.blockNumber} />
          </SimpleGrid>
        )}
      </DataState>
      <Paper withBorder p="md" radius="sm">
        <Title order={3} fz="md" mb="sm">
          {t("operator.contracts")}
        </Title>
        {chain.data !== undefined && (
          <Table fz="xs">
            <Table.Tbody>
              {Object.entries(chain.data.addresses).map(([name, address]) => (
                <Table.Tr key={name}>
                  <Table.Td>{name}</Table.Td>
                  <Table.Td ff="monospace">{address}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Paper>
      <Paper withBorder p="md" radius="sm">
        <Title order={3} fz="md" mb="sm">
          {t("operator.participants")}
        </Title>
        <DataState query={participants}>
          {(d) => (
            <Text size="sm">{t("operator.admissionNote", { count: d.items.filter((p) => !p.removed).length })}</Text>
          )}
        </DataState>
      </Paper>
    </Stack>
  );
}
