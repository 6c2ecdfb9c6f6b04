// `build.py serve` only: the server adds this script to the pages it serves; it is never
// written to the site. The page reloads itself after a rebuild; while a build has failed,
// its messages are shown over the page (as text), and the page reloads once it is fixed.
(() => {
  "use strict";
  const script = document.currentScript;
  let version = (script && script.dataset.version) || null; // the site this page came from
  let source = null;
  let overlay = null;

  function show(state) {
    if (!overlay) {
      overlay = document.createElement("section");
      overlay.id = "serve-overlay";
      overlay.setAttribute("role", "alert");
      // Styled through the CSSOM: the pages' policy refuses inline style attributes and sheets.
      Object.assign(overlay.style, {
        position: "fixed", top: "0", left: "0", right: "0", zIndex: "2147483647",
        maxHeight: "70vh", overflow: "auto", boxSizing: "border-box", margin: "0", padding: "1rem 1.25rem",
        background: "#fff4f4", color: "#5c0000", borderBottom: "4px solid #c00000",
        boxShadow: "0 4px 16px rgba(0,0,0,.25)", font: "15px/1.5 sans-serif", textAlign: "left",
      });
      document.body.append(overlay);
    }
    const heading = document.createElement("p");
    heading.textContent = state.headline;
    Object.assign(heading.style, { margin: "0 0 .5rem", fontWeight: "bold" });
    const list = document.createElement("pre");
    list.textContent = state.problems.join("\n");
    Object.assign(list.style, { margin: "0", whiteSpace: "pre-wrap", font: "13px/1.5 monospace" });
    overlay.replaceChildren(heading, list);
  }

  function hide() {
    if (overlay) {
      overlay.remove();
      overlay = null;
    }
  }

  function connect() {
    source = new EventSource("/__serve/events");
    source.addEventListener("state", (event) => {
      const state = JSON.parse(event.data);
      if (state.problems.length) {
        show(state);
      } else if (version !== null && state.version !== version) {
        location.reload();
      } else {
        version = state.version;
        hide();
      }
    });
  }

  // Only a visible page listens: a browser opens few connections to one server at a time,
  // and every open tab holding one would leave none for the pages.
  document.addEventListener("visibilitychange", () => {
    if (document.hidden && source) {
      source.close();
      source = null;
    } else if (!document.hidden && !source) {
      connect();
    }
  });
  if (!document.hidden) {
    connect();
  }
})();
