// Embeds Footnote in another page: <script src="https://your-footnote/static/embed.js" defer></script>
// Optional attributes on the script tag: data-height (CSS length, default 640px).
(function () {
  "use strict";
  const script = document.currentScript;
  const origin = new URL(script.src).origin;
  const frame = document.createElement("iframe");
  frame.src = `${origin}/`;
  frame.title = "Footnote";
  frame.style.width = "100%";
  frame.style.height = script.dataset.height || "640px";
  frame.style.border = "1px solid #dfe3ea";
  frame.style.borderRadius = "8px";
  script.insertAdjacentElement("afterend", frame);
})();
