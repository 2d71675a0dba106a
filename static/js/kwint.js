// Progressive enhancement only: every page works without this file.
document.addEventListener("DOMContentLoaded", () => {
  // Elements marked data-autosubmit submit their form on change (filters, language).
  document.querySelectorAll("[data-autosubmit]").forEach((el) => {
    el.addEventListener("change", () => el.form && el.form.requestSubmit());
  });
  // After an invalid submit the error summary takes the focus, so a screen reader reads it
  // first; its links move the focus to the field and bring the field's label into view.
  const summary = document.querySelector("[data-error-summary]");
  if (summary) {
    summary.focus();
    summary.querySelectorAll("[data-error-link]").forEach((link) => {
      link.addEventListener("click", (event) => {
        const field = document.getElementById(link.dataset.errorLink);
        if (!field) return;
        event.preventDefault();
        const details = field.closest("details");
        if (details) details.open = true;
        const isOption = field.type === "radio" || field.type === "checkbox";
        const legend = field.closest("fieldset")?.querySelector("legend");
        const label = (isOption && legend) || document.querySelector(`label[for="${field.id}"]`) || legend;
        field.focus({ preventScroll: true });
        (label || field).scrollIntoView({ block: "start" });
      });
    });
  }
  // Confirm sensitive actions (export, erase, withdraw) before submitting.
  document.querySelectorAll("form[data-confirm]").forEach((form) => {
    form.addEventListener("submit", (event) => {
      if (!window.confirm(form.dataset.confirm)) event.preventDefault();
    });
  });
});
