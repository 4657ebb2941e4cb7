// Waits for a result made in the background (a large comparison): polls the status URL the
// page names and, once the result is ready, loads the page (or download) that shows it.

const FIRST_DELAY_MS = 500;
const MAX_DELAY_MS = 5000;

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function status(url) {
  const response = await fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" });
  const body = await response.json();
  if (!response.ok) throw new Error(body?.error?.message ?? response.statusText);
  return body;
}

function stop(box, message) {
  box.querySelector("[data-result-state]").textContent = message;
  box.querySelector("[data-result-bar]")?.classList.add("d-none");
  box.querySelector("[data-result-retry]")?.classList.remove("d-none");
}

async function poll(box) {
  const state = box.querySelector("[data-result-state]");
  let delay = FIRST_DELAY_MS;
  for (;;) {
    await sleep(delay);
    delay = Math.min(delay * 1.5, MAX_DELAY_MS);
    let body;
    try {
      body = await status(box.dataset.statusUrl);
    } catch (error) {
      stop(box, error.message);
      return;
    }
    if (body.status === "done") {
      state.textContent = body.message;
      window.location.assign(box.dataset.doneUrl);
      return;
    }
    if (body.status === "failed") {
      stop(box, body.message);
      return;
    }
    state.textContent = body.message;
  }
}

document.querySelectorAll("[data-result-poll]").forEach((box) => poll(box));
