// The @mention picker of the comment fields (review/_panel.html).
//
// Typing "@" and the start of a name or e-mail in a field marked data-mentions lists the users
// who may read the contract (GET data-mention-url?q=…, on the panel); choosing one (click,
// or Enter/Tab for the highlighted one) writes "@their-email " into the field, which the server
// turns into a notification when the comment is saved.

import { h } from "./dom.js";

const panel = document.querySelector("[data-review-panel][data-mention-url]");
const MENTION_BEFORE_CARET = /(?:^|\s)@([^\s@]{1,40})$/;

function attach(field) {
  const list = h("ul", "list-group review-mention-list shadow-sm");
  list.setAttribute("role", "listbox");
  list.hidden = true;
  field.insertAdjacentElement("afterend", list);
  field.parentElement.classList.add("position-relative");
  let people = [];
  let active = 0;
  let asked = "";

  const close = () => {
    list.hidden = true;
    people = [];
  };

  const choose = (person) => {
    const caret = field.selectionStart ?? field.value.length;
    const before = field.value.slice(0, caret).replace(/@[^\s@]*$/, `@${person.email} `);
    field.value = before + field.value.slice(caret);
    field.setSelectionRange(before.length, before.length);
    close();
    field.focus();
  };

  const show = () => {
    list.replaceChildren(
      ...people.map((person, index) => {
        const item = h("li", `list-group-item list-group-item-action small${index === active ? " active" : ""}`,
          person.name, h("span", "ms-1 text-body-secondary", person.email));
        item.setAttribute("role", "option");
        item.dataset.mentionOption = person.email;
        item.addEventListener("pointerdown", (event) => {
          event.preventDefault(); // keeps the focus in the field
          choose(person);
        });
        return item;
      }),
    );
    list.hidden = people.length === 0;
  };

  field.addEventListener("input", async () => {
    const caret = field.selectionStart ?? field.value.length;
    const match = MENTION_BEFORE_CARET.exec(field.value.slice(0, caret));
    if (!match) return close();
    asked = match[1];
    const url = `${panel.dataset.mentionUrl}?q=${encodeURIComponent(asked)}`;
    try {
      const response = await fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" });
      if (!response.ok || asked !== match[1]) return;
      people = (await response.json()).items;
      active = 0;
      show();
    } catch {
      close();
    }
  });

  field.addEventListener("keydown", (event) => {
    if (list.hidden) return;
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      active = (active + (event.key === "ArrowDown" ? 1 : people.length - 1)) % people.length;
      show();
      event.preventDefault();
    } else if (event.key === "Enter" || event.key === "Tab") {
      choose(people[active]);
      event.preventDefault();
    } else if (event.key === "Escape") {
      close();
    }
  });
  field.addEventListener("blur", close);
}

if (panel) {
  for (const field of panel.querySelectorAll("[data-mentions]")) attach(field);
}
