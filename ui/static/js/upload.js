// Upload page: files dropped on (or picked through) a drop zone wait in a list until the form
// is submitted; then each is uploaded in a request of its own, with a progress bar and the
// outcome per file.
//
// Markup (rendered by upload_zone() in templates/macros/ui.html):
//   <form data-metadata-form> …named metadata fields…
//     <label data-upload-zone data-upload-url="…" data-i18n-…="…"><input type="file" multiple> …</label>
//     <button type="submit" data-upload-submit>…</button>
//   </form>
// Each request is a multipart POST of `file`, plus `metadata`: a JSON object of the form's
// non-empty fields, read when the form is submitted (so details typed after picking the files
// count; the fields keep their values for the next files). The server answers 201 {id, url},
// 409 {error: {code: "duplicate", message, contract_url}} or another error {error: {message}}.

import { h, icon, translator } from "./dom.js";

const MAX_PARALLEL_UPLOADS = 3;
const LIST_FIELDS = new Set(["counterparties", "tags"]);
const LIST_SEPARATOR = /[,，、\n]+/;
const CSRF_TOKEN = document.querySelector('meta[name="csrf-token"]')?.content ?? "";

let rowCount = 0;

function formatSize(bytes) {
  const units = ["B", "KB", "MB", "GB"];
  let size = bytes;
  let unit = 0;
  while (size >= 1024 && unit < units.length - 1) {
    size /= 1024;
    unit += 1;
  }
  return `${unit === 0 ? size : size.toFixed(1)} ${units[unit]}`;
}

function collectMetadata(form) {
  const metadata = {};
  if (!form) return metadata;
  const custom = {};
  for (const [name, value] of new FormData(form)) {
    // Files (the zone's own input) and the CSRF token are not metadata.
    if (typeof value !== "string" || name === "csrf_token") continue;
    const text = value.trim();
    if (!text) continue;
    if (name.startsWith("cf.")) {
      addCustom(form, custom, name.slice(3), text);
    } else if (LIST_FIELDS.has(name)) {
      const items = text.split(LIST_SEPARATOR).map((item) => item.trim()).filter(Boolean);
      if (items.length) metadata[name] = items;
    } else {
      metadata[name] = text;
    }
  }
  // A currency without its amount is no value.
  for (const [key, value] of Object.entries(custom)) {
    if (value && typeof value === "object" && !Array.isArray(value) && !value.amount) delete custom[key];
  }
  if (Object.keys(custom).length) metadata.custom_fields = custom;
  return metadata;
}

/** Custom fields (inputs named cf.<key>): several choices make a list, money an {amount, currency}. */
function addCustom(form, custom, name, text) {
  if (name.endsWith(".currency")) {
    const key = name.slice(0, -".currency".length);
    custom[key] = { amount: typeof custom[key] === "object" ? custom[key].amount : custom[key], currency: text };
    return;
  }
  const input = form.elements.namedItem(`cf.${name}`);
  if (input instanceof HTMLSelectElement && input.multiple) {
    custom[name] = [...(custom[name] ?? []), text];
  } else if (form.elements.namedItem(`cf.${name}.currency`)) {
    custom[name] = { amount: text, currency: custom[name]?.currency ?? "CNY" };
  } else {
    custom[name] = text;
  }
}

function hasFiles(event) {
  return Array.from(event.dataTransfer?.types ?? []).includes("Files");
}

/** Returns enqueue(task): runs the promise-returning tasks, at most `limit` at a time. */
function createQueue(limit) {
  const waiting = [];
  let running = 0;
  function next() {
    while (running < limit && waiting.length) {
      running += 1;
      waiting.shift()().finally(() => {
        running -= 1;
        next();
      });
    }
  }
  return (task) => {
    waiting.push(task);
    next();
  };
}

/** The list item showing one file: name, size, progress, then the outcome. */
function createRow(file, t, onRemove) {
  const nameId = `upload-file-${++rowCount}`;
  const name = h("span", "text-truncate", icon("file-earmark"), " ", file.name);
  name.id = nameId;
  const bar = h("div", "progress-bar");
  const progress = h("div", "progress my-2", bar);
  progress.setAttribute("role", "progressbar");
  progress.setAttribute("aria-label", t("progress"));
  progress.setAttribute("aria-describedby", nameId);
  progress.setAttribute("aria-valuemin", "0");
  progress.setAttribute("aria-valuemax", "100");
  progress.setAttribute("aria-valuenow", "0");
  const status = h("div", "small text-body-secondary", t("ready"));
  const remove = h("button", "btn btn-link btn-sm p-0 text-body-secondary", icon("x-lg"));
  remove.type = "button";
  remove.setAttribute("aria-label", t("remove"));
  remove.setAttribute("aria-describedby", nameId);
  remove.dataset.uploadRemove = "";
  const element = h(
    "li",
    "list-group-item upload-item",
    h("div", "d-flex justify-content-between align-items-center gap-3",
      name, h("span", "small text-body-secondary text-nowrap ms-auto", formatSize(file.size)), remove),
    progress,
    status,
  );
  remove.addEventListener("click", () => {
    element.remove();
    onRemove();
  });

  return {
    element,
    /** Queued for upload: the file can no longer be taken back. */
    start() {
      remove.remove();
      status.textContent = t("waiting");
    },
    setProgress(fraction) {
      const percent = Math.round(fraction * 100);
      bar.style.width = `${percent}%`;
      progress.setAttribute("aria-valuenow", String(percent));
    },
    setStatus(text) {
      status.textContent = text;
    },
    /** Replaces the progress bar with the outcome: {tone, iconName, message, link?}. */
    finish({ tone, iconName, message, link }) {
      progress.remove();
      status.className = `small text-${tone}`;
      status.replaceChildren(icon(iconName), " ", message);
      if (link?.href) {
        const anchor = h("a", "ms-2 link-underline-opacity-50", link.text);
        anchor.href = link.href;
        status.append(anchor);
      }
    },
  };
}

/** What to show for a finished request, from its HTTP status and JSON body (null if not JSON). */
function outcome(status, body, t) {
  const error = body?.error;
  if (status === 201) {
    return { tone: "success", iconName: "check-circle", message: t("uploaded"),
             link: { href: body?.url, text: t("open") } };
  }
  if (status === 409) {
    return { tone: "warning-emphasis", iconName: "exclamation-triangle",
             message: error?.message || t("duplicate"),
             link: { href: error?.contract_url, text: t("viewExisting") } };
  }
  return { tone: "danger", iconName: "x-circle",
           message: error?.message || `${t("failed")} (HTTP ${status})` };
}

/** Uploads one file; the returned promise settles when the row shows the outcome. */
function upload(url, file, metadata, row, t) {
  return new Promise((resolve) => {
    const body = new FormData();
    body.append("file", file);
    if (Object.keys(metadata).length) body.append("metadata", JSON.stringify(metadata));

    const xhr = new XMLHttpRequest();
    xhr.open("POST", url);
    xhr.responseType = "json";
    xhr.setRequestHeader("Accept", "application/json");
    xhr.setRequestHeader("X-CSRFToken", CSRF_TOKEN);
    xhr.upload.addEventListener("progress", (event) => {
      if (event.lengthComputable) row.setProgress(event.loaded / event.total);
    });
    // The bytes are sent; the server is still storing and checking the file.
    xhr.upload.addEventListener("load", () => {
      row.setProgress(1);
      row.setStatus(t("processing"));
    });
    xhr.addEventListener("load", () => {
      row.finish(outcome(xhr.status, xhr.response, t));
      resolve();
    });
    xhr.addEventListener("error", () => {
      row.finish({ tone: "danger", iconName: "wifi-off", message: t("networkError") });
      resolve();
    });
    row.setStatus(t("uploading"));
    xhr.send(body);
  });
}

function setUpZone(zone) {
  const t = translator(zone);
  const form = zone.closest("[data-metadata-form]");
  const input = zone.querySelector('input[type="file"]');
  const hint = form?.querySelector("[data-upload-none]");
  const list = h("ul", "list-group mt-3");
  list.setAttribute("aria-live", "polite");
  zone.after(list);
  const enqueue = createQueue(MAX_PARALLEL_UPLOADS);
  /** Files added but not sent yet: {file, row}. */
  let pending = [];

  function hideHintOnceAdded() {
    if (hint && pending.length) hint.hidden = true;
  }

  function addFiles(files) {
    for (const file of files) {
      const item = { file };
      item.row = createRow(file, t, () => {
        pending = pending.filter((other) => other !== item);
      });
      pending.push(item);
      list.append(item.row.element);
    }
    hideHintOnceAdded();
  }

  /** The details are read now, when the user says the form is complete. */
  function startUploads() {
    if (!pending.length) {
      if (hint) hint.hidden = false;
      input.focus();
      return;
    }
    const metadata = collectMetadata(form);
    for (const { file, row } of pending) {
      row.start();
      enqueue(() => upload(zone.dataset.uploadUrl, file, metadata, row, t));
    }
    pending = [];
    hideHintOnceAdded();
  }

  input.addEventListener("change", () => {
    addFiles(Array.from(input.files));
    input.value = ""; // so that picking the same file again is a change too
  });
  // With JavaScript the form itself is not sent: submitting starts the uploads of the files added.
  form?.addEventListener("submit", (event) => {
    event.preventDefault();
    startUploads();
  });

  // dragenter/dragleave also fire when crossing the zone's children: count them.
  let dragDepth = 0;
  zone.addEventListener("dragenter", (event) => {
    if (!hasFiles(event)) return;
    event.preventDefault();
    dragDepth += 1;
    zone.classList.add("is-dragover");
  });
  zone.addEventListener("dragover", (event) => {
    if (!hasFiles(event)) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = "copy";
  });
  zone.addEventListener("dragleave", () => {
    dragDepth = Math.max(0, dragDepth - 1);
    if (dragDepth === 0) zone.classList.remove("is-dragover");
  });
  zone.addEventListener("drop", (event) => {
    if (!hasFiles(event)) return;
    event.preventDefault();
    dragDepth = 0;
    zone.classList.remove("is-dragover");
    addFiles(Array.from(event.dataTransfer.files));
  });
}

// A file dropped beside the zone would make the browser open it and leave the page.
window.addEventListener("dragover", (event) => {
  if (hasFiles(event) && !event.target.closest?.("[data-upload-zone]")) {
    event.preventDefault();
    event.dataTransfer.dropEffect = "none";
  }
});
window.addEventListener("drop", (event) => {
  if (hasFiles(event)) event.preventDefault();
});

document.querySelectorAll("[data-upload-zone]").forEach(setUpZone);
