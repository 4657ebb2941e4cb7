// The search picker of the lineage form: type words of a title, number or text, pick one of the
// contracts the search finds (the search API shows only contracts the user may read), and the
// form sends that contract's id. Keyboard: ↓/↑ move through the list, Enter picks, Escape closes.
//
// Markup (contracts/lineage.html): <form data-parent-picker data-search-url data-exclude data-i18n-…>
//   <input role="combobox" aria-controls="parent-options"> <input type="hidden" data-parent-id>
//   <ul id="parent-options" role="listbox" hidden></ul> <p data-picker-status></p>

import { h, translator } from "./dom.js";

const MAX_OPTIONS = 8;
const WAIT_MS = 200;

class ParentPicker {
  constructor(form) {
    this.form = form;
    this.t = translator(form);
    this.input = form.querySelector("[role=combobox]");
    this.hidden = form.querySelector("[data-parent-id]");
    this.list = form.querySelector("[role=listbox]");
    this.status = form.querySelector("[data-picker-status]");
    this.exclude = form.dataset.exclude;
    this.options = []; // {id, title, number}
    this.active = -1;
    this.pickedTitle = this.hidden.value ? this.input.value : "";
    this.timer = null;
    this.request = 0;

    this.input.addEventListener("input", () => this.onInput());
    this.input.addEventListener("keydown", (event) => this.onKey(event));
    this.input.addEventListener("blur", () => setTimeout(() => this.close(), 150));
    this.form.addEventListener("submit", (event) => this.onSubmit(event));
  }

  onInput() {
    // Typing again undoes a pick: only a contract chosen from the list is ever sent.
    if (this.input.value !== this.pickedTitle) {
      this.hidden.value = "";
      this.pickedTitle = "";
      this.say("");
    }
    clearTimeout(this.timer);
    const query = this.input.value.trim();
    if (!query) {
      this.close();
      return;
    }
    this.timer = setTimeout(() => this.search(query), WAIT_MS);
  }

  async search(query) {
    const number = ++this.request;
    this.showNote(this.t("searching"));
    const url = `${this.form.dataset.searchUrl}?q=${encodeURIComponent(query)}&per_page=${MAX_OPTIONS + 1}`;
    let hits;
    try {
      const response = await fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      hits = (await response.json()).hits ?? [];
    } catch (error) {
      console.error("contract search:", error);
      if (number === this.request) this.showNote(this.t("failed"));
      return;
    }
    if (number !== this.request) return; // a later search is under way
    this.options = hits
      .filter((hit) => String(hit.id) !== this.exclude)
      .slice(0, MAX_OPTIONS)
      .map((hit) => ({ id: hit.id, title: hit.title, number: hit.contract_number }));
    this.render();
  }

  render() {
    if (!this.options.length) {
      this.showNote(this.t("none"));
      return;
    }
    this.active = -1;
    this.list.replaceChildren(
      ...this.options.map((option, index) => {
        const item = h("li", "list-group-item list-group-item-action small", h("span", "fw-semibold", option.title));
        if (option.number) item.append(h("span", "text-body-secondary ms-2", `${this.t("no")} ${option.number}`));
        item.id = `parent-option-${index}`;
        item.setAttribute("role", "option");
        item.setAttribute("aria-selected", "false");
        item.dataset.contractId = String(option.id);
        // mousedown, not click: it comes before the input's blur closes the list
        item.addEventListener("mousedown", (event) => {
          event.preventDefault();
          this.pick(index);
        });
        return item;
      }),
    );
    this.open();
  }

  showNote(text) {
    this.options = [];
    this.active = -1;
    const note = h("li", "list-group-item small text-body-secondary", text);
    note.setAttribute("role", "presentation");
    this.list.replaceChildren(note);
    this.open();
  }

  open() {
    this.list.hidden = false;
    this.input.setAttribute("aria-expanded", "true");
  }

  close() {
    this.list.hidden = true;
    this.input.setAttribute("aria-expanded", "false");
    this.input.removeAttribute("aria-activedescendant");
    this.active = -1;
  }

  onKey(event) {
    const open = !this.list.hidden && this.options.length > 0;
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      if (!open) return;
      event.preventDefault();
      const step = event.key === "ArrowDown" ? 1 : -1;
      this.highlight((this.active + step + this.options.length) % this.options.length);
    } else if (event.key === "Enter" && open && this.active >= 0) {
      event.preventDefault(); // pick, do not submit yet
      this.pick(this.active);
    } else if (event.key === "Escape" && !this.list.hidden) {
      event.preventDefault();
      this.close();
    }
  }

  highlight(index) {
    this.active = index;
    [...this.list.children].forEach((item, position) => {
      item.classList.toggle("active", position === index);
      item.setAttribute("aria-selected", String(position === index));
    });
    const item = this.list.children[index];
    this.input.setAttribute("aria-activedescendant", item.id);
    item.scrollIntoView({ block: "nearest" });
  }

  pick(index) {
    const option = this.options[index];
    this.hidden.value = String(option.id);
    this.input.value = option.title;
    this.pickedTitle = option.title;
    this.say(`${this.t("selected")} ${option.title}${option.number ? ` · ${this.t("no")} ${option.number}` : ""}`);
    this.close();
  }

  say(text) {
    this.status.textContent = text;
    this.status.classList.remove("text-danger");
  }

  onSubmit(event) {
    // Words typed but nothing picked: never send an empty id (that would remove the link).
    if (this.input.value.trim() && !this.hidden.value) {
      event.preventDefault();
      this.status.textContent = this.t("pick");
      this.status.classList.add("text-danger");
      this.input.focus();
    }
  }
}

for (const form of document.querySelectorAll("[data-parent-picker]")) {
  new ParentPicker(form);
}
