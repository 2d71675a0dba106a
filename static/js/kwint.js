// Progressive enhancement only: every page works without this file.

// htmx (52 KB) is fetched and run only on a page with an hx-* attribute that makes a request:
// most pages have none, and on a phone running it would hold up the page (issue 16). It is added
// at the window's load event: htmx starts at once only when the document is complete (added
// earlier, it would wait for a DOMContentLoaded that has passed already).
{
  const HTMX_USE = ["get", "post", "put", "patch", "delete", "boost"]
    .flatMap((verb) => [`[hx-${verb}]`, `[data-hx-${verb}]`])
    .join(",");
  const htmxSrc = document.currentScript && document.currentScript.dataset.htmx;
  window.addEventListener("load", () => {
    if (htmxSrc && !window.htmx && document.querySelector(HTMX_USE)) {
      const script = document.createElement("script");
      script.src = htmxSrc;
      document.head.appendChild(script);
    }
  });
}

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
  // A table wider than the screen scrolls sideways: keyboard users must be able to reach and
  // scroll it too (WCAG 2.1.1), so the scrolling box becomes a named, focusable region.
  const markScrollable = () => {
    document.querySelectorAll(".table-responsive").forEach((box) => {
      if (box.scrollWidth > box.clientWidth + 1) {
        box.tabIndex = 0;
        box.setAttribute("role", "region");
        const caption = box.querySelector("caption");
        if (!box.hasAttribute("aria-label") && caption) box.setAttribute("aria-label", caption.textContent.trim());
      } else if (box.getAttribute("tabindex") === "0") {
        box.removeAttribute("tabindex");
        box.removeAttribute("role");
      }
    });
  };
  markScrollable();
  window.addEventListener("resize", markScrollable);
  // Confirm sensitive actions (export, erase, withdraw) before submitting.
  document.querySelectorAll("form[data-confirm]").forEach((form) => {
    form.addEventListener("submit", (event) => {
      if (!window.confirm(form.dataset.confirm)) event.preventDefault();
    });
  });
});
