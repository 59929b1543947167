/* Keras-Spickzettel: give each code block's button bar a name of its own.
 *
 * Material 9.8 puts the copy button of every code block into an unlabelled <nav>.
 * With several code blocks on a page, screen readers list many identical
 * "navigation" landmarks (axe-core: landmark-unique). Material creates these bars
 * when a block first comes into view, so a MutationObserver names each one as it
 * appears: "Codeblock 3" / "Code block 3".
 */
(function () {
  const word = document.documentElement.lang === "de" ? "Codeblock" : "Code block";

  // The block's position on the page (pages and notebook pages number their
  // blocks' ids differently).
  function label(nav) {
    const pre = nav.closest("pre");
    if (pre && !nav.hasAttribute("aria-label")) {
      const number = [...document.querySelectorAll("pre:has(> code)")].indexOf(pre) + 1;
      nav.setAttribute("aria-label", `${word} ${number}`);
    }
  }

  function labelAll(root) {
    root.querySelectorAll("nav.md-code__nav").forEach(label);
  }

  new MutationObserver(records => {
    for (const record of records) {
      for (const node of record.addedNodes) {
        if (node instanceof Element) {
          if (node.matches("nav.md-code__nav")) label(node);
          else labelAll(node);
        }
      }
    }
  }).observe(document.body, { childList: true, subtree: true });
  labelAll(document);
})();
