/*
 * Phasebook: Mermaid's site configuration is Phasebook's, whoever calls mermaid.initialize().
 *
 * Material calls mermaid.initialize() with its own options (theme CSS, fonts). This wraps that
 * function so every call also sets securityLevel "strict" (labels are text: no HTML, no
 * clickable links or callbacks) and maxTextSize 50000 (Phasebook keeps every Gantt under
 * 40000 characters), and keeps both, with Mermaid's other guarded keys, out of reach of the
 * %%{init}%% directives and front matter inside a diagram.
 *
 * Published beside the bundled mermaid.min.js and listed right after it. When Mermaid comes
 * from the theme's CDN instead, it is wrapped the moment its script assigns window.mermaid.
 */
(function () {
  "use strict";

  var FORCED = { securityLevel: "strict", maxTextSize: 50000 };
  var SECURE = ["secure", "securityLevel", "startOnLoad", "maxTextSize",
                "suppressErrorRendering", "maxEdges"];

  function guarded(config) {
    var result = {};
    var key;
    if (config && typeof config === "object") {
      for (key in config) {
        if (Object.prototype.hasOwnProperty.call(config, key)) result[key] = config[key];
      }
    }
    for (key in FORCED) result[key] = FORCED[key];
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
