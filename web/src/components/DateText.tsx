import { formatDate, formatDateTime } from "../lib/format";
import { useLang } from "../lib/i18n-lang";

/** A calendar date (issue, due) or, with `time`, an instant, in the user's locale. */
export function DateText({ value, time = false }: { value: number | null | undefined; time?: boolean }) {
  const lang = useLang();
  if (value === null || value === undefined) return <span>—</span>;
  const text = time ? formatDateTime(value, lang) : formatDate(value, lang);
  return <time dateTime={new Date(value * 1000).toISOString()}>{text}</time>;
}
