// Compare page: "Previous" / "Next" buttons and the keys p / n jump from change to change.
//
// Markup (contracts/compare.html): every mark of a change carries data-change="<key>"; the marks
// of one change share its key (a replacement's deletion and insertion, on one side or on
// both); a moved paragraph's old and new places are two changes. <div data-compare-nav
// data-i18n-position="… {n} … {total}"> holds [data-change-prev], [data-change-next] and
// [data-change-position]. The marks of the current change get .is-current-change.

import { translator } from "./dom.js";

function isTyping(event) {
  const target = event.target;
  return target instanceof HTMLElement
    && (target.isContentEditable || ["INPUT", "SELECT", "TEXTAREA"].includes(target.tagName));
}

/** The changes in reading order (top to bottom, then in page order), each with its marks. */
function stops() {
  const byKey = new Map();
  Array.from(document.querySelectorAll("[data-change]")).forEach((element, index) => {
    const top = element.getBoundingClientRect().top + window.scrollY;
    const stop = byKey.get(element.dataset.change);
    if (stop) {
      stop.elements.push(element);
      stop.top = Math.min(stop.top, top);
    } else {
      byKey.set(element.dataset.change, { top, index, elements: [element] });
    }
  });
  // Marks less than a few pixels apart stand on one line: there the page order decides.
  return Array.from(byKey.values()).sort((a, b) => (Math.abs(a.top - b.top) > 4 ? a.top - b.top : a.index - b.index));
}

function setUp(nav) {
  const t = translator(nav);
  const position = nav.querySelector("[data-change-position]");
  let current = -1;

  function go(step) {
    const all = stops();
    if (!all.length) {
      position.textContent = t("none");
      return;
    }
    // Wraps around: after the last change comes the first.
    current = current < 0 && step < 0 ? all.length - 1 : (current + step + all.length) % all.length;
    document.querySelectorAll(".is-current-change").forEach((element) => element.classList.remove("is-current-change"));
    const { elements } = all[current];
    elements.forEach((element) => element.classList.add("is-current-change"));
    elements[0].scrollIntoView({ block: "center", behavior: "smooth" });
    position.textContent = t("position").replace("{n}", String(current + 1)).replace("{total}", String(all.length));
  }

  nav.querySelector("[data-change-prev]").addEventListener("click", () => go(-1));
  nav.querySelector("[data-change-next]").addEventListener("click", () => go(1));
  document.addEventListener("keydown", (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey || isTyping(event)) return;
    if (event.key === "n") go(1);
    else if (event.key === "p") go(-1);
  });
}

document.querySelectorAll("[data-compare-nav]").forEach(setUp);
