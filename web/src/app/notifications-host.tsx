/** The container that shows notifications; loaded with the first notification (see provider.tsx). */
export { Notifications } from "@mantine/notifications";
