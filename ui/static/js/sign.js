// The signing page: draw the signature box on the PDF preview, then sign through the API.
// The box is kept in PDF points (origin bottom-left), whatever the zoom.
const form = document.querySelector("[data-sign-form]");
const preview = document.querySelector("[data-pdf-preview]");
const visible = form.querySelector("[name=visible]");
const boxField = form.querySelector("[name=box]");
const pageField = form.querySelector("[name=page]");
const status = form.querySelector("[data-sign-status]");
const CSRF_TOKEN = document.querySelector("meta[name=csrf-token]").content;
let drawing = null;

function pageElementAt(target) {
  return target.closest?.(".pdf-preview-page");
}

function toPdfPoints(element, clientX, clientY) {
  const rect = element.getBoundingClientRect();
  const scale = Number(element.dataset.pdfWidth) / rect.width;
  return [(clientX - rect.left) * scale, Number(element.dataset.pdfHeight) - (clientY - rect.top) * scale];
}

function showBox(element, start, end) {
  let marker = element.querySelector(".sign-box");
  if (!marker) {
    marker = document.createElement("div");
    marker.className = "sign-box";
    element.append(marker);
  }
  const rect = element.getBoundingClientRect();
  const left = Math.min(start.x, end.x) - rect.left;
  const top = Math.min(start.y, end.y) - rect.top;
  Object.assign(marker.style, {
    left: `${left}px`, top: `${top}px`,
    width: `${Math.abs(end.x - start.x)}px`, height: `${Math.abs(end.y - start.y)}px`,
  });
}

preview.addEventListener("pointerdown", (event) => {
  const element = pageElementAt(event.target);
  if (!visible.checked || !element?.dataset.pdfWidth) return;
  event.preventDefault();
  document.querySelectorAll(".sign-box").forEach((box) => box.remove());
  drawing = { element, start: { x: event.clientX, y: event.clientY } };
});

window.addEventListener("pointermove", (event) => {
  if (drawing) showBox(drawing.element, drawing.start, { x: event.clientX, y: event.clientY });
});

// A touch the browser takes over (to scroll, say) ends the drawing without a box.
window.addEventListener("pointercancel", () => {
  if (!drawing) return;
  drawing = null;
  document.querySelectorAll(".sign-box").forEach((box) => box.remove());
  boxField.value = "";
});

// While a visible signature is wanted, a finger on a page draws the box instead of scrolling
// (the viewer's toolbar still moves through the pages).
function updateTouchDrawing() {
  preview.classList.toggle("sign-drawing", visible.checked);
}
visible.addEventListener("change", updateTouchDrawing);
updateTouchDrawing();

window.addEventListener("pointerup", (event) => {
  if (!drawing) return;
  const { element, start } = drawing;
  drawing = null;
  const [x1, y1] = toPdfPoints(element, start.x, start.y);
  const [x2, y2] = toPdfPoints(element, event.clientX, event.clientY);
  const box = [Math.min(x1, x2), Math.min(y1, y2), Math.max(x1, x2), Math.max(y1, y2)].map(Math.round);
  boxField.value = box.join(",");
  pageField.value = String(Number(element.dataset.index) + 1);
  form.dispatchEvent(new Event("boxchange"));
});

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  const data = new FormData(form);
  const body = {
    level: data.get("level"),
    reason: data.get("reason"),
    location: data.get("location"),
    certify: data.get("certify") || false,
    password: data.get("password"),
    otp: data.get("otp") || "",
    appearance: null,
  };
  if (visible.checked) {
    if (!boxField.value) {
      status.textContent = form.dataset.i18nNeedBox;
      return;
    }
    body.appearance = {
      page: Number(pageField.value),
      box: boxField.value.split(",").map(Number),
      image_id: data.get("image_id") || null,
    };
  }
  status.textContent = form.dataset.i18nSigning;
  const response = await fetch(form.action, {
    method: "POST",
    headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRFToken": CSRF_TOKEN },
    body: JSON.stringify(body),
  });
  const answer = await response.json().catch(() => null);
  if (response.status === 201) {
    window.location.assign(form.dataset.done);
  } else {
    status.textContent = answer?.error?.message ?? `HTTP ${response.status}`;
  }
});
