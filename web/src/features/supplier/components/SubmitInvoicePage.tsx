import { Alert, Button, Code, FileInput, Grid, Group, Paper, Select, Stack, Text, TextInput } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { IconCircleCheck, IconUpload } from "@tabler/icons-react";
import { useEffect, useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { useNavigate } from "react-router";

import type { DocumentInfo } from "@domain/api";
import type { z } from "zod";

import { useChain } from "../../../api/get-chain";
import { useParticipants } from "../../../api/get-participants";
import { usePolicy } from "../../../api/get-policy";
import { AmountInput } from "../../../components/AmountInput";
import { FormError } from "../../../components/ErrorNotice";
import { PageHeader } from "../../../components/PageHeader";
import { paths } from "../../../config/paths";
import { DAY, isoDateOf, parseFen } from "../../../lib/format";
import { useAction } from "../../../lib/use-action";
import { submitInvoice } from "../api/submit-invoice";
import { uploadDocument } from "../api/upload-document";
import { validateInvoice, type InvoiceFieldError, type InvoiceFormValues } from "../hooks/invoice-form";

const ACCEPT = "application/pdf,image/png,image/jpeg,image/webp";

/** Submit an invoice against a core enterprise, with its document uploaded and its hash anchored. */
export function SubmitInvoicePage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const chain = useChain();
  const policy = usePolicy();
  const buyers = useParticipants("CoreEnterprise");
  const today = chain.data?.timestamp ?? Math.floor(Date.now() / 1000);
  const maxTenor = policy.data === undefined ? null : Number(policy.data.limits.MaxTenorDays);

  const [values, setValues] = useState<Omit<InvoiceFormValues, "documentHash">>(() => ({
    buyer: "",
    invoiceNumber: "",
    faceAmount: "",
    issueDate: isoDateOf(today),
    dueDate: isoDateOf(today + 90 * DAY),
  }));
  // The dates default to the chain's today, which is not this computer's (the chain's clock can
  // be moved on for demos): until the chain's time arrives they are this computer's, then they are
  // set again from the chain's, unless they were changed meanwhile.
  const [datesTouched, setDatesTouched] = useState(false);
  const chainToday = chain.data?.timestamp;
  useEffect(() => {
    if (chainToday === undefined || datesTouched) return;
    setValues((v) => ({ ...v, issueDate: isoDateOf(chainToday), dueDate: isoDateOf(chainToday + 90 * DAY) }));
  }, [chainToday, datesTouched]);
  const [file, setFile] = useState<File | null>(null);
  const [uploaded, setUploaded] = useState<z.infer<typeof DocumentInfo> | null>(null);
  const [touched, setTouched] = useState<Record<string, boolean>>({});
  const [submitted, setSubmitted] = useState(false);

  const upload = useAction(uploadDocument, { onSuccess: (doc) => setUploaded(doc) });
  const submit = useAction(submitInvoice, {
    onSuccess: (invoice) => {
      notifications.show({ color: "teal", title: t("supplier.submit.done"), message: t("supplier.submit.doneDetail", { number: invoice.invoiceNumber }) });
      void navigate(paths.supplier.receivable(invoice.id));
    },
  });

  const errors = useMemo(
    () => validateInvoice({ ...values, documentHash: uploaded?.sha256 ?? null }, { today, maxTenorDays: maxTenor }),
    [values, uploaded, today, maxTenor],
  );
  const show = (field: keyof InvoiceFormValues, apiField: string = field): string | null => {
    const local: InvoiceFieldError | undefined = errors[field];
    if (local !== undefined && (submitted || touched[field])) return t(local.key, "values" in local ? local.values : {});
    return submit.error?.fields[apiField] ?? null;
  };
  const set = (field: keyof typeof values) => (value: string) => {
    if (field === "issueDate" || field === "dueDate") setDatesTouched(true);
    setValues((v) => ({ ...v, [field]: value }));
    submit.reset();
  };
  const blur = (field: string) => () => setTouched((x) => ({ ...x, [field]: true }));

  const onFile = (f: File | null) => {
    setFile(f);
    setUploaded(null);
    upload.reset();
    setTouched((x) => ({ ...x, documentHash: true }));
    if (f !== null) void upload.run(f);
  };

  const onSubmit = () => {
    setSubmitted(true);
    if (Object.keys(errors).length > 0 || uploaded === null) return;
    void submit.run({
      buyer: values.buyer,
      invoiceNumber: values.invoiceNumber.trim(),
      faceAmount: parseFen(values.faceAmount)!.toString(),
      issueDate: values.issueDate,
      dueDate: values.dueDate,
      documentHash: uploaded.sha256,
    });
  };

  const fileError = upload.error?.fields.file ?? upload.error?.message ?? show("documentHash", "documentHash") ?? submit.error?.fields.file ?? null;

  return (
    <Stack gap="md" maw={880}>
      <PageHeader title={t("supplier.submit.title")} description={t("supplier.submit.subtitle")} />
      <Paper withBorder p="lg" radius="sm">
        <form
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            onSubmit();
          }}
        >
          <Grid gap="md">
            <Grid.Col span={6}>
              <Select
                label={t("fields.buyer")}
                placeholder={t("supplier.submit.buyerPlaceholder")}
                required
                searchable
                data={(buyers.data?.items ?? []).filter((b) => !b.removed).map((b) => ({ value: b.address, label: b.name }))}
                value={values.buyer || null}
                onChange={(v) => set("buyer")(v ?? "")}
                onBlur={blur("buyer")}
                error={show("buyer")}
                nothingFoundMessage={t("common.noMatch")}
              />
            </Grid.Col>
            <Grid.Col span={6}>
              <TextInput
                label={t("fields.invoiceNumber")}
                description={t("supplier.submit.numberHelp")}
                inputWrapperOrder={["label", "input", "description", "error"]}
                required
                maxLength={64}
                value={values.invoiceNumber}
                onChange={(e) => set("invoiceNumber")(e.currentTarget.value)}
                onBlur={blur("invoiceNumber")}
                error={show("invoiceNumber")}
              />
            </Grid.Col>
            <Grid.Col span={4}>
              <AmountInput
                label={t("fields.faceAmount")}
                required
                value={values.faceAmount}
                onChange={set("faceAmount")}
                onBlur={blur("faceAmount")}
                error={show("faceAmount")}
              />
            </Grid.Col>
            <Grid.Col span={4}>
              <TextInput
                type="date"
                label={t("fields.issueDate")}
                required
                value={values.issueDate}
                onChange={(e) => set("issueDate")(e.currentTarget.value)}
                onBlur={blur("issueDate")}
                error={show("issueDate")}
              />
            </Grid.Col>
            <Grid.Col span={4}>
              <TextInput
                type="date"
                label={t("fields.dueDate")}
                description={maxTenor === null ? undefined : t("supplier.submit.tenorHelp", { max: maxTenor })}
                inputWrapperOrder={["label", "input", "description", "error"]}
                required
                value={values.dueDate}
                onChange={(e) => set("dueDate")(e.currentTarget.value)}
                onBlur={blur("dueDate")}
                error={show("dueDate")}
              />
            </Grid.Col>
            <Grid.Col span={12}>
              <FileInput
                label={t("fields.document")}
                description={t("supplier.submit.documentHelp")}
                placeholder={t("supplier.submit.documentPlaceholder")}
                required
                accept={ACCEPT}
                clearable
                leftSection={<IconUpload size={16} />}
                value={file}
                onChange={onFile}
                error={fileError}
              />
              {upload.pending && (
                <Text size="xs" c="dimmed" mt={4}>
                  {t("supplier.submit.uploading")}
                </Text>
              )}
              {uploaded !== null && (
                <Alert color="teal" variant="light" mt="xs" role="status" icon={<IconCircleCheck size={18} />} title={t("supplier.submit.uploaded")}>
                  <Text size="xs">
                    {uploaded.filename} · {uploaded.mime} · {t("supplier.submit.bytes", { count: uploaded.size })}
                  </Text>
                  <Text size="xs" mt={4}>
                    {t("supplier.submit.hash")}: <Code data-testid="document-hash">{uploaded.sha256}</Code>
                  </Text>
                </Alert>
              )}
            </Grid.Col>
            {submit.error !== null && (
              <Grid.Col span={12}>
                <FormError error={submit.error} fields={["buyer", "invoiceNumber", "faceAmount", "issueDate", "dueDate", "documentHash", "file"]} />
              </Grid.Col>
            )}
            <Grid.Col span={12}>
              <Group justify="flex-end">
                <Button variant="default" onClick={() => void navigate(paths.supplier.overview())}>
                  {t("common.cancel")}
                </Button>
                <Button type="submit" loading={submit.pending} disabled={upload.pending}>
                  {t("supplier.submit.submit")}
                </Button>
              </Group>
            </Grid.Col>
          </Grid>
        </form>
      </Paper>
    </Stack>
  );
}
