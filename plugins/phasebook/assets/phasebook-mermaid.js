/*
 * Phasebook: Mermaid's site configuration is Phasebook's, whoever calls mermaid.initialize().
 *
 * Material calls mermaid.initialize() with its own options (theme CSS, fonts). This wraps that
 * function so every call also sets securityLevel "strict" (labels are text: no HTML, no
 * clickable links or callbacks) and maxTextSize 50000 (Phasebook keeps every Gantt under
 * 40000 characters), and keeps both, with Mermaid's other guarded keys, out of reach of the
 * %%{init}%% directives and front matter inside a diagram.
 *
 * Every call also appends Phasebook's chart CSS to the theme CSS: the line charts, pies and
 * Gantts take their colours from CSS custom properties (--pb-chart-*, set per colour scheme in
 * phasebook.css). Material draws each diagram once, inside a shadow root, which inherits
 * custom properties: so a chart stays readable in the dark (slate) scheme and follows the
 * palette toggle without being drawn again.
 *
 * Published beside the bundled mermaid.min.js and listed right after it. When Mermaid comes
 * from the theme's CDN instead, it is wrapped the moment its script assigns window.mermaid.
 */
(function () {
  "use strict";

  var FORCED = { securityLevel: "strict", maxTextSize: 50000 };
  var SECURE = ["secure", "securityLevel", "startOnLoad", "maxTextSize",
                "suppressErrorRendering", "maxEdges"];
  // Mermaid scopes each rule to the diagram (#id …). The !important rules beat Material's
  // `text:not([class]):last-child` and Mermaid's own !important Gantt text colours.
  var CHART_CSS = [
    // xychart: background, title and axes in the page's colours; two distinct lines, the
    // second dashed so the lines differ in more than colour.
    ".main > rect.background{fill:var(--pb-chart-bg,#fff)}",
    ".chart-title text,.left-axis text,.bottom-axis text{fill:var(--pb-chart-fg,#333)!important}",
    ".left-axis path,.bottom-axis path{stroke:var(--pb-chart-fg,#333)}",
    ".line-plot-0 path{stroke:var(--pb-chart-1,#3949ab);stroke-width:3px}",
    ".line-plot-1 path{stroke:var(--pb-chart-2,#b45309);stroke-width:3px;stroke-dasharray:9 6}",
    // pie: title, legend and outline
    ".pieTitleText,.legend text{fill:var(--pb-chart-fg,#333)!important}",
    ".pieOuterCircle{stroke:var(--pb-chart-fg,#333)}",
    // gantt: title, sections, labels outside the bars, the grid and the "as of" line
    ".titleText,text.sectionTitle{fill:var(--pb-chart-fg,#333)!important}",
    ".section{opacity:1}",
    ".section0,.section2{fill:var(--pb-chart-band,#eeeefb)}",
    ".section1,.section3{fill:transparent}",
    "text[id][class*=taskTextOutside]{fill:var(--pb-chart-fg,#333)!important}",
    ".grid .tick{stroke:var(--pb-chart-grid,#d6d6d6);opacity:1}",
    ".grid .tick text{fill:var(--pb-chart-fg,#333);stroke:none}",
    "rect.vert{fill:var(--pb-chart-marker,#1a237e);stroke:var(--pb-chart-marker,#1a237e)}",
    "text.vertText{fill:var(--pb-chart-marker,#1a237e)!important}"
  ].join("");

  function guarded(config) {
    var result = {};
    var key;
    if (config && typeof config === "object") {
      for (key in config) {
        if (Object.prototype.hasOwnProperty.call(config, key)) result[key] = config[key];
      }
    }
    for (key in FORCED) result[key] = FORCED[key];
    result.themeCSS = (typeof result.themeCSS === "string" ? result.themeCSS : "") + CHART_CSS;
    var secure = Array.isArray(result.secure) ? result.secure.slice() : [];
    SECURE.forEach(function (name) {
      if (secure.indexOf(name) < 0) secure.push(name);
    });
    result.secure = secure;
    return result;
  }

  function wrap(mermaid) {
    if (!mermaid || typeof mermaid.initialize !== "function" || mermaid.__phasebook) {
      return mermaid;
    }
    var initialize = mermaid.initialize;
    mermaid.initialize = function (config) {
      return initialize.call(this, guarded(config));
    };
    Object.defineProperty(mermaid, "__phasebook", { value: true });
    // Strict from the start, even before (or without) the theme's own call.
    mermaid.initialize({ startOnLoad: false });
    return mermaid;
  }

  var root = typeof globalThis !== "undefined" ? globalThis : window;
  if (typeof root.mermaid !== "undefined" && !(root.mermaid instanceof Element)) {
    wrap(root.mermaid);
    return;
  }
  // Not loaded yet (the theme fetches it from its CDN on demand): wrap it on arrival.
  var current;
  Object.defineProperty(root, "mermaid", {
    configurable: true,
    enumerable: true,
    get: function () { return current; },
    set: function (value) { current = wrap(value); }
  });
})();
