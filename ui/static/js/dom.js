// Small DOM helpers shared by the page scripts.

/**
 * Creates an element with optional classes and children. Strings become text nodes, so
 * user data such as file names is never parsed as HTML.
 */
export function h(tag, className = "", ...children) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  node.append(...children);
  return node;
}

/** A decorative Bootstrap icon. */
export function icon(name) {
  const node = h("i", `bi bi-${name}`);
  node.setAttribute("aria-hidden", "true");
  return node;
}

/**
 * Returns t(key), which reads the translated strings the server rendered into the element's
 * data-i18n-* attributes: t("networkError") is data-i18n-network-error. A missing string
 * shows as its key.
 */
export function translator(element) {
  return (key) => element.dataset[`i18n${key[0].toUpperCase()}${key.slice(1)}`] ?? key;
}
