// `make css`: Bootstrap trimmed to the selectors Kwint's pages can use (PurgeCSS).
//
// The full Bootstrap is 232 KB of which the pages use about 10%; loading it blocks the first
// paint on a phone (issue 16). The result is committed (static/vendor/bootstrap/css/
// bootstrap.kwint.min.css), so neither the demo nor production needs Node.
//
// Usage: node trim-css.mjs <input.css> <output.css> <content glob>...
// The content globs are everything that can put a class on a page: our templates, the Python
// that renders HTML (form widgets, template tags), our scripts and the crispy-bootstrap5
// templates our forms render, Django's form widget templates (textarea, select, ...), and
// dynamic.html: what Bootstrap's scripts and Django's messages add at run time. Bootstrap's
// JavaScript itself is not content: its strings name every component, which would keep them all.
import { readFileSync, writeFileSync } from "node:fs";
import { PurgeCSS } from "purgecss";

const [input, output, ...content] = process.argv.slice(2);
if (!input || !output || content.length === 0) {
  console.error("usage: node trim-css.mjs <input.css> <output.css> <content glob>...");
  process.exit(2);
}

const [result] = await new PurgeCSS().purge({
  content,
  css: [input],
  // The grid and the utility classes stay whole: they are what a template change adds most
  // often, and keeping them all costs a few KB over the wire (brotli) against a missing style on
  // a page whose author forgot `make css`; so do form controls, buttons, tables, badges and
  // alerts. Other components (cards, navs, pagination, ...) are kept only when used.
  safelist: {
    standard: [
      /^(container|row|col|row-cols|offset|g|gx|gy)(-|$)/,
      /^-?[mp][trblxyse]?-/,
      /^(d|flex|justify-content|align-items|align-self|align-content|gap|order|float)-/,
      /^(text|fw|fs|fst|lh|font|w|h|mw|mh|bg|border|rounded|opacity|overflow|position|top|bottom|start|end|shadow|z|link|vstack|hstack|vr|user-select|pe)(-|$)/,
      /^(visually-hidden|visually-hidden-focusable|text-truncate|clearfix|small|lead|mark|initialism)$/,
      // The parts of forms, buttons, tables, badges and alerts come and go with every form.
      /^(btn|form|input-group|table|badge|alert|valid|invalid|is-valid|is-invalid|was-validated)(-|$)/,
    ],
  },
  keyframes: true,
  fontFace: true,
});

const banner =
  "/*! Bootstrap v5 trimmed by `make css` (PurgeCSS) to the classes Kwint uses; do not edit, run `make css`. */\n";
// The source map belongs to the full file: drop the reference rather than point at a wrong map.
const css = result.css.replace(/\/\*# sourceMappingURL=[^*]*\*\/\s*$/, "");
const license = readFileSync(input, "utf8").match(/^\/\*![\s\S]*?\*\//);
writeFileSync(output, banner + (license ? license[0] + "\n" : "") + css.replace(/^\/\*![\s\S]*?\*\/\s*/, ""));
console.log(`${output}: ${Buffer.byteLength(readFileSync(input))} -> ${Buffer.byteLength(readFileSync(output))} bytes`);
