import { Alert, Anchor, Box, Button, Center, Group, Paper, PasswordInput, Stack, Table, Text, TextInput, Title } from "@mantine/core";
import { IconShieldCheck } from "@tabler/icons-react";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Navigate, useNavigate } from "react-router";

import { ErrorNotice } from "../../../components/ErrorNotice";
import { LanguageSwitch } from "../../../components/LanguageSwitch";
import { homeOf } from "../../../config/paths";
import type { DescribedError } from "../../../lib/api-errors";
import { useSession } from "../../../lib/session";
import { useDescribeError } from "../../../lib/use-describe-error";
import { useDemoLogins } from "../api/get-demo-logins";

/** Sign-in, with the demo pilot's logins one click away. */
export function LoginPage() {
  const { t } = useTranslation();
  const session = useSession();
  const navigate = useNavigate();
  const describe = useDescribeError();
  const demo = useDemoLogins();
  const [username, setUsername] = useState("");
  const [password, setPassword] = useState("");
  const [touched, setTouched] = useState(false);
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<DescribedError | null>(null);

  if (session.status === "authenticated" && session.user !== null) return <Navigate to={homeOf(session.user.role)} replace />;

  const submit = async () => {
    setTouched(true);
    if (username.trim() === "" || password === "") return;
    setPending(true);
    setError(null);
    try {
      const user = await session.login(username.trim(), password);
      void navigate(homeOf(user.role), { replace: true });
    } catch (e) {
      setError(describe(e));
    } finally {
      setPending(false);
    }
  };

  const fieldError = (name: "username" | "password", value: string) =>
    touched && value.trim() === "" ? t("validation.required") : (error?.fields[name] ?? null);

  return (
    <Box mih="100vh" bg="gray.0">
      <Group justify="flex-end" p="md">
        <LanguageSwitch />
      </Group>
      <Center pb="xl">
        <Stack w={440} gap="md">
          <Group gap="sm" justify="center">
            <IconShieldCheck size={32} color="var(--mantine-color-indigo-7)" aria-hidden />
            <Stack gap={0}>
              <Title order={1} fz={22}>
                {t("app.name")}
              </Title>
              <Text size="sm" c="dimmed">
                {t("app.tagline")}
              </Text>
            </Stack>
          </Group>
          <Paper withBorder p="lg" radius="sm" shadow="xs">
            <form
              noValidate
              onSubmit={(e) => {
                e.preventDefault();
                void submit();
              }}
            >
              <Stack gap="sm">
                <Title order={2} fz="lg">
                  {t("auth.title")}
                </Title>
                <TextInput
                  label={t("auth.username")}
                  autoComplete="username"
                  required
                  value={username}
                  onChange={(e) => setUsername(e.currentTarget.value)}
                  error={fieldError("username", username)}
                  data-autofocus
                />
                <PasswordInput
                  label={t("auth.password")}
                  autoComplete="current-password"
                  required
                  value={password}
                  onChange={(e) => setPassword(e.currentTarget.value)}
                  error={fieldError("password", password)}
                />
                {error !== null && Object.keys(error.fields).length === 0 && <ErrorNotice error={error} />}
                <Button type="submit" loading={pending} fullWidth>
                  {t("auth.signIn")}
                </Button>
              </Stack>
            </form>
          </Paper>
          {demo.data !== undefined && demo.data.logins.length > 0 && (
            <Paper withBorder p="md" radius="sm">
              <Text size="sm" fw={600}>
                {t("auth.demoTitle")}
              </Text>
              <Text size="xs" c="dimmed" mb="xs">
                {t("auth.demoHelp", { password: demo.data.logins[0].password })}
              </Text>
              <Table fz="xs" verticalSpacing={2} striped>
                <Table.Tbody>
                  {demo.data.logins.map((l) => (
                    <Table.Tr key={l.username}>
                      <Table.Td>
                        <Anchor
                          component="button"
                          type="button"
                          size="xs"
                          onClick={() => {
                            setUsername(l.username);
                            setPassword(l.password);
                            setError(null);
                          }}
                        >
                          {l.username}
                        </Anchor>
                      </Table.Td>
                      <Table.Td>{t(`roles.${l.role}` as "roles.Supplier", { defaultValue: l.role })}</Table.Td>
                      <Table.Td>{l.name}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Paper>
          )}
          {demo.error !== null && <Alert color="gray" role="note">{t("auth.demoUnavailable")}</Alert>}
        </Stack>
      </Center>
    </Box>
  );
}
