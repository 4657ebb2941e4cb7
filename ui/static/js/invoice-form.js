// Invoice form of the money panel: when a file is picked, it is sent to the suggestion URL and
// the fields read from it fill the form (the user checks them and saves; nothing is saved
// before). Markup: money/_invoices.html (data-invoice-form, data-suggest-url, data-i18n-*).

import { translator } from "./dom.js";

const CSRF_TOKEN = document.querySelector('meta[name="csrf-token"]')?.content ?? "";
const FIELDS = {
  type: "type",
  code: "code",
  number: "number",
  issued_on: "issued_on",
  amount: "amount",
  tax_rate: "tax_rate",
  tax: "tax",
  total: "total",
  buyer_name: "buyer_name",
  buyer_tax_id: "buyer_tax_id",
  seller_name: "seller_name",
  seller_tax_id: "seller_tax_id",
};

function fill(form, fields) {
  for (const [key, name] of Object.entries(FIELDS)) {
    const input = form.elements.namedItem(name);
    if (!input || fields[key] === undefined) continue;
    input.value = fields[key];
    input.classList.add("is-valid");
  }
}

function matchText(t, counterparties) {
  return Object.values(counterparties ?? {})
    .map((party) => `${t("matched")} ${party.name}`)
    .join(" · ");
}

async function suggest(form, file) {
  const t = translator(form);
  const note = form.querySelector("[data-invoice-suggestion]");
  note.textContent = t("reading");
  const body = new FormData();
  body.append("file", file);
  try {
    const answer = await fetch(form.dataset.suggestUrl, {
      method: "POST",
      body,
      headers: { Accept: "application/json", "X-CSRFToken": CSRF_TOKEN },
      credentials: "same-origin",
    });
    if (!answer.ok) throw new Error(String(answer.status));
    const found = await answer.json();
    fill(form, found.fields ?? {});
    note.textContent = [found.message, matchText(t, found.counterparties)].filter(Boolean).join(" ");
  } catch {
    note.textContent = t("failed");
  }
}

for (const form of document.querySelectorAll("[data-invoice-form]")) {
  const input = form.querySelector('input[type="file"]');
  input?.addEventListener("change", () => {
    if (input.files?.length) suggest(form, input.files[0]);
  });
}
