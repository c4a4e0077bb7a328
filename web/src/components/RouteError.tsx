import { Alert, Button, Container, Stack, Text } from "@mantine/core";
import { Component, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { Link, useLocation } from "react-router";

import { paths } from "../config/paths";

function ErrorPanel({ error, notFound = false }: { error?: unknown; notFound?: boolean }) {
  const { t } = useTranslation();
  return (
    <Container size="sm" py="xl">
      <Alert color={notFound ? "gray" : "red"} title={notFound ? t("errors.notFoundTitle") : t("errors.pageTitle")} role="alert">
        <Stack gap="sm">
          <Text size="sm">{notFound ? t("errors.notFound") : t("errors.page")}</Text>
          {error instanceof Error && (
            <Text size="xs" c="dimmed" ff="monospace">
              {error.message}
            </Text>
          )}
          <div>
            <Button component={Link} to={paths.home} size="xs" variant="default">
              {t("common.home")}
            </Button>
          </div>
        </Stack>
      </Alert>
    </Container>
  );
}

class Boundary extends Component<{ children: ReactNode; resetKey: string }, { error: unknown; key: string }> {
  state = { error: null as unknown, key: this.props.resetKey };

  static getDerivedStateFromError(error: unknown) {
    return { error };
  }

  static getDerivedStateFromProps(props: { resetKey: string }, state: { error: unknown; key: string }) {
    // Navigating elsewhere clears the error.
    return props.resetKey === state.key ? null : { error: null, key: props.resetKey };
  }

  render() {
    return this.state.error === null ? this.props.children : <ErrorPanel error={this.state.error} />;
  }
}

/** Error boundary of a route: the rest of the UI keeps working when one page fails. */
export function RouteBoundary({ children }: { children: ReactNode }) {
  const { pathname } = useLocation();
  return <Boundary resetKey={pathname}>{children}</Boundary>;
}

export function NotFound() {
  return <ErrorPanel notFound />;
}
