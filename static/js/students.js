// Students pages: progressive enhancement only (every form works without this file).
document.addEventListener("DOMContentLoaded", () => {
  // "Select all" checkbox for the bulk handover on the student list.
  document.querySelectorAll("[data-check-all]").forEach((box) => {
    box.addEventListener("change", () => {
      document.querySelectorAll(`input[type=checkbox][name="${box.dataset.checkAll}"]`).forEach((el) => {
        el.checked = box.checked;
      });
    });
  });
  // Long-running submits (import preview and confirm): show progress and prevent a double click.
  document.querySelectorAll("form[data-busy]").forEach((form) => {
    form.addEventListener("submit", (event) => {
      if (event.defaultPrevented) return;
      const status = form.querySelector("[data-busy-status]");
      if (status) {
        status.textContent = form.dataset.busy;
        status.classList.remove("d-none");
      }
      form.querySelectorAll("button[type=submit]").forEach((button) => {
        setTimeout(() => { button.disabled = true; }, 0);
      });
    });
  });
});
