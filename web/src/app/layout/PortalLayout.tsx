import { AppShell, Avatar, Box, Button, Center, Group, Loader, NavLink as MantineNavLink, Stack, Text } from "@mantine/core";
import { IconLogout, IconShieldCheck } from "@tabler/icons-react";
import { Suspense } from "react";
import { useTranslation } from "react-i18next";
import { Link, Outlet, useLocation, useNavigate } from "react-router";

import { LanguageSwitch } from "../../components/LanguageSwitch";
import { paths } from "../../config/paths";
import { useLiveUpdates, type LiveStatus } from "../../lib/live-events";
import { useCurrentUser, useSession } from "../../lib/session";
import { ChainClock } from "./ChainClock";
import { portalNav } from "./nav";

const LIVE_COLORS: Record<LiveStatus, string> = { live: "teal", connecting: "yellow", offline: "red" };

/** The frame of every portal: header (chain clock, live status, language, user) and the portal's menu. */
export function PortalLayout() {
  const { t } = useTranslation();
  const user = useCurrentUser();
  const session = useSession();
  const navigate = useNavigate();
  const live = useLiveUpdates(true);
  const { pathname } = useLocation();
  const portal = portalNav[user.role] ?? portalNav.Operator;

  return (
    <AppShell header={{ height: 52 }} navbar={{ width: 220, breakpoint: 0 }} padding="md">
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="xs" wrap="nowrap" style={{ flexShrink: 0 }}>
            <IconShieldCheck size={22} color="var(--mantine-color-indigo-7)" aria-hidden />
            <Text fw={700} size="sm" style={{ whiteSpace: "nowrap" }}>
              {t("app.name")}
            </Text>
          </Group>
          <Group gap="md" wrap="nowrap">
            <ChainClock />
            <Group gap={6} wrap="nowrap" data-testid="live-status" data-status={live.status} title={t(`live.${live.status}`)}>
              <Box w={8} h={8} style={{ borderRadius: 8, background: `var(--mantine-color-${LIVE_COLORS[live.status]}-6)` }} />
              <Text size="xs" c="dimmed" aria-live="polite" style={{ whiteSpace: "nowrap" }}>
                {t(`live.${live.status}`)}
              </Text>
            </Group>
            <LanguageSwitch />
            <Group gap={6} wrap="nowrap" title={`${user.participant.name} · ${user.participant.address}`}>
              <Avatar size={26} color="indigo" radius="xl" aria-hidden>
                {user.participant.name.slice(0, 1)}
              </Avatar>
              <Stack gap={0} maw={170}>
                <Text size="xs" fw={600} lh={1.2} truncate data-testid="user-name">
                  {user.participant.name}
                </Text>
                <Text size="xs" c="dimmed" lh={1.2} truncate>
                  {user.username} · {t(`roles.${user.role}` as "roles.Supplier")}
                </Text>
              </Stack>
            </Group>
            <Button
              size="compact-sm"
              variant="subtle"
              color="gray"
              style={{ flexShrink: 0 }}
              leftSection={<IconLogout size={14} />}
              onClick={() => {
                void session.logout().then(() => navigate(paths.login, { replace: true }));
              }}
            >
              {t("user.signOut")}
            </Button>
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs" aria-label={t(portal.title)}>
        <Text size="xs" c="dimmed" fw={600} tt="uppercase" lts={0.3} px="sm" pt={4} pb={8}>
          {t(portal.title)}
        </Text>
        {portal.items.map((item) => (
          <MantineNavLink
            key={item.to}
            component={Link}
            to={item.to}
            active={item.end === true ? pathname === item.to : pathname.startsWith(item.to)}
            aria-current={(item.end === true ? pathname === item.to : pathname.startsWith(item.to)) ? "page" : undefined}
            label={t(item.label)}
            leftSection={<item.icon size={18} stroke={1.6} />}
            styles={{ root: { borderRadius: 4 } }}
          />
        ))}
      </AppShell.Navbar>
      <AppShell.Main bg="gray.0">
        <Suspense
          fallback={
            <Center py="xl">
              <Loader size="sm" aria-label={t("common.loading")} />
            </Center>
          }
        >
          <Outlet />
        </Suspense>
      </AppShell.Main>
    </AppShell>
  );
}
