// In-page PDF viewer built on pdf.js.
//
// Markup (rendered by pdf_preview() in templates/macros/ui.html):
//   <div data-pdf-preview data-src="…pdf" data-worker-src="…" data-cmap-url="…/" data-standard-font-url="…/"
//        [data-wasm-url="…/"] [data-icc-url="…/"] [data-page="3"] [data-highlight='["保密","nda"]']
//        data-i18n-…="…"></div>
// data-highlight lists search terms (lower case, without spaces): where a page's text contains
// one, a translucent mark is laid over it. data-comments lists commented passages ({id, page,
// quote}), marked the same way on their page (a quote may run over several text runs).
// data-commenting lays pdf.js's text layer over each page so text can be selected, and adds a
// "Comment" button that copies the selection and its page into the form marked
// data-comment-form (review/_panel.html).
// Pages are laid out as placeholders at their final size, drawn on canvases only when they
// scroll near the visible area and released again when far from it, so long documents stay
// light. At 100 % zoom every page, portrait or landscape, is as wide as the viewer.

import { h, icon, translator } from "./dom.js";

const PDFJS_URL = new URL("../vendor/pdfjs/pdf.min.mjs", import.meta.url).href;
const ZOOM_STEP = 1.25;
const MIN_ZOOM = 0.5;
const MAX_ZOOM = 4;
const MAX_CANVAS_PIXELS = 4096 * 4096; // caps memory per page at high zoom × device pixel ratio
const RENDER_MARGIN = "150% 0px"; // pages this close to the visible area are drawn

/** Lower-cased NFKC text without white space, with each character's index in the original. */
function matchForm(text) {
  const chars = [];
  const origin = [];
  [...text].forEach((character, index) => {
    for (const part of character.normalize("NFKC").toLowerCase()) {
      if (/\s/.test(part)) continue;
      chars.push(part);
      origin.push(index);
    }
  });
  return { text: chars.join(""), origin, length: [...text].length };
}

function parseComments(json) {
  try {
    const comments = JSON.parse(json ?? "[]");
    return Array.isArray(comments) ? comments.filter((c) => c && typeof c.quote === "string" && c.quote) : [];
  } catch {
    return [];
  }
}

/** Where `needle` (in match form) occurs across the runs of a page, as [run, start, end] pieces
 *  with character indexes of each run's original text. */
function findAcross(runs, needle) {
  const text = runs.map((run) => run.text).join("");
  const pieces = [];
  for (let at = text.indexOf(needle); at !== -1 && needle; at = text.indexOf(needle, at + needle.length)) {
    let offset = 0;
    runs.forEach((run, index) => {
      const from = Math.max(at, offset);
      const to = Math.min(at + needle.length, offset + run.text.length);
      if (from < to) {
        pieces.push([index, run.origin[from - offset], run.origin[to - 1 - offset] + 1]);
      }
      offset += run.text.length;
    });
  }
  return pieces;
}

function parseTerms(json) {
  try {
    const terms = JSON.parse(json ?? "[]");
    return Array.isArray(terms) ? terms.filter((term) => typeof term === "string" && term) : [];
  } catch {
    return [];
  }
}

/** pdf.js wants these base URLs to end with a slash. */
function directoryUrl(url) {
  if (!url) return undefined;
  return url.endsWith("/") ? url : `${url}/`;
}

function toolbarButton(iconName, label, onClick) {
  const button = h("button", "btn btn-sm btn-outline-secondary", icon(iconName));
  button.type = "button";
  button.title = label;
  button.setAttribute("aria-label", label);
  button.addEventListener("click", onClick);
  return button;
}

class PdfPreview {
  constructor(container) {
    this.container = container;
    this.t = translator(container);
    this.zoom = 1;
    this.width = 0; // usable width of the page area, in CSS pixels
    this.pages = []; // {number, element, size (at scale 1, once known), canvas, task}
    this.currentPage = Math.max(1, Number.parseInt(container.dataset.page ?? "1", 10) || 1);
    this.terms = parseTerms(container.dataset.highlight);
    this.comments = parseComments(container.dataset.comments);
    this.commenting = "commenting" in container.dataset;
    this.selection = null; // {quote, page} of the last selection inside the pages

    this.scroller = h("div", "pdf-preview-pages");
    this.scroller.tabIndex = 0; // scrollable with the keyboard
    this.showMessage(this.t("loading"), "text-body-secondary");
  }

  showMessage(text, className) {
    const message = h("div", `p-4 text-center ${className}`, text);
    message.setAttribute("role", "status");
    this.container.replaceChildren(message);
  }

  async load() {
    const data = this.container.dataset;
    try {
      const pdfjs = await import(PDFJS_URL);
      this.pdfjs = pdfjs;
      if (data.workerSrc) pdfjs.GlobalWorkerOptions.workerSrc = data.workerSrc;
      this.pdf = await pdfjs.getDocument({
        url: data.src,
        cMapUrl: directoryUrl(data.cmapUrl),
        cMapPacked: true,
        standardFontDataUrl: directoryUrl(data.standardFontUrl),
        wasmUrl: directoryUrl(data.wasmUrl),
        iccUrl: directoryUrl(data.iccUrl),
        isEvalSupported: false,
      }).promise;
      const firstPage = await this.pdf.getPage(1);
      this.defaultSize = firstPage.getViewport({ scale: 1 });
    } catch (error) {
      console.error("PDF preview:", error);
      this.showMessage(this.t("error"), "text-danger");
      return;
    }

    this.currentPage = Math.min(this.currentPage, this.pdf.numPages);
    this.createPages();
    this.container.replaceChildren(this.createToolbar(), this.scroller);
    this.observer = new IntersectionObserver((entries) => this.onIntersection(entries), {
      root: this.scroller,
      rootMargin: RENDER_MARGIN,
    });
    this.scroller.addEventListener("scroll", () => this.onScroll(), { passive: true });
    // Lays the pages out now and again whenever the width changes (rotation, a hidden tab shown).
    new ResizeObserver(() => this.onResize()).observe(this.scroller);
  }

  createPages() {
    for (let number = 1; number <= this.pdf.numPages; number += 1) {
      const element = h("div", "pdf-preview-page");
      element.dataset.index = String(number - 1);
      this.pages.push({ number, element, size: null, canvas: null, task: null });
    }
    this.scroller.replaceChildren(...this.pages.map((page) => page.element));
  }

  createToolbar() {
    this.prevButton = toolbarButton("chevron-up", this.t("prev"), () => this.goTo(this.currentPage - 1));
    this.nextButton = toolbarButton("chevron-down", this.t("next"), () => this.goTo(this.currentPage + 1));
    this.pageInput = h("input", "form-control form-control-sm pdf-preview-page-input");
    Object.assign(this.pageInput, { type: "number", min: 1, max: this.pdf.numPages, inputMode: "numeric" });
    this.pageInput.setAttribute("aria-label", this.t("page"));
    this.pageInput.addEventListener("change", () => this.goTo(Number(this.pageInput.value)));

    this.zoomText = h("span", "ms-1");
    const zoomReset = toolbarButton("arrows-angle-expand", this.t("zoomReset"), () => this.setZoom(1));
    zoomReset.append(this.zoomText);

    this.updateToolbar();
    return h(
      "div",
      "pdf-preview-toolbar",
      h("div", "d-flex align-items-center gap-1",
        this.prevButton, this.nextButton, this.pageInput,
        h("span", "text-body-secondary text-nowrap", `/ ${this.pdf.numPages}`)),
      this.commenting ? this.createCommentButton() : "",
      h("div", "d-flex align-items-center gap-1 ms-auto",
        toolbarButton("zoom-out", this.t("zoomOut"), () => this.setZoom(this.zoom / ZOOM_STEP)),
        zoomReset,
        toolbarButton("zoom-in", this.t("zoomIn"), () => this.setZoom(this.zoom * ZOOM_STEP))),
    );
  }

  createCommentButton() {
    const button = toolbarButton("chat-left-text", this.t("comment"), () => this.commentOnSelection());
    button.append(h("span", "ms-1", this.t("comment")));
    button.disabled = true;
    button.dataset.commentSelection = "";
    // Keeps the selection: a press on the button must not collapse it before the click.
    button.addEventListener("pointerdown", (event) => event.preventDefault());
    document.addEventListener("selectionchange", () => {
      const selection = document.getSelection();
      const text = selection?.toString().trim() ?? "";
      const node = selection?.anchorNode;
      const pageElement = (node?.nodeType === 1 ? node : node?.parentElement)?.closest(".pdf-preview-page");
      if (text && pageElement && this.scroller.contains(pageElement)) {
        this.selection = { quote: text, page: Number(pageElement.dataset.index) + 1 };
      } else if (!text) {
        this.selection = null;
      }
      button.disabled = !this.selection;
    });
    return button;
  }

  commentOnSelection() {
    const form = document.querySelector("[data-comment-form]");
    if (!form || !this.selection) return;
    form.querySelector("[data-comment-quote]").value = this.selection.quote;
    form.querySelector("[data-comment-page]").value = String(this.selection.page);
    const body = form.querySelector("[data-comment-body]");
    body.scrollIntoView({ block: "center" });
    body.focus();
  }

  updateToolbar() {
    this.pageInput.value = String(this.currentPage);
    this.prevButton.disabled = this.currentPage <= 1;
    this.nextButton.disabled = this.currentPage >= this.pdf.numPages;
    this.zoomText.textContent = `${Math.round(this.zoom * 100)}%`;
  }

  onResize() {
    const style = getComputedStyle(this.scroller);
    const width = this.scroller.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
    if (width <= 0 || width === this.width) return; // hidden, or only the height changed
    this.width = width;
    this.relayout();
  }

  setZoom(zoom) {
    this.zoom = Math.min(MAX_ZOOM, Math.max(MIN_ZOOM, zoom));
    this.relayout();
  }

  get pageWidth() {
    return this.width * this.zoom;
  }

  /** Sizes a page's box; pages not loaded yet are assumed to be shaped like the first one. */
  sizePage(page) {
    const size = page.size ?? this.defaultSize;
    page.element.style.width = `${this.pageWidth}px`;
    page.element.style.height = `${(this.pageWidth * size.height) / size.width}px`;
  }

  /** Resizes every page for the current width and zoom, keeping the current page in view. */
  relayout() {
    const current = this.currentPage;
    this.observer.disconnect();
    for (const page of this.pages) {
      this.release(page);
      this.sizePage(page);
      this.observer.observe(page.element); // reports, and so draws, the pages now in view
    }
    this.goTo(current);
  }

  goTo(number) {
    if (!Number.isInteger(number)) return;
    this.currentPage = Math.min(this.pdf.numPages, Math.max(1, number));
    const element = this.pages[this.currentPage - 1].element;
    this.scroller.scrollTop = element.offsetTop - parseFloat(getComputedStyle(this.scroller).paddingTop);
    this.updateToolbar();
  }

  /** The current page is the one at the top of the view (the last one once scrolled to the end). */
  onScroll() {
    const { scrollTop, scrollHeight, clientHeight } = this.scroller;
    const atEnd = scrollTop > 0 && scrollTop + clientHeight >= scrollHeight - 1;
    const top = scrollTop + parseFloat(getComputedStyle(this.scroller).paddingTop) + 1;
    let current = 1;
    for (const page of this.pages) {
      if (page.element.offsetTop > top) break;
      current = page.number;
    }
    if (atEnd) current = this.pages.length;
    if (current !== this.currentPage) {
      this.currentPage = current;
      this.updateToolbar();
    }
  }

  onIntersection(entries) {
    for (const entry of entries) {
      const page = this.pages[Number(entry.target.dataset.index)];
      if (entry.isIntersecting) {
        this.draw(page);
      } else {
        this.release(page);
      }
    }
  }

  async draw(page) {
    if (page.canvas) return; // drawn or being drawn
    const canvas = h("canvas");
    canvas.setAttribute("role", "img");
    canvas.setAttribute("aria-label", `${this.t("page")} ${page.number}`);
    page.canvas = canvas;
    try {
      const pdfPage = await this.pdf.getPage(page.number);
      if (page.canvas !== canvas) return; // released while the page loaded

      page.size = pdfPage.getViewport({ scale: 1 });
      // The page's size in PDF points, for tools drawn over it (the signature box of sign.js).
      page.element.dataset.pdfWidth = String(page.size.width);
      page.element.dataset.pdfHeight = String(page.size.height);
      this.sizePage(page); // in case it is shaped unlike the first page
      const cssScale = this.pageWidth / page.size.width;
      const cssArea = page.size.width * page.size.height * cssScale ** 2;
      const pixelRatio = Math.min(window.devicePixelRatio || 1, Math.sqrt(MAX_CANVAS_PIXELS / cssArea));
      const viewport = pdfPage.getViewport({ scale: cssScale * pixelRatio });
      canvas.width = Math.floor(viewport.width);
      canvas.height = Math.floor(viewport.height);
      page.task = pdfPage.render({ canvas, viewport });
      await page.task.promise;
      page.task = null;
      page.element.replaceChildren(canvas);
      const content = this.terms.length || this.comments.length || this.commenting ? await pdfPage.getTextContent() : null;
      if (!content || page.canvas !== canvas) return;
      if (this.commenting) await this.addTextLayer(page, content, pdfPage.getViewport({ scale: cssScale }), cssScale);
      this.markHits(page, pdfPage, cssScale, content);
      page.element.dataset.marked = ""; // text layer and marks are in place (tests wait for it)
    } catch (error) {
      if (error?.name === "RenderingCancelledException") return; // released while drawing
      console.error(`PDF preview, page ${page.number}:`, error);
      page.element.replaceChildren(h("div", "p-3 small text-danger", this.t("error")));
    }
  }

  /** pdf.js's text layer: transparent text laid exactly over the drawing, so it can be selected. */
  async addTextLayer(page, content, viewport, cssScale) {
    const layer = h("div", "textLayer");
    page.element.style.setProperty("--total-scale-factor", String(cssScale));
    page.element.style.setProperty("--scale-factor", String(cssScale));
    page.element.append(layer);
    await new this.pdfjs.TextLayer({ textContentSource: content, container: layer, viewport }).render();
  }

  /** Lays a mark over every occurrence of a search term and every commented passage on the page.
   *  Positions within a text run are proportional to the character index: exact for Chinese,
   *  close for Latin. */
  markHits(page, pdfPage, cssScale, content) {
    const comments = this.comments.filter((comment) => comment.page === page.number);
    if (!this.terms.length && !comments.length) return;
    const viewport = pdfPage.getViewport({ scale: cssScale });
    const runs = content.items.filter((item) => item.str).map((item) => {
      const [, , c, d, left, baseline] = this.pdfjs.Util.transform(viewport.transform, item.transform);
      return { ...matchForm(item.str), left, baseline, height: Math.hypot(c, d), width: item.width * cssScale };
    });
    const mark = (run, start, end, className) => {
      const element = h("div", className);
      Object.assign(element.style, {
        left: `${run.left + (run.width * start) / run.length}px`,
        top: `${run.baseline - run.height}px`,
        width: `${(run.width * (end - start)) / run.length}px`,
        height: `${run.height * 1.15}px`,
      });
      return element;
    };
    const marks = [];
    for (const run of runs) {
      for (const term of this.terms) {
        for (let at = run.text.indexOf(term); at !== -1; at = run.text.indexOf(term, at + term.length)) {
          marks.push(mark(run, run.origin[at], run.origin[at + term.length - 1] + 1, "pdf-hit"));
        }
      }
    }
    for (const comment of comments) {
      for (const [index, start, end] of findAcross(runs, matchForm(comment.quote).text)) {
        const element = mark(runs[index], start, end, "pdf-hit pdf-comment-mark");
        element.dataset.commentMark = String(comment.id);
        marks.push(element);
      }
    }
    page.element.append(...marks);
  }

  release(page) {
    page.task?.cancel();
    page.task = null;
    if (page.canvas) {
      // Zero-sizing frees the bitmap at once instead of at the next garbage collection.
      page.canvas.width = 0;
      page.canvas.height = 0;
      page.canvas.remove();
      page.canvas = null;
      for (const mark of page.element.querySelectorAll(".pdf-hit, .textLayer")) mark.remove();
      delete page.element.dataset.marked;
    }
  }
}

for (const container of document.querySelectorAll("[data-pdf-preview]")) {
  new PdfPreview(container).load();
}
