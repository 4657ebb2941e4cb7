// Upload and edit forms: only the custom fields of the chosen contract type are shown.
//
// Markup (templates/contracts/_custom_fields.html):
//   <select name="contract_type">…</select>
//   <div data-custom-field="key" data-contract-types="lease nda">…inputs…</div>   (empty: every type)
// A field that does not apply is hidden and its inputs disabled, so the form does not send it.

function applies(field, type) {
  const types = (field.dataset.contractTypes || "").split(" ").filter(Boolean);
  return types.length === 0 || types.includes(type);
}

function update(form) {
  const type = form.querySelector('[name="contract_type"]')?.value ?? "";
  for (const field of form.querySelectorAll("[data-custom-field]")) {
    const on = applies(field, type);
    field.hidden = !on;
    for (const input of field.querySelectorAll("input, select, textarea")) input.disabled = !on;
  }
}

for (const group of document.querySelectorAll("[data-custom-fields]")) {
  const form = group.closest("form");
  if (!form) continue;
  form.querySelector('[name="contract_type"]')?.addEventListener("change", () => update(form));
  update(form);
}
