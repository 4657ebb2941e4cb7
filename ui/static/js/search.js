// Suggestions as you type in the search box: titles, counterparties and tags the user may see.
const input = document.querySelector("input[data-suggest-url]");
const list = document.getElementById(input?.getAttribute("list") ?? "");

function debounce(fn, wait) {
  let timer;
  return (...args) => {
    clearTimeout(timer);
    timer = setTimeout(() => fn(...args), wait);
  };
}

async function refresh() {
  const prefix = input.value.trim();
  if (prefix.length < 1) return;
  const url = `${input.dataset.suggestUrl}?q=${encodeURIComponent(prefix)}`;
  const response = await fetch(url, { headers: { Accept: "application/json" } });
  if (!response.ok) return;
  const { suggestions } = await response.json();
  list.replaceChildren(...suggestions.map((text) => Object.assign(document.createElement("option"), { value: text })));
}

if (input && list) input.addEventListener("input", debounce(refresh, 150));
