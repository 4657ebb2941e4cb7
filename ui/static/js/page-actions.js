// Behaviour the templates ask for with data attributes, because inline event handlers
// (onclick=…, onsubmit=…) never run under the Content-Security-Policy:
//   <form data-confirm="Delete this?">      asks before the form is sent
//   <button data-confirm="Delete this?">    asks before that button sends its form
//   <select data-autosubmit>                 sends its form when the choice changes
// Listeners sit on the document, so content htmx swaps in later behaves the same.

document.addEventListener("submit", (event) => {
  const form = event.target;
  const question = event.submitter?.dataset.confirm ?? form.dataset.confirm;
  if (question && !window.confirm(question)) event.preventDefault();
});

document.addEventListener("change", (event) => {
  const field = event.target;
  if (field instanceof HTMLSelectElement && field.hasAttribute("data-autosubmit")) {
    field.form?.requestSubmit();
  }
});
