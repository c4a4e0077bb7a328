import { Text, Timeline } from "@mantine/core";
import { useTranslation } from "react-i18next";

import { useTimeline } from "../../api/get-timeline";
import { describeEvent } from "../../lib/event-text";
import { useLang } from "../../lib/i18n-lang";
import { useParticipantNames } from "../../lib/use-names";
import { DataState } from "../DataState";
import { DateText } from "../DateText";

/** Every event of a receivable, oldest first, in words. */
export function ReceivableTimeline({ invoiceId }: { invoiceId: string }) {
  const { t } = useTranslation();
  const lang = useLang();
  const names = useParticipantNames();
  const timeline = useTimeline(invoiceId);
  return (
    <DataState query={timeline} isEmpty={(d) => d.items.length === 0}>
      {(data) => (
        <Timeline active={data.items.length - 1} bulletSize={12} lineWidth={2} aria-label={t("receivable.timeline")}>
          {data.items.map((e) => {
            const text = describeEvent(e.name, e.args, lang, t, names);
            return (
              <Timeline.Item
                key={e.id}
                title={
                  <Text size="sm" fw={600}>
                    {text.title}
                  </Text>
                }
              >
                {text.detail !== "" && (
                  <Text size="sm" c="dark.4">
                    {text.detail}
                  </Text>
                )}
                <Text size="xs" c="dimmed">
                  <DateText value={e.timestamp} time /> · {t("receivable.block", { block: e.blockNumber })}
                </Text>
              </Timeline.Item>
            );
          })}
        </Timeline>
      )}
    </DataState>
  );
}
