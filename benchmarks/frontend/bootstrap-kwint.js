// `make js`: the two Bootstrap plugins Kwint's pages use, bundled (esbuild) into
// static/vendor/bootstrap/js/bootstrap.kwint.min.js instead of the whole bundle: the navbar
// toggler (Collapse) and the account menu (Dropdown, which needs Popper). Each plugin wires up
// its data-bs-* attributes when imported, as in the full bundle.
import Collapse from "bootstrap/js/src/collapse.js";
import Dropdown from "bootstrap/js/src/dropdown.js";

window.bootstrap = { Collapse, Dropdown };
