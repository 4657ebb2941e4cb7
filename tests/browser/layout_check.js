// The layout guard's measurements (tests/browser/test_layout.py evaluates this in each page).
// Answers a list of problems, each a string naming the element: empty when the page fits.
() => {
  const problems = [];
  const vw = document.documentElement.clientWidth;
  const SLACK = 1.5; // sub-pixel rounding

  const describe = (el) => {
    const parts = [];
    for (let node = el; node && node.nodeType === 1 && parts.length < 4; node = node.parentElement) {
      let part = node.tagName.toLowerCase();
      if (node.id) part += `#${node.id}`;
      const classes = [...node.classList].filter((c) => !c.startsWith('bi')).slice(0, 3);
      if (classes.length) part += `.${classes.join('.')}`;
      parts.unshift(part);
      if (node.id) break;
    }
    const text = (el.innerText || el.value || '').trim().replace(/\s+/g, ' ').slice(0, 30);
    return `${parts.join(' > ')}${text ? ` "${text}"` : ''}`;
  };

  const shown = (el) => {
    const style = getComputedStyle(el);
    if (style.display === 'none' || style.visibility === 'hidden') return false;
    if (el.closest('.visually-hidden, .visually-hidden-focusable, [hidden], template, .modal:not(.show), .dropdown-menu:not(.show), .collapse:not(.show), details:not([open]) > :not(summary)')) {
      // a closed menu or dialog is not on screen; the collapsed navbar is measured when opened
      return false;
    }
    const rect = el.getBoundingClientRect();
    return rect.width > 1 && rect.height > 1;
  };

  const scrolls = (el) => {
    const style = getComputedStyle(el);
    return ['auto', 'scroll', 'hidden', 'clip'].includes(style.overflowX);
  };

  // 1. The page itself is wider than the window: the reader has to scroll sideways.
  const pageWidth = document.documentElement.scrollWidth;
  if (pageWidth > vw + SLACK) problems.push(`page is ${pageWidth}px wide in a ${vw}px window`);

  // 1b. The expanded menu is one line: every entry at the same height.
  const toggler = document.querySelector('.navbar-toggler');
  if (toggler && getComputedStyle(toggler).display === 'none') {
    const tops = new Set([...document.querySelectorAll('.app-navbar .navbar-nav > .nav-item')]
      .filter(shown).map((item) => Math.round(item.getBoundingClientRect().top / 8)));
    if (tops.size > 1) problems.push(`the menu wraps onto ${tops.size} lines`);
  }

  // 2. An element sticks out of the box it sits in (outside any scrolling container) or out of the window.
  const all = document.body.querySelectorAll('*');
  for (const el of all) {
    if (['SCRIPT', 'STYLE', 'OPTION', 'BR', 'svg', 'path'].includes(el.tagName) || !shown(el)) continue;
    const style = getComputedStyle(el);
    if (style.position === 'fixed') continue;
    const rect = el.getBoundingClientRect();
    let clipped = false;
    for (let up = el.parentElement; up && up !== document.body; up = up.parentElement) {
      if (scrolls(up)) { clipped = true; break; }
    }
    if (!clipped && (rect.right > vw + SLACK || rect.left < -SLACK)) {
      problems.push(`${describe(el)} reaches ${Math.round(rect.left)}..${Math.round(rect.right)}px, outside the ${vw}px window`);
      continue;
    }
    const parent = el.parentElement;
    if (!parent || parent === document.body || el.classList.contains('row') || style.position === 'absolute') continue;
    if (getComputedStyle(parent).display.startsWith('inline') || scrolls(parent)) continue;
    const box = parent.getBoundingClientRect();
    if (rect.right > box.right + SLACK + 0.5 && !clipped) {
      problems.push(`${describe(el)} sticks out of ${describe(parent)} by ${Math.round(rect.right - box.right)}px`);
    }
  }

  // 2b. A sideways-scrolling box hides part of its content (a column cut off at the edge). Only a
  //     wide data table (five columns or more) may scroll sideways on purpose.
  for (const el of all) {
    if (!['auto', 'scroll'].includes(getComputedStyle(el).overflowX) || !shown(el)) continue;
    if (el.scrollWidth <= el.clientWidth + SLACK) continue;
    const table = el.querySelector('table');
    const columns = table && table.rows.length ? Math.max(...[...table.rows].map((row) => row.cells.length)) : 0;
    if (columns < 5) problems.push(`${describe(el)} cuts off ${el.scrollWidth - el.clientWidth}px of its content`);
  }

  // 3. A control too narrow for its own text: a select showing only part of its choice (or only its
  //    arrow), an input whose value does not fit.
  const canvas = document.createElement('canvas').getContext('2d');
  for (const el of document.querySelectorAll('select, input:not([type=hidden]):not([type=checkbox]):not([type=radio]):not([type=file])')) {
    if (!shown(el)) continue;
    const style = getComputedStyle(el);
    canvas.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
    const inner = el.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
    let text = '';
    if (el.tagName === 'SELECT') {
      // the choice shown must be readable whole (not "CN" for CNY, not only the arrow)
      const chosen = el.selectedOptions[0] ? el.selectedOptions[0].text.trim() : '';
      const need = canvas.measureText(chosen).width;
      if (need > inner + SLACK) problems.push(`${describe(el)}: "${chosen}" needs ${Math.round(need)}px, it shows ${Math.round(inner)}px`);
      continue;
    }
    if (['date', 'datetime-local', 'month', 'time'].includes(el.type)) text = el.type === 'date' ? '2026/12/31' : '';
    else text = el.value || '';
    const need = canvas.measureText(text).width;
    if (text && need > inner + SLACK) problems.push(`${describe(el)}: its text needs ${Math.round(need)}px, it shows ${Math.round(inner)}px`);
    if (inner < 24) problems.push(`${describe(el)} is only ${Math.round(inner)}px wide inside`);
  }

  // 4. Text squeezed into a column: a text wrapped into lines of one or two characters, or a short
  //    label (menu entry, button, heading of a column) broken over two lines.
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const range = document.createRange();
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const text = node.textContent.replace(/\s+/g, '');
    if (text.length < 2) continue;
    const el = node.parentElement;
    if (!el || ['SCRIPT', 'STYLE', 'OPTION', 'TEXTAREA', 'CODE', 'PRE'].includes(el.tagName) || !shown(el)) continue;
    range.selectNodeContents(node);
    const tops = new Set();
    for (const r of range.getClientRects()) if (r.width > 0) tops.add(Math.round(r.top / 4));
    const lines = tops.size;
    if (lines < 2) continue;
    if (text.length / lines <= 2) {
      problems.push(`${describe(el)}: "${text.slice(0, 20)}" is squeezed into ${lines} lines`);
    } else if (text.length <= 24 && el.closest('.nav-link, .dropdown-item, .navbar-brand, .btn, .form-select, .badge, .nav-pills')) {
      problems.push(`${describe(el)}: the label "${text}" breaks over ${lines} lines`);
    }
  }
  return [...new Set(problems)];
}
